package io.afd.cli;

import io.afd.core.data.FederatedDataset;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.MetricsWriter;
import io.afd.core.sim.RoundMetrics;
import io.afd.core.sim.Simulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code afd simulate}: one experiment in-process, metrics to CSV/JSON, a summary table at the end. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Run one federated experiment in-process (no Kafka, no PostgreSQL) and write per-round metrics.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "Experiment YAML (see examples/).")
    Path config;

    @Option(
            names = {"-o", "--out"},
            description = "Output directory (default: runs/<experiment name>).")
    Path out;

    @Option(names = "--rounds", description = "Override the number of rounds.")
    Integer rounds;

    @Option(names = "--seed", description = "Override the seed.")
    Long seed;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress output.")
    boolean quiet;

    @Option(
            names = {"-t", "--threads"},
            paramLabel = "N",
            description = "Clients of a round trained at once (default: the available processors; "
                    + "1 = one after another). The results are the same bits for any N.")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = ExperimentConfig.load(config);
        if (rounds != null || seed != null) {
            cfg = new ExperimentConfig(
                    cfg.name(),
                    seed != null ? seed : cfg.seed(),
                    cfg.dataset(),
                    cfg.model(),
                    rounds != null ? rounds : cfg.rounds(),
                    cfg.clientsPerRound(),
                    cfg.train(),
                    cfg.strategy(),
                    cfg.dgcEnabled(),
                    cfg.dgc(),
                    cfg.downlink(),
                    cfg.uplink(),
                    cfg.targetAccuracy(),
                    cfg.evalEvery(),
                    cfg.evalBatchSize(),
                    cfg.maxTestSamples());
        }
        int n = threads != null ? threads : Simulator.defaultThreads();
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + n);
        }
        Path dir = out != null ? out : Path.of("runs", cfg.name());
        MetricsWriter writer = new MetricsWriter(dir);
        final int total = cfg.rounds();
        System.err.println("afd simulate: " + cfg.name() + " -> " + dir);
        Simulator.Listener progress = new Simulator.Listener() {
            Progress bar;

            @Override
            public void onStart(ExperimentConfig c, FederatedDataset data, ModelSpec model) {
                writer.onStart(c, data, model);
                if (!quiet) {
                    System.err.printf(
                            Locale.ROOT,
                            "  data: %s, %d clients, %d train / %d test samples%n",
                            data.description(),
                            data.numClients(),
                            data.totalTrainSamples(),
                            data.test().size());
                    System.err.printf(
                            Locale.ROOT,
                            "  model: %s, %,d parameters; policy %s; DGC %s; %d client(s) trained at once%n",
                            model,
                            model.numParams(),
                            c.strategy().policy(),
                            c.dgcEnabled() ? "on" : "off",
                            Math.min(n, c.clientsPerRound()));
                }
                bar = new Progress(System.err, total);
            }

            @Override
            public void onRound(RoundMetrics m, List<ScoreUpdate> u, Map<String, ScoreMap> maps) {
                writer.onRound(m, u, maps);
                if (!quiet) {
                    bar.step(
                            m.round() + 1,
                            String.format(
                                    Locale.ROOT,
                                    "acc %s loss %.3f down %s up %s",
                                    Table.pct(m.testAccuracy()),
                                    m.trainLoss(),
                                    Table.bytes(m.bytesDownPerClient()),
                                    Table.bytes(m.bytesUpPerClient())));
                }
            }
        };
        Simulator.Result r = new Simulator(cfg, n).run(progress);
        writer.finish(r);
        System.out.println(summary(r));
        System.out.println("metrics: " + dir.resolve("metrics.csv") + ", " + dir.resolve("metrics.json"));
        return 0;
    }

    static String summary(Simulator.Result r) {
        Map<String, Object> s = MetricsWriter.summary(r);
        RoundMetrics last = r.last();
        double dense = last.denseBytes();
        double down = (double) s.get("meanBytesDownPerClient");
        double up = (double) s.get("meanBytesUpPerClient");
        Table t = new Table("metric", "value", "dense FedAvg (float32)");
        t.row("experiment", r.config().name(), "");
        t.row("rounds run", r.rounds().size() + (r.reachedTarget() ? " (target reached)" : ""), "");
        t.row("final test accuracy", Table.pct(last.testAccuracy()), "");
        t.row("best test accuracy", Table.pct(r.bestAccuracy()), "");
        t.row(
                "bytes down / client / round",
                Table.bytes(down) + " (" + Table.times(dense / down) + " less)",
                Table.bytes(dense));
        t.row(
                "bytes up / client / round",
                Table.bytes(up) + " (" + Table.times(dense / up) + " less)",
                Table.bytes(dense));
        t.row(
                "bytes up, last round",
                Table.bytes(last.bytesUpPerClient()) + " (" + Table.times(dense / last.bytesUpPerClient()) + " less)",
                Table.bytes(dense));
        t.row("wall time", Progress.duration(r.wallMillis() / 1000.0), "");
        return t.render();
    }
}
