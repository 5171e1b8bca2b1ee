package io.afd.core.round;

/**
 * The decisions taken when a round closes, shared by the simulator and the suite: whether the
 * new version is evaluated and whether the experiment ends. (The FedAvg average itself is
 * {@link io.afd.core.fedavg.FedAvgAccumulator}, the score update {@link SelectionPolicy#applyResults}.)
 */
public final class RoundCloser {
    private final RoundSettings settings;

    public RoundCloser(RoundSettings settings) {
        this.settings = settings;
    }

    /** Whether round {@code round} is the experiment's last. */
    public boolean isLast(int round) {
        return round >= settings.rounds() - 1;
    }

    /**
     * Whether the version of round {@code round} is evaluated: every {@code evalEvery} rounds, at
     * the last round, and at every round while a target accuracy can stop the run early.
     */
    public boolean evaluates(int round) {
        return round % settings.evalEvery() == 0 || isLast(round) || settings.targetAccuracy() <= 1;
    }

    /** Whether the experiment ends after round {@code round}, given its evaluation (null if none). */
    public boolean completes(int round, Federation.Evaluation evaluation) {
        return isLast(round) || (evaluation != null && evaluation.accuracy() >= settings.targetAccuracy());
    }
}
