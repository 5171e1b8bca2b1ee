package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A rejected record on {@link Topics#DEAD_LETTER} (key = the rejected record's key, unchanged), produced
 * by the service that rejected it and signed with the server key ({@link EnvelopeCodec#SERVER}).
 * The envelope payload is the rejected record's value, verbatim, or empty when the producer omits it
 * (for example when it would not fit under the size cap).
 *
 * <p>{@code reason} is a code: one of {@link ProtocolException.Reason} (envelope, signature, chunking)
 * or of the round-level codes below and the core aggregator's ({@code wrong_selection},
 * {@code wrong_shape}, {@code non_finite}, {@code out_of_range}, {@code bad_sample_count},
 * {@code round_full}); docs/protocol.md lists them all.
 *
 * @param reason            reason code, {@code [a-z][a-z0-9_]{0,63}}
 * @param detail            what failed, for people; at most 8192 characters (use {@link #of} to truncate)
 * @param originalTopic     topic of the rejected record
 * @param originalPartition its partition, or {@code null} (absent) when not from a single record
 * @param originalOffset    its offset, or {@code null} (absent) when not from a single record
 * @param clientId          the client concerned, or {@code null} when unknown (e.g. unparseable header)
 * @param experimentId      the experiment concerned, or {@code null} when unknown
 * @param round             the round concerned, or {@code null} when unknown
 * @param timestampMillis   Unix epoch milliseconds of the rejection
 */
public record DeadLetter(
        @JsonProperty(required = true) String reason,
        @JsonProperty(required = true) String detail,
        @JsonProperty(required = true) String originalTopic,
        Integer originalPartition,
        Long originalOffset,
        String clientId,
        String experimentId,
        Integer round,
        @JsonProperty(required = true) long timestampMillis)
        implements Message {

    /** Longest {@code detail}. */
    public static final int MAX_DETAIL = 8192;

    /** The update's client was not selected for that round. */
    public static final String NOT_SELECTED = "not_selected";
    /** The update is for a round that is not the experiment's open round (closed, or not yet opened). */
    public static final String STALE_ROUND = "stale_round";
    /** An update for this (experiment, round, client) was already accepted. */
    public static final String DUPLICATE = "duplicate";
    /** The experiment id is not known to the server. */
    public static final String UNKNOWN_EXPERIMENT = "unknown_experiment";
    /** The update names a different model version than the client's task. */
    public static final String WRONG_MODEL_VERSION = "wrong_model_version";
    /** The update arrived after the task's deadline. */
    public static final String DEADLINE_PASSED = "deadline_passed";
    /** The payload is not a valid AFDT blob (the core codec's message is the detail). */
    public static final String CODEC_ERROR = "codec_error";

    public DeadLetter {
        Check.pattern(reason, Check.REASON, "reason");
        Check.maxLength(detail, MAX_DETAIL, "detail");
        Check.notNull(originalTopic, "originalTopic");
        Check.that(
                !originalTopic.isEmpty() && originalTopic.length() <= 249,
                "originalTopic",
                "must have 1 to 249 characters",
                originalTopic.length());
        if (originalPartition != null) {
            Check.range(originalPartition, 0, Integer.MAX_VALUE, "originalPartition");
        }
        if (originalOffset != null) {
            Check.safeNonNegative(originalOffset, "originalOffset");
        }
        Check.optionalId(clientId, "clientId");
        Check.optionalId(experimentId, "experimentId");
        if (round != null) {
            Check.range(round, 0, Integer.MAX_VALUE, "round");
        }
        Check.safeNonNegative(timestampMillis, "timestampMillis");
    }

    /** A dead letter whose detail is truncated to {@link #MAX_DETAIL} characters. */
    public static DeadLetter of(
            String reason,
            String detail,
            String originalTopic,
            Integer originalPartition,
            Long originalOffset,
            String clientId,
            String experimentId,
            Integer round,
            long timestampMillis) {
        String d = detail == null ? "" : detail;
        if (d.length() > MAX_DETAIL) {
            int cut = MAX_DETAIL - 3;
            if (Character.isHighSurrogate(d.charAt(cut - 1))) {
                cut--;
            }
            d = d.substring(0, cut) + "...";
        }
        return new DeadLetter(
                reason,
                d,
                originalTopic,
                originalPartition,
                originalOffset,
                clientId,
                experimentId,
                round,
                timestampMillis);
    }

    /** A dead letter for a {@link ProtocolException}. */
    public static DeadLetter of(
            ProtocolException e,
            String originalTopic,
            Integer originalPartition,
            Long originalOffset,
            String clientId,
            String experimentId,
            Integer round,
            long timestampMillis) {
        return of(
                e.reason().code(),
                e.getMessage(),
                originalTopic,
                originalPartition,
                originalOffset,
                clientId,
                experimentId,
                round,
                timestampMillis);
    }

    @Override
    public MessageType messageType() {
        return MessageType.DEAD_LETTER;
    }

    @Override
    public String signer() {
        return EnvelopeCodec.SERVER;
    }
}
