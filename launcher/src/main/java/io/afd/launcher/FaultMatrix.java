package io.afd.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.core.codec.TensorCodec;
import io.afd.core.data.FederatedDataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.Simulator;
import io.afd.core.tensor.ParamSet;
import io.afd.edge.Fleet;
import io.afd.edge.KafkaEdgeRuntime;
import io.afd.edge.OrchestratorApi;
import io.afd.infra.InfraStack;
import io.afd.infra.Layout;
import io.afd.infra.auth.LocalIssuer;
import io.afd.kafka.KafkaConnection;
import io.afd.protocol.SigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fault matrix (issue 10 item 4), {@code bin/afd fault-matrix}: one suite and one fleet; one experiment per
 * fault, each service in turn and then the Kafka broker SIGKILLed and restarted while the round collects (after the
 * fourth update of the run was sent); every experiment must complete with the in-process simulator's final model,
 * bit for bit. Prints a table: fault | completed | same bits | recovery s | run s.
 */
public final class FaultMatrix {
    /** The matrix's experiment: small enough for CI, chunk-free, stateful DGC. */
    static final String YAML = """
            name: fault-matrix
            seed: 11
            dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 6, maxSamplesPerClient: 120}
            model: mlp(in=60,hidden=48,classes=10)
            rounds: 3
            clientsPerRound: 3
            train: {epochs: 1, batchSize: 10, learningRate: 0.05}
            strategy: {policy: afd-single, dropoutRate: 0.5}
            dgc: {enabled: true, momentum: 0.5, sparsity: 0.9, warmup: [0.5], denseBelow: 100}
            downlink: float32
            uplink: float32
            """;

    /** "none", every service, then the Kafka broker. */
    static final List<String> FAULTS =
            List.of("none", "aggregator", "orchestrator", "packager", "score-map", "model-registry", "kafka");

    /** One fault's outcome. */
    public record Row(String fault, String status, boolean sameBits, double recoverySeconds, double runSeconds) {
        public boolean ok() {
            return status.equals("COMPLETED") && sameBits;
        }
    }

    private FaultMatrix() {}

    /** Runs every fault against a suite started on the given infrastructure. */
    public static List<Row> run(
            KafkaConnection kafka,
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            LocalIssuer issuer,
            int basePort,
            Path dir,
            List<String> faults,
            java.util.function.Consumer<Duration> brokerCrash)
            throws Exception {
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "fault-matrix");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        ParamSet expected =
                new Simulator(cfg).run(data, new Simulator.Listener() {}).finalModel();
        List<Row> rows = new ArrayList<>();
        try (SuiteLauncher suite = SuiteLauncher.start(
                kafka,
                jdbcUrl,
                dbUser,
                dbPassword,
                SigningKey.generate().seedText(),
                issuer,
                basePort,
                dir.resolve("logs"))) {
            OrchestratorApi api = new OrchestratorApi(suite.url("orchestrator"), suite.token("admin"));
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<String> fault = new AtomicReference<>("none");
            AtomicReference<CompletableFuture<Double>> recovery = new AtomicReference<>();
            KafkaEdgeRuntime.Listener crasher = (c, out, ms) -> {
                if (sent.incrementAndGet() == 4 && !fault.get().equals("none")) {
                    CompletableFuture<Double> done = recovery.get();
                    new Thread(() -> {
                                long t0 = System.nanoTime();
                                try {
                                    if (fault.get().equals("kafka")) {
                                        brokerCrash.accept(Duration.ofSeconds(2));
                                    } else {
                                        suite.crashAndRestart(fault.get(), Duration.ofSeconds(1));
                                    }
                                    done.complete((System.nanoTime() - t0) / 1e9);
                                } catch (Exception e) {
                                    done.completeExceptionally(e);
                                }
                            })
                            .start();
                }
            };
            try (Fleet fleet = Fleet.start(data, api, null, dir.resolve("edge-keys"), crasher)) {
                for (String f : faults) {
                    String id = "fm-" + f + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
                    sent.set(0);
                    fault.set(f);
                    recovery.set(new CompletableFuture<>());
                    long t0 = System.nanoTime();
                    String status = follow(api, id);
                    double recoverySeconds =
                            f.equals("none") ? 0 : recovery.get().get(5, java.util.concurrent.TimeUnit.MINUTES);
                    boolean same = status.equals("COMPLETED")
                            && expected.bitEquals(new ParamSet(TensorCodec.decodeDense(latestWeights(suite, id))));
                    rows.add(new Row(f, status, same, recoverySeconds, (System.nanoTime() - t0) / 1e9));
                    System.err.printf(Locale.ROOT, "fault-matrix: %s -> %s, same bits %s%n", f, status, same);
                }
            }
        }
        return rows;
    }

    /** Creates and starts the experiment and follows it to its end (the orchestrator itself may restart). */
    private static String follow(OrchestratorApi api, String id) throws InterruptedException {
        api.createExperiment(id, YAML, 120);
        api.action(id, "start");
        long end = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        String status = "RUNNING";
        while (System.nanoTime() < end) {
            Thread.sleep(500);
            try {
                JsonNode e = api.experiment(id);
                status = e.path("status").asText();
                if (!status.equals("RUNNING") && !status.equals("CREATED")) {
                    return status
                            + (e.hasNonNull("error") ? ": " + e.path("error").asText() : "");
                }
            } catch (OrchestratorApi.Unreachable unreachable) {
                // the orchestrator is the fault being injected
            }
        }
        return "STUCK in " + status;
    }

    private static byte[] latestWeights(SuiteLauncher suite, String id) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(suite.url("model-registry") + "/experiments/" + id
                                        + "/versions/latest/weights"))
                                .header("Authorization", "Bearer " + suite.token("viewer"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("no final model of " + id + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** The table. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder(
                "| fault (SIGKILL + restart while collecting) | completed | same bits as the simulator | recovery (s) |"
                        + " run (s) |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %.1f |%n",
                    r.fault(),
                    r.status(),
                    r.sameBits() ? "yes" : "NO",
                    r.fault().equals("none") ? "-" : String.format(Locale.ROOT, "%.1f", r.recoverySeconds()),
                    r.runSeconds()));
        }
        return b.toString();
    }

    /** {@code bin/afd fault-matrix [--base-port 19280]}: its own Kafka and PostgreSQL, a fresh database. */
    public static void main(String[] args) throws Exception {
        int basePort = args.length >= 2 && args[0].equals("--base-port") ? Integer.parseInt(args[1]) : 19280;
        Path dir = Layout.repoRoot().orElseThrow().resolve(".afd/fault-matrix");
        String db = "afd_fault_matrix_" + System.currentTimeMillis();
        List<Row> rows;
        try (InfraStack infra =
                InfraStack.builder(dir.resolve("infra")).database(db).start()) {
            rows = run(
                    infra.kafka().adminConnection(),
                    infra.postgres().jdbcUrl(db),
                    infra.postgres().username(),
                    infra.postgres().password(),
                    LocalIssuer.open(dir.resolve("auth")),
                    basePort,
                    dir,
                    FAULTS,
                    infra::crashAndRestartKafka);
            infra.postgres().dropDatabase(db);
        }
        System.out.println();
        System.out.print(table(rows));
        System.exit(rows.stream().allMatch(Row::ok) ? 0 : 1);
    }
}
