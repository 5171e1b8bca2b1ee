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
import io.afd.infra.testing.StoppablePostgres;
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
 * The fault matrix (issue 10 item 4), {@code bin/afd fault-matrix}: one suite (two aggregators sharing the updates
 * topic, two orchestrators electing one round driver) and one fleet; one experiment per fault. Each JVM in turn
 * SIGKILLed and restarted while round 1 collects (when the run's fourth update is sent) and, for the five services,
 * again as round 1 closes (when its last update is sent: the aggregator stores it, the orchestrator closes);
 * the Kafka broker SIGKILLed; PostgreSQL restarted, and stopped for 30 s; garbage records on every topic. Every
 * experiment must complete with the in-process simulator's final model, bit for bit, and the same accepted updates
 * per round as the unfaulted run. Prints a table: fault | when | completed | same bits | same updates | recovery s |
 * run s.
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

    /** When a fault strikes. */
    public enum When {
        /** Round 1 collects: its first update was just sent. */
        COLLECTING,
        /** Round 1 closes: its last update was just sent. */
        CLOSING;

        /** The run's update (1-based) whose sending triggers the fault: 3 clients per round. */
        int trigger() {
            return this == COLLECTING ? 4 : 6;
        }
    }

    /** What a fault does. */
    public enum Kind {
        NONE,
        /** SIGKILL a service's JVM (an instance: aggregator-1 is the second aggregator), start it again. */
        KILL,
        /** SIGKILL the broker, 2 s without one, a new one on the same port and data. */
        KAFKA,
        /** Stop PostgreSQL and start it again at once. */
        POSTGRES_RESTART,
        /** Stop PostgreSQL for 30 s. */
        POSTGRES_STOP_30S,
        /** Undecodable, unsigned and empty records on every topic, task topics included. */
        GARBAGE
    }

    /** One case of the matrix. */
    public record Fault(Kind kind, String target, When when) {
        public String name() {
            return switch (kind) {
                case NONE -> "none";
                case KILL -> target;
                case KAFKA -> "kafka broker";
                case POSTGRES_RESTART -> "postgresql restart";
                case POSTGRES_STOP_30S -> "postgresql stopped 30 s";
                case GARBAGE -> "garbage on every topic";
            };
        }
    }

    /** The JVMs of the matrix's suite: the first orchestrator starts as the leader, the second as its standby. */
    static final SuiteLauncher.Replicas REPLICAS = new SuiteLauncher.Replicas(2, 2);

    /** Every case: none first (the reference for the accepted updates), then each fault. */
    static final List<Fault> FAULTS = faults();

    private static List<Fault> faults() {
        List<Fault> f = new ArrayList<>();
        f.add(new Fault(Kind.NONE, "", When.COLLECTING));
        for (String jvm : List.of(
                "aggregator",
                "aggregator-1",
                "orchestrator",
                "orchestrator-1",
                "packager",
                "score-map",
                "model-registry")) {
            f.add(new Fault(Kind.KILL, jvm, When.COLLECTING));
        }
        for (String jvm : List.of("aggregator", "orchestrator", "packager", "score-map", "model-registry")) {
            f.add(new Fault(Kind.KILL, jvm, When.CLOSING));
        }
        f.add(new Fault(Kind.KAFKA, "", When.COLLECTING));
        f.add(new Fault(Kind.POSTGRES_RESTART, "", When.COLLECTING));
        f.add(new Fault(Kind.POSTGRES_STOP_30S, "", When.COLLECTING));
        f.add(new Fault(Kind.GARBAGE, "", When.COLLECTING));
        return List.copyOf(f);
    }

    /** The infrastructure faults the matrix needs from its caller. */
    public interface Infra {
        /** SIGKILL the broker, wait, start it again on the same port and data. */
        void crashAndRestartKafka(Duration downtime);

        /** Stop PostgreSQL, wait, start it again on the same port and data. */
        void postgresOutage(Duration downtime);

        /** A broker that {@code kafkaCrash} restarts, and a PostgreSQL of the matrix's own. */
        static Infra of(java.util.function.Consumer<Duration> kafkaCrash, StoppablePostgres postgres) {
            return new Infra() {
                @Override
                public void crashAndRestartKafka(Duration downtime) {
                    kafkaCrash.accept(downtime);
                }

                @Override
                public void postgresOutage(Duration downtime) {
                    postgres.outage(downtime);
                }
            };
        }
    }

    /** One fault's outcome. */
    public record Row(
            Fault fault,
            String status,
            boolean sameBits,
            boolean sameUpdates,
            double recoverySeconds,
            double runSeconds) {
        public boolean ok() {
            return status.equals("COMPLETED") && sameBits && sameUpdates;
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
            List<Fault> faults,
            Infra infra)
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
                dir.resolve("logs"),
                REPLICAS)) {
            OrchestratorApi api = new OrchestratorApi(suite.url("orchestrator"), suite.token("admin"));
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<Fault> fault = new AtomicReference<>(FAULTS.get(0));
            AtomicReference<CompletableFuture<Double>> recovery = new AtomicReference<>();
            KafkaEdgeRuntime.Listener crasher = (c, out, ms) -> {
                Fault f = fault.get();
                if (sent.incrementAndGet() == f.when().trigger() && f.kind() != Kind.NONE) {
                    CompletableFuture<Double> done = recovery.get();
                    new Thread(
                                    () -> {
                                        long t0 = System.nanoTime();
                                        try {
                                            strike(f, suite, kafka, data.numClients(), infra);
                                            done.complete((System.nanoTime() - t0) / 1e9);
                                        } catch (Exception e) {
                                            done.completeExceptionally(e);
                                        }
                                    },
                                    "fault-" + f.name())
                            .start();
                }
            };
            List<Integer> reference = null;
            try (Fleet fleet = Fleet.start(data, api, null, dir.resolve("edge-keys"), crasher)) {
                for (Fault f : faults) {
                    String id = "fm-" + f.kind().name().toLowerCase(Locale.ROOT).replace('_', '-') + "-"
                            + Long.toHexString(System.nanoTime() & 0xffffff);
                    sent.set(0);
                    fault.set(f);
                    recovery.set(new CompletableFuture<>());
                    long t0 = System.nanoTime();
                    String status = follow(api, id);
                    double recoverySeconds =
                            f.kind() == Kind.NONE ? 0 : recovery.get().get(5, java.util.concurrent.TimeUnit.MINUTES);
                    boolean same = status.equals("COMPLETED")
                            && expected.bitEquals(new ParamSet(TensorCodec.decodeDense(latestWeights(suite, id))));
                    List<Integer> accepted = acceptedPerRound(api, id);
                    if (f.kind() == Kind.NONE) {
                        reference = accepted;
                    }
                    boolean sameUpdates = accepted.equals(reference != null ? reference : List.of(3, 3, 3));
                    rows.add(new Row(f, status, same, sameUpdates, recoverySeconds, (System.nanoTime() - t0) / 1e9));
                    System.err.printf(
                            Locale.ROOT,
                            "fault-matrix: %s (%s) -> %s, same bits %s, accepted per round %s%n",
                            f.name(),
                            f.when(),
                            status,
                            same,
                            accepted);
                }
            }
        }
        return rows;
    }

    private static void strike(Fault f, SuiteLauncher suite, KafkaConnection kafka, int clients, Infra infra)
            throws Exception {
        switch (f.kind()) {
            case NONE -> {}
            case KILL -> suite.crashAndRestart(f.target(), Duration.ofSeconds(1));
            case KAFKA -> infra.crashAndRestartKafka(Duration.ofSeconds(2));
            case POSTGRES_RESTART -> infra.postgresOutage(Duration.ZERO);
            case POSTGRES_STOP_30S -> infra.postgresOutage(Duration.ofSeconds(30));
            case GARBAGE -> Garbage.everywhere(kafka, clients);
        }
    }

    /** Updates accepted in each round, from the orchestrator's rounds ({@code received}). */
    private static List<Integer> acceptedPerRound(OrchestratorApi api, String id) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode r : api.rounds(id)) {
            out.add(r.path("received").asInt());
        }
        return out;
    }

    /** Creates and starts the experiment and follows it to its end (the orchestrator itself may restart). */
    private static String follow(OrchestratorApi api, String id) throws InterruptedException {
        api.createExperiment(id, YAML, 120);
        api.action(id, "start");
        return await(api, id, Duration.ofMinutes(6));
    }

    /**
     * Follows a started experiment to its end: its final status (with the recorded error, if any), or "STUCK in
     * ..." after {@code limit}. An unreachable orchestrator (the fault being injected) is asked again.
     */
    static String await(OrchestratorApi api, String id, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
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
        return latestWeights(suite.url("model-registry"), suite.token("viewer"), id);
    }

    /** The experiment's latest model version's weights (AFDT), from the model registry at {@code registryUrl}. */
    static byte[] latestWeights(String registryUrl, String viewerToken, String id) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(registryUrl + "/experiments/" + id + "/versions/latest/weights"))
                                .header("Authorization", "Bearer " + viewerToken)
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
                "| fault (a JVM: SIGKILL + restart) | when (round 1) | completed | same bits as the simulator |"
                        + " same accepted updates per round | recovery (s) | run (s) |\n|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %.1f |%n",
                    r.fault().name(),
                    r.fault().kind() == Kind.NONE
                            ? "-"
                            : r.fault().when().name().toLowerCase(Locale.ROOT),
                    r.status(),
                    r.sameBits() ? "yes" : "NO",
                    r.sameUpdates() ? "yes" : "NO",
                    r.fault().kind() == Kind.NONE ? "-" : String.format(Locale.ROOT, "%.1f", r.recoverySeconds()),
                    r.runSeconds()));
        }
        return b.toString();
    }

    /** {@code bin/afd fault-matrix [--base-port 19280]}: its own Kafka and PostgreSQL, a fresh database. */
    public static void main(String[] args) throws Exception {
        int basePort = args.length >= 2 && args[0].equals("--base-port") ? Integer.parseInt(args[1]) : 19280;
        Path dir = Layout.repoRoot().orElseThrow().resolve(".afd/fault-matrix");
        List<Row> rows;
        // Kafka from the infrastructure; PostgreSQL of the matrix's own (embedded), so it can stop it
        java.nio.file.Files.createDirectories(dir);
        Path pgDir = java.nio.file.Files.createTempDirectory(dir, "postgres-");
        try (InfraStack infra =
                        InfraStack.builder(dir.resolve("infra")).postgres(null).start();
                StoppablePostgres pg = new StoppablePostgres(pgDir, "afd_fault_matrix")) {
            rows = run(
                    infra.kafka().adminConnection(),
                    pg.jdbcUrl(),
                    pg.username(),
                    pg.password(),
                    LocalIssuer.open(dir.resolve("auth")),
                    basePort,
                    dir,
                    FAULTS,
                    Infra.of(infra::crashAndRestartKafka, pg));
        }
        System.out.println();
        System.out.print(table(rows));
        System.exit(rows.stream().allMatch(Row::ok) ? 0 : 1);
    }
}
