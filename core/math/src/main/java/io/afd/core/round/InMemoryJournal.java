package io.afd.core.round;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link RoundJournal} in memory, for in-process runs: no deadline in practice (the round timeout
 * is very long) and a quorum of 1.
 */
public class InMemoryJournal implements RoundJournal {
    private final Duration roundTimeout;
    private final double quorum;
    private final Map<Integer, OpenRound> rounds = new HashMap<>();
    private boolean running = true;
    private Integer modelVersion;
    private int currentRound;

    public InMemoryJournal() {
        this(Duration.ofDays(365), 1.0);
    }

    public InMemoryJournal(Duration roundTimeout, double quorum) {
        this.roundTimeout = roundTimeout;
        this.quorum = quorum;
    }

    @Override
    public Progress progress() {
        return new Progress(running, modelVersion, currentRound, roundTimeout, quorum);
    }

    @Override
    public OpenRound round(int round) {
        return rounds.get(round);
    }

    public Integer modelVersion() {
        return modelVersion;
    }

    @Override
    public void initialModel(int version) {
        modelVersion = version;
    }

    @Override
    public void opened(OpenRound r) {
        rounds.putIfAbsent(r.round(), r);
    }

    private void state(int round, RoundState s) {
        OpenRound r = rounds.get(round);
        rounds.put(round, new OpenRound(r.round(), s, r.participants(), r.baseVersion(), r.deadline()));
    }

    @Override
    public void tasksSent(int round, long bytesDown) {
        state(round, RoundState.COLLECTING);
    }

    @Override
    public void collecting(int round, Federation.Collected collected) {}

    @Override
    public void closing(int round, Federation.Collected collected) {
        state(round, RoundState.CLOSING);
    }

    @Override
    public void aggregated(int round, Federation.Closed closed) {
        state(round, RoundState.AGGREGATED);
    }

    @Override
    public void scored(int round, Federation.Closed closed, Federation.Evaluation evaluation, boolean completes) {
        state(round, RoundState.SCORES_UPDATED);
        modelVersion = closed.modelVersion();
        currentRound = round + 1;
        if (completes) {
            running = false;
        }
    }

    @Override
    public void advanced(int round) {
        currentRound = Math.max(currentRound, round + 1);
    }

    @Override
    public void failed(int round, String reason) {
        if (round >= 0 && rounds.containsKey(round)) {
            state(round, RoundState.FAILED);
        }
        running = false;
    }

    @Override
    public void completed() {
        running = false;
    }
}
