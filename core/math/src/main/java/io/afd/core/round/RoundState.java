package io.afd.core.round;

/**
 * The state machine of one round (docs/round.md): {@code OPEN → COLLECTING → CLOSING → AGGREGATED →
 * SCORES_UPDATED}, or {@code FAILED} with a reason. {@code TASKS_SENT} is kept for rounds persisted
 * by earlier versions and means the same as {@code OPEN} (tasks are sent idempotently).
 */
public enum RoundState {
    /** Participants chosen; selections and tasks not yet (all) sent. */
    OPEN,
    /** Same as {@link #OPEN} (older rows). */
    TASKS_SENT,
    /** Tasks sent; waiting for updates until all arrived or the deadline passed. */
    COLLECTING,
    /** Enough updates: the aggregator is to close the round. */
    CLOSING,
    /** New global version written; score maps and evaluation next. */
    AGGREGATED,
    /** Score maps updated and the version evaluated (when due): the round is done. */
    SCORES_UPDATED,
    /** The round could not finish; the experiment failed with a reason. */
    FAILED
}
