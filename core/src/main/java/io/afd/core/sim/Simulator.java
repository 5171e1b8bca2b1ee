package io.afd.core.sim;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.data.Dataset;
import io.afd.core.data.FederatedDataset;
import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.model.ModelSpec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.scoremap.DropoutStrategy;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.train.ClientOptimizerState;
import io.afd.core.train.LocalResult;
import io.afd.core.train.LocalTrainer;
import io.afd.core.train.RuntimeCache;
import io.afd.core.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The in-process federated simulation: the same algorithms as the distributed suite (sub-model
 * extraction, downlink codec, local DGC training, uplink codec, sub-model-aware FedAvg, score-map
 * updates) with clients run one after another in this JVM. Every payload is really encoded and
 * decoded, so byte counts are those of the wire format.
 *
 * <p>Round t: sample {@code clientsPerRound} of the clients uniformly without replacement (seeded by
 * (seed, t)); ask the {@link DropoutStrategy} for each one's selection; for each client extract,
 * encode, decode, train, encode, decode and accumulate; apply the average; feed the losses back to
 * the score maps; evaluate the new global model.
 */
public final class Simulator {

    /** Receives progress; all methods are optional. */
    public interface Listener {
        default void onStart(ExperimentConfig config, FederatedDataset data, ModelSpec model) {
        }

        default void onRound(RoundMetrics metrics, List<DropoutStrategy.ScoreUpdate> updates,
                             Map<String, ScoreMap> scoreMaps) {
        }
    }

    /** Outcome of a run. */
    public record Result(ExperimentConfig config, List<RoundMetrics> rounds, ParamSet finalModel,
                         Map<String, ScoreMap> scoreMaps, boolean reachedTarget, long wallMillis) {
        public RoundMetrics last() {
            return rounds.get(rounds.size() - 1);
        }

        /** Best test accuracy seen. */
        public double bestAccuracy() {
            return rounds.stream().mapToDouble(RoundMetrics::testAccuracy).filter(d -> !Double.isNaN(d)).max()
                    .orElse(Double.NaN);
        }
    }

    private final ExperimentConfig config;

    public Simulator(ExperimentConfig config) {
        this.config = config;
    }

    /** Client ids, stable across processes. */
    public static String clientId(int k) {
        return String.format("client-%05d", k);
    }

    /** The clients sampled for a round: sorted indices, uniform without replacement. */
    public static int[] sampleClients(long seed, int round, int numClients, int perRound) {
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, 1, round));
        int[] perm = new int[numClients];
        Arrays.setAll(perm, i -> i);
        int m = Math.min(perRound, numClients);
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(numClients - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, m);
        Arrays.sort(out);
        return out;
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
        ParamSet global = spec.init(Seeds.derive(config.seed(), 2));
        DropoutStrategy strategy = new DropoutStrategy(spec, config.strategy(), Seeds.derive(config.seed(), 3));
        RuntimeCache runtimes = new RuntimeCache(4);
        LocalTrainer trainer = new LocalTrainer(runtimes);
        TrainConfig trainCfg = new TrainConfig(config.train().epochs(), config.train().batchSize(),
                config.train().learningRate(), config.dgc());
        boolean statefulClients = config.dgc().compresses() || !config.dgc().factorMasking();
        Map<Integer, ClientOptimizerState> states = new HashMap<>();
        ClientOptimizerState sharedZeroState = statefulClients ? null : new ClientOptimizerState(spec);
        Dataset test = DataLoader.head(data.test(), config.maxTestSamples());
        ModelRuntime evalRuntime = ModelRuntime.create(spec);
        long denseBytes = spec.numParams() * 4;
        boolean initialLoss = config.strategy().lossSignal() == DropoutStrategy.LossSignal.INITIAL;

        List<RoundMetrics> rounds = new ArrayList<>();
        boolean reached = false;
        for (int t = 0; t < config.rounds() && !reached; t++) {
            long rs = System.nanoTime();
            int[] sampled = sampleClients(config.seed(), t, data.numClients(), config.clientsPerRound());
            List<String> ids = new ArrayList<>();
            for (int k : sampled) {
                ids.add(clientId(k));
            }
            Map<String, Selection> selections = strategy.configureRound(t, ids);
            FedAvgAccumulator acc = new FedAvgAccumulator(spec);
            Map<String, SubModelLayout> layouts = new LinkedHashMap<>();
            List<DropoutStrategy.ClientReport> reports = new ArrayList<>();
            long down = 0;
            long up = 0;
            long subParams = 0;
            long sent = 0;
            long trainNanos = 0;
            long maxTrainNanos = 0;
            double lossNum = 0;
            long lossDen = 0;
            double sparsity = 0;
            for (int i = 0; i < sampled.length; i++) {
                int k = sampled[i];
                String id = ids.get(i);
                Selection sel = selections.get(id);
                SubModelLayout layout = layouts.computeIfAbsent(sel.id(), x -> new SubModelLayout(spec, sel));
                // downlink: extract, encode, decode as the client would
                CodecSpec downSpec = config.downlink().withSeed(Seeds.derive(config.seed(), 4, t, k));
                byte[] downBlob = TensorCodec.encode(layout.extract(global).list(), downSpec);
                ParamSet received = new ParamSet(TensorCodec.decodeDense(downBlob));
                Dataset local = data.client(k);
                ClientOptimizerState st = statefulClients
                        ? states.computeIfAbsent(k, x -> new ClientOptimizerState(spec)) : sharedZeroState;
                long ts = System.nanoTime();
                LocalResult res = trainer.train(layout, received, local.features(), local.labels(), trainCfg, st, t,
                        sampled.length, Seeds.derive(config.seed(), 5, t, k), initialLoss);
                long tn = System.nanoTime() - ts;
                trainNanos += tn;
                maxTrainNanos = Math.max(maxTrainNanos, tn);
                // uplink: encode, decode as the server would, aggregate
                byte[] upBlob = TensorCodec.encode(res.update(),
                        config.uplink().withSeed(Seeds.derive(config.seed(), 6, t, k)));
                List<NamedTensor> decoded = TensorCodec.decode(upBlob);
                acc.add(sel, decoded, res.numSamples());
                reports.add(new DropoutStrategy.ClientReport(id, res.numSamples(), res.trainLoss(),
                        res.initialLoss()));
                down += downBlob.length;
                up += upBlob.length;
                subParams += layout.subParams();
                sent += res.sentValues();
                lossNum += res.trainLoss() * res.numSamples();
                lossDen += res.numSamples();
                sparsity = res.sparsity();
            }
            global = acc.apply(global);
            List<DropoutStrategy.ScoreUpdate> updates = strategy.onRoundResults(t, reports);
            double acc1 = Double.NaN;
            double loss1 = Double.NaN;
            boolean last = t == config.rounds() - 1;
            if (t % config.evalEvery() == 0 || last || config.targetAccuracy() <= 1) {
                evalRuntime.setParams(global);
                ModelRuntime.Evaluation ev = evalRuntime.evaluate(test.features(), test.labels(), 500);
                acc1 = ev.accuracy();
                loss1 = ev.loss();
                reached = acc1 >= config.targetAccuracy();
            }
            int m = sampled.length;
            RoundMetrics rm = new RoundMetrics(t, m, acc1, loss1, lossNum / lossDen, (double) down / m,
                    (double) up / m, denseBytes, (double) subParams / m, sparsity, (double) sent / m,
                    layouts.size(), trainNanos / 1_000_000, maxTrainNanos / 1_000_000,
                    (System.nanoTime() - rs) / 1_000_000);
            rounds.add(rm);
            listener.onRound(rm, updates, strategy.scoreMaps());
        }
        return new Result(config, rounds, global, strategy.scoreMaps(), reached,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static void checkData(ModelSpec spec, FederatedDataset data) {
        if (!Arrays.equals(spec.inputShape(), data.featureShape())
                && spec.inputSize() != io.afd.core.tensor.Shapes.size(data.featureShape())) {
            throw new IllegalArgumentException("model " + spec + " takes inputs " + Arrays.toString(spec.inputShape())
                    + " but the data has " + Arrays.toString(data.featureShape()));
        }
        if (spec.numClasses() < data.numClasses()) {
            throw new IllegalArgumentException("model " + spec + " has " + spec.numClasses()
                    + " classes but the data has " + data.numClasses());
        }
    }
}
