package io.afd.core.round;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the round loop keeps an experiment's progress: the port to the durable state. The loop
 * reads it before every step and records each step's result, so a loop restarted on the same
 * journal resumes where it stopped. The orchestrator keeps it in PostgreSQL; the simulator in memory.
 */
public interface RoundJournal {

    /**
     * The experiment's progress.
     *
     * @param running      whether rounds should advance
     * @param modelVersion the current global version, null before the initial model exists
     * @param currentRound the round in progress (or next to open)
     * @param roundTimeout how long a round collects updates
     * @param quorum       fraction of participants whose updates let a round close at its deadline, in (0, 1]
     */
    record Progress(boolean running, Integer modelVersion, int currentRound, Duration roundTimeout, double quorum) {}

    /**
     * An opened round.
     *
     * @param round        its index
     * @param state        where it is
     * @param participants who takes part, in order
     * @param baseVersion  the global version its tasks are cut from
     * @param deadline     when collecting ends
     */
    record OpenRound(int round, RoundState state, List<Client> participants, int baseVersion, Instant deadline) {}

    Progress progress();

    /** The round, or null when it was not opened yet. */
    OpenRound round(int round);

    /** The initial global model was published as {@code version}. */
    void initialModel(int version);

    /** Round {@code r} was opened (state {@link RoundState#OPEN}); repeating it changes nothing. */
    void opened(OpenRound r);

    /** The tasks of round {@code round} were sent: state {@link RoundState#COLLECTING}. */
    void tasksSent(int round, long bytesDown);

    /** Updates received so far (state unchanged). */
    void collecting(int round, Federation.Collected collected);

    /** Enough updates: state {@link RoundState#CLOSING}. */
    void closing(int round, Federation.Collected collected);

    /** Aggregated into a new version: state {@link RoundState#AGGREGATED}. */
    void aggregated(int round, Federation.Closed closed);

    /**
     * Score maps updated and the version evaluated: state {@link RoundState#SCORES_UPDATED}; the
     * experiment's version becomes {@code closed.modelVersion()}, and it completes when {@code completes}.
     *
     * @param evaluation the evaluation, null when the round was not due for one
     */
    void scored(int round, Federation.Closed closed, Federation.Evaluation evaluation, boolean completes);

    /** Round {@code round} is done: the next one is current. */
    void advanced(int round);

    /** The round (when {@code round >= 0}) and the experiment failed. */
    void failed(int round, String reason);

    /** Every round is done. */
    void completed();
}
