package io.afd.core.sim;

import io.afd.core.codec.CodecSpec;
import io.afd.core.data.PartitionSpec;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.LossSignal;
import io.afd.core.round.Policies;
import io.afd.core.round.RoundSettings;
import io.afd.core.round.SelectionSettings;
import io.afd.core.round.TrainConfig;
import io.afd.core.scoremap.ScoreMap;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One federated experiment, as read from YAML (see {@code examples/}). Every key is optional except
 * {@code dataset.kind} and {@code model}; unknown keys are errors.
 *
 * @param name            experiment name (default: the file name)
 * @param seed            master seed: data, init, sampling, selections, batch order (default 1)
 * @param dataset         where the data comes from and how it is split
 * @param model           architecture, e.g. {@code mlp(in=60,hidden=200,classes=10)}
 * @param rounds          number of rounds (default 20)
 * @param clientsPerRound clients sampled uniformly without replacement each round (default 10)
 * @param train           local epochs, batch size, learning rate
 * @param strategy        dropout policy and rate
 * @param dgc             DGC settings (when {@code dgc.enabled} is false: dense momentum SGD)
 * @param downlink        codec of the sub-model sent to clients ({@code float32}, {@code float16}, {@code q8}, {@code q8-hadamard}, ...)
 * @param uplink          codec of client updates ({@code float32} or {@code float16}: dense and sparse values)
 * @param targetAccuracy  stop once test accuracy reaches this (default: never)
 * @param evalEvery       evaluate the global model every this many rounds and at the last (default 1)
 * @param evalBatchSize   batch size of evaluation (default 500)
 * @param maxTestSamples  evaluate on at most this many test samples (default 10000)
 */
public record ExperimentConfig(
        String name,
        long seed,
        DatasetConfig dataset,
        ModelSpec model,
        int rounds,
        int clientsPerRound,
        TrainSettings train,
        SelectionSettings strategy,
        boolean dgcEnabled,
        DgcConfig dgc,
        CodecSpec downlink,
        CodecSpec uplink,
        double targetAccuracy,
        int evalEvery,
        int evalBatchSize,
        int maxTestSamples) {

    /**
     * Data source.
     *
     * @param kind        {@code synthetic}, {@code fashion-mnist} or {@code leaf}
     * @param clients     number of clients (synthetic, fashion-mnist)
     * @param alpha       Synthetic(alpha, beta) model heterogeneity
     * @param beta        Synthetic(alpha, beta) data heterogeneity
     * @param maxSamplesPerClient cap on a synthetic client's samples (default 500)
     * @param dir         fashion-mnist directory (default: the Debian package's) or LEAF train directory
     * @param testDir     LEAF test directory
     * @param partition   how pooled data is split: {@code iid}, {@code dirichlet:0.3}, {@code shards:2}
     * @param trainLimit  use at most this many training samples (fashion-mnist; 0 = all)
     * @param testLimit   use at most this many test samples (fashion-mnist; 0 = all)
     */
    public record DatasetConfig(
            String kind,
            int clients,
            double alpha,
            double beta,
            int maxSamplesPerClient,
            String dir,
            String testDir,
            PartitionSpec partition,
            int trainLimit,
            int testLimit) {}

    /** Local training: E epochs, batch B, learning rate eta. */
    public record TrainSettings(int epochs, int batchSize, double learningRate) {}

    public static ExperimentConfig load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            try {
                return fromMap(doc, base);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    public static ExperimentConfig parse(String yaml, String defaultName) {
        return fromMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml), defaultName);
    }

    static ExperimentConfig fromMap(Object doc, String defaultName) {
        ConfigMap root = new ConfigMap("", doc);
        String name = root.string("name", defaultName);
        long seed = (long) root.number("seed", 1);

        ConfigMap d = root.child("dataset");
        String kind = d.string("kind", null);
        DatasetConfig data = new DatasetConfig(
                kind,
                d.integer("clients", 100),
                d.number("alpha", 1),
                d.number("beta", 1),
                d.integer("maxSamplesPerClient", 500),
                d.string("dir", ""),
                d.string("testDir", ""),
                PartitionSpec.parse(d.string("partition", "iid")),
                d.integer("trainLimit", 0),
                d.integer("testLimit", 0));
        d.rejectUnknown();
        if (!kind.equals("synthetic") && !kind.equals("fashion-mnist") && !kind.equals("leaf")) {
            throw new IllegalArgumentException("dataset.kind must be synthetic, fashion-mnist or leaf, got " + kind);
        }

        ModelSpec model = ModelSpec.parse(root.string("model", null));
        int rounds = root.integer("rounds", 20);
        int perRound = root.integer("clientsPerRound", 10);

        ConfigMap t = root.child("train");
        TrainSettings train =
                new TrainSettings(t.integer("epochs", 1), t.integer("batchSize", 10), t.number("learningRate", 0.05));
        t.rejectUnknown();

        ConfigMap s = root.child("strategy");
        SelectionSettings strategy = new SelectionSettings(
                s.string("policy", "fedavg"),
                s.number("dropoutRate", 0.25),
                s.bool("topK", false),
                s.number("eps", ScoreMap.DEFAULT_EPS),
                LossSignal.parse(s.string("lossSignal", "train")));
        s.rejectUnknown();

        ConfigMap g = root.child("dgc");
        boolean dgcEnabled = g.bool("enabled", false);
        double momentum = g.number("momentum", 0.9);
        double clip = g.number("clipNorm", 0);
        double[] warmup = g.numbers("warmup", DgcConfig.PAPER_WARMUP);
        double sparsity = g.number("sparsity", 0.999);
        int denseBelow = g.integer("denseBelow", 1024);
        double sampleRatio = g.number("sampleRatio", 0.01);
        double tolerance = g.number("tolerance", 0.2);
        boolean masking = g.bool("factorMasking", true);
        // Without DGC: dense momentum SGD, momentum reset every round (masking at sparsity 0).
        DgcConfig dgc = dgcEnabled
                ? new DgcConfig(momentum, clip, warmup, sparsity, denseBelow, sampleRatio, tolerance, masking)
                : new DgcConfig(momentum, clip, new double[0], 0, 0, sampleRatio, tolerance, true);
        g.rejectUnknown();

        CodecSpec down = CodecSpec.parse(root.string("downlink", "float32"), seed);
        CodecSpec up = CodecSpec.parse(root.string("uplink", "float32"), seed);
        double target = root.number("targetAccuracy", 2.0);
        int evalEvery = root.integer("evalEvery", 1);
        int evalBatch = root.integer("evalBatchSize", 500);
        int maxTest = root.integer("maxTestSamples", 10_000);
        root.rejectUnknown();

        ExperimentConfig c = new ExperimentConfig(
                name,
                seed,
                data,
                model,
                rounds,
                perRound,
                train,
                strategy,
                dgcEnabled,
                dgc,
                down,
                up,
                target,
                evalEvery,
                evalBatch,
                maxTest);
        c.validate();
        return c;
    }

    private void validate() {
        check(rounds >= 1, "rounds must be >= 1");
        check(clientsPerRound >= 1, "clientsPerRound must be >= 1");
        check(
                dataset.kind().equals("leaf") || clientsPerRound <= dataset.clients(),
                "clientsPerRound (" + clientsPerRound + ") exceeds dataset.clients (" + dataset.clients() + ")");
        check(train.epochs() >= 1 && train.batchSize() >= 1, "train.epochs and train.batchSize must be >= 1");
        check(train.learningRate() > 0 && Double.isFinite(train.learningRate()), "train.learningRate must be > 0");
        check(evalEvery >= 1, "evalEvery must be >= 1");
        check(evalBatchSize >= 1, "evalBatchSize must be >= 1");
        check(maxTestSamples >= 1, "maxTestSamples must be >= 1");
        check(
                !Policies.dropsUnits(strategy.policy())
                        || !model.droppableLayers().isEmpty(),
                "policy " + strategy.policy() + " needs droppable layers, but " + model + " has none");
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException(msg);
        }
    }

    /** What the round loop needs of this experiment (the same in the simulator and the suite). */
    public RoundSettings roundSettings() {
        return new RoundSettings(
                seed,
                model,
                rounds,
                clientsPerRound,
                new TrainConfig(train.epochs(), train.batchSize(), train.learningRate(), dgc),
                strategy,
                downlink,
                uplink,
                targetAccuracy,
                evalEvery,
                evalBatchSize);
    }

    /** The settings as a flat map, for metrics files and reports. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("seed", seed);
        m.put("dataset", dataset.kind());
        m.put("clients", dataset.clients());
        m.put("partition", dataset.partition().toString());
        m.put("model", model.toString());
        m.put("rounds", rounds);
        m.put("clientsPerRound", clientsPerRound);
        m.put("epochs", train.epochs());
        m.put("batchSize", train.batchSize());
        m.put("learningRate", train.learningRate());
        m.put("policy", strategy.policy());
        m.put("dropoutRate", strategy.effectiveDropoutRate());
        m.put("topK", strategy.topK());
        m.put("lossSignal", strategy.lossSignal().label());
        m.put("dgc", dgcEnabled);
        m.put("momentum", dgc.momentum());
        m.put("finalSparsity", dgc.finalSparsity());
        m.put("clipNorm", dgc.clipNorm());
        m.put("downlink", downlink.toString());
        m.put("uplink", uplink.toString());
        return m;
    }
}
