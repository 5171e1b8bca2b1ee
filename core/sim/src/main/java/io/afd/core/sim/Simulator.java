package io.afd.core.sim;

import io.afd.core.data.FederatedDataset;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.Federation;
import io.afd.core.round.InMemoryJournal;
import io.afd.core.round.RoundLoop;
import io.afd.core.round.RoundPlanner;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.round.StepOutcome;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Shapes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The in-process federated simulation: the suite's {@link RoundLoop} over an
 * {@link InProcessFederation} (a round's clients trained in this JVM, several at once) and an
 * in-memory journal. The planner, the policy, the client step and the closing decisions are the
 * distributed suite's, so the same config and seed give the same global model, whatever the number
 * of threads.
 */
public final class Simulator {

    /** Receives progress; all methods are optional. */
    public interface Listener {
        default void onStart(ExperimentConfig config, FederatedDataset data, ModelSpec model) {}

        default void onRound(RoundMetrics metrics, List<ScoreUpdate> updates, Map<String, ScoreMap> scoreMaps) {}
    }

    /** Outcome of a run. */
    public record Result(
            ExperimentConfig config,
            List<RoundMetrics> rounds,
            ParamSet finalModel,
            Map<String, ScoreMap> scoreMaps,
            boolean reachedTarget,
            long wallMillis) {
        public RoundMetrics last() {
            return rounds.get(rounds.size() - 1);
        }

        /** Best test accuracy seen. */
        public double bestAccuracy() {
            return rounds.stream()
                    .mapToDouble(RoundMetrics::testAccuracy)
                    .filter(d -> !Double.isNaN(d))
                    .max()
                    .orElse(Double.NaN);
        }
    }

    private final ExperimentConfig config;
    private final int threads;

    /** Trains up to {@link #defaultThreads()} clients at once. */
    public Simulator(ExperimentConfig config) {
        this(config, defaultThreads());
    }

    /**
     * @param threads clients of a round trained at once (1 = one after another);
     *                the results are the same bits for any value
     */
    public Simulator(ExperimentConfig config, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.config = config;
        this.threads = threads;
    }

    /** The available processors: one client per core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    public Result run(Listener listener) {
        FederatedDataset data = DataLoader.load(config.dataset(), config.seed());
        return run(data, listener);
    }

    public Result run(FederatedDataset data, Listener listener) {
        long t0 = System.nanoTime();
        ModelSpec spec = config.model();
        checkData(spec, data);
        listener.onStart(config, data, spec);
        RoundPlanner planner = new RoundPlanner(config.roundSettings());
        try (InProcessFederation federation =
                new InProcessFederation(planner, data, config.maxTestSamples(), threads)) {
            return run(planner, federation, data, t0, listener);
        }
    }

    private Result run(
            RoundPlanner planner, InProcessFederation federation, FederatedDataset data, long t0, Listener listener) {
        List<RoundMetrics> rounds = new ArrayList<>();
        boolean[] reached = {false};
        InMemoryJournal journal = new InMemoryJournal() {
            @Override
            public void scored(int round, Federation.Closed closed, Federation.Evaluation ev, boolean completes) {
                super.scored(round, closed, ev, completes);
                RoundMetrics m = federation.metrics(closed, ev);
                rounds.add(m);
                reached[0] = ev != null && ev.accuracy() >= config.targetAccuracy();
                listener.onRound(m, federation.scoreUpdates(round), federation.scoreMaps());
            }
        };
        RoundLoop loop = new RoundLoop(planner, federation, journal, Clock.systemUTC());
        StepOutcome last;
        do {
            last = loop.advance();
        } while (last.progressed());
        if (last.kind() != StepOutcome.Kind.COMPLETED) {
            throw new IllegalStateException("simulation of " + config.name() + " stopped: " + last);
        }
        return new Result(
                config,
                rounds,
                federation.global(),
                federation.scoreMaps(),
                reached[0],
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static void checkData(ModelSpec spec, FederatedDataset data) {
        if (!Arrays.equals(spec.inputShape(), data.featureShape())
                && spec.inputSize() != Shapes.size(data.featureShape())) {
            throw new IllegalArgumentException("model " + spec + " takes inputs " + Arrays.toString(spec.inputShape())
                    + " but the data has " + Arrays.toString(data.featureShape()));
        }
        if (spec.numClasses() < data.numClasses()) {
            throw new IllegalArgumentException(
                    "model " + spec + " has " + spec.numClasses() + " classes but the data has " + data.numClasses());
        }
    }
}
