package io.afd.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.core.data.FederatedDataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.edge.Fleet;
import io.afd.edge.KafkaEdgeRuntime;
import io.afd.edge.OrchestratorApi;
import io.afd.infra.InfraStack;
import io.afd.infra.Layout;
import io.afd.infra.auth.LocalIssuer;
import io.afd.protocol.SigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/afd suite-bench}: the suite's own overhead per round with many light clients. Runs
 * the real infrastructure, the five services and a fleet of {@code --clients} clients (all selected
 * every round: a tiny MLP, a few samples each, AFD Single-Model + DGC), then prints per round: wall
 * time (OPEN to SCORES_UPDATED), the clients' own time summed over the fleet (decode, train,
 * encode, sign, send: on real devices this runs in parallel, in the fleet JVM one client after
 * another), their difference — the suite's overhead — and the
 * aggregator's live heap after the last round (full GC, then its /q/metrics), to compare across
 * numbers of clients.
 *
 * <pre>SuiteBenchMain [--clients 100] [--rounds 5] [--aggregators 1] [--orchestrators 1] [--registered 0]
 *     [--base-port 19080]</pre>
 *
 * <p>{@code --aggregators} (1 to 3) aggregator JVMs share the updates topic's partitions; {@code --orchestrators 2}
 * adds a standby orchestrator (leader election). {@code --registered N} registers N more clients through the API before
 * the run (registered, never enrolled: they hold no key, so they are never selected), to show what a large client
 * table costs the rounds.
 */
public final class SuiteBenchMain {
    private SuiteBenchMain() {}

    public static void main(String[] args) throws Exception {
        int clients = 100;
        int rounds = 5;
        int basePort = 19080;
        int aggregators = 1;
        int orchestrators = 1;
        int registered = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--base-port" -> basePort = Integer.parseInt(args[++i]);
                case "--aggregators" -> aggregators = Integer.parseInt(args[++i]);
                case "--orchestrators" -> orchestrators = Integer.parseInt(args[++i]);
                case "--registered" -> registered = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String yaml = """
                name: suite-bench
                seed: 3
                dataset: {kind: synthetic, alpha: 1, beta: 1, clients: %d, maxSamplesPerClient: 20}
                model: mlp(in=60,hidden=32,classes=10)
                rounds: %d
                clientsPerRound: %d
                train: {epochs: 1, batchSize: 10, learningRate: 0.05}
                strategy: {policy: afd-single, dropoutRate: 0.25}
                dgc: {enabled: true, momentum: 0.5, sparsity: 0.99, warmup: [0.75]}
                maxTestSamples: 500
                """.formatted(clients, rounds, clients);
        ExperimentConfig cfg = ExperimentConfig.parse(yaml, "suite-bench");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        Path dir = Layout.repoRoot().orElseThrow().resolve(".afd/suite-bench");
        Files.createDirectories(dir);
        Map<Integer, AtomicLong> trainMillis = new ConcurrentHashMap<>();
        // a fresh database per run: nothing from an earlier run (clients, experiments) leaks in
        String db = "afd_suite_bench_" + System.currentTimeMillis();
        try (InfraStack infra =
                InfraStack.builder(dir.resolve("infra")).database(db).start()) {
            run(
                    infra,
                    db,
                    dir,
                    yaml,
                    cfg,
                    data,
                    clients,
                    rounds,
                    basePort,
                    new SuiteLauncher.Replicas(aggregators, orchestrators),
                    registered,
                    trainMillis);
            infra.postgres().dropDatabase(db);
        }
    }

    private static void run(
            InfraStack infra,
            String db,
            Path dir,
            String yaml,
            ExperimentConfig cfg,
            FederatedDataset data,
            int clients,
            int rounds,
            int basePort,
            SuiteLauncher.Replicas replicas,
            int registered,
            Map<Integer, AtomicLong> trainMillis)
            throws Exception {
        try (SuiteLauncher suite = SuiteLauncher.start(
                infra.kafka().adminConnection(),
                infra.postgres().jdbcUrl(db),
                infra.postgres().username(),
                infra.postgres().password(),
                SigningKey.generate().seedText(),
                LocalIssuer.open(dir.resolve("auth")),
                basePort,
                dir.resolve("logs"),
                replicas)) {
            OrchestratorApi api = new OrchestratorApi(suite.url("orchestrator"), suite.token("admin"));
            String id = "suite-bench-" + System.currentTimeMillis() / 1000;
            if (registered > 0) {
                long t0 = System.nanoTime();
                for (int k = 0; k < registered; k++) {
                    api.register(String.format(Locale.ROOT, "idle-%06d", k), 20);
                    if ((k + 1) % 1000 == 0) {
                        System.err.printf(
                                Locale.ROOT, "suite-bench: registered %d of %d idle clients%n", k + 1, registered);
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "registered %d idle clients in %.1f s (%.1f ms each)%n",
                        registered,
                        (System.nanoTime() - t0) / 1e9,
                        (System.nanoTime() - t0) / 1e6 / registered);
            }
            try (Fleet fleet = Fleet.start(
                    data,
                    api,
                    null,
                    dir.resolve("edge-keys"),
                    (c, out, clientMillis) -> trainMillis
                            .computeIfAbsent(out.update().round(), k -> new AtomicLong())
                            .addAndGet(clientMillis))) {
                api.createExperiment(id, yaml, 300);
                api.action(id, "start");
                JsonNode exp;
                do {
                    Thread.sleep(500);
                    exp = api.experiment(id);
                } while (exp.path("status").asText().equals("RUNNING"));
                System.out.printf(
                        Locale.ROOT,
                        "%n%d clients per round (%d more registered), %d aggregator(s), %d orchestrator(s), %s, %d rounds"
                                + " (status %s%s)%n%n",
                        clients,
                        registered,
                        replicas.aggregators(),
                        replicas.orchestrators(),
                        cfg.model(),
                        rounds,
                        exp.path("status").asText(),
                        exp.hasNonNull("error") ? ": " + exp.path("error").asText() : "");
                System.out.println(
                        "| round | wall (s) | client-side work, all clients (s) | suite overhead (s) | aggregator live heap after the round (MB) |");
                System.out.println("|---|---|---|---|---|");
                for (JsonNode r : api.rounds(id)) {
                    int t = r.path("round").asInt();
                    if (!r.hasNonNull("finishedAt")) {
                        System.out.printf(
                                Locale.ROOT,
                                "| %d | %s | | | |%n",
                                t,
                                r.path("state").asText());
                        continue;
                    }
                    double wall = (OffsetDateTime.parse(r.path("finishedAt").asText())
                                            .toInstant()
                                            .toEpochMilli()
                                    - OffsetDateTime.parse(r.path("startedAt").asText())
                                            .toInstant()
                                            .toEpochMilli())
                            / 1000.0;
                    double train = trainMillis.getOrDefault(t, new AtomicLong()).get() / 1000.0;
                    System.out.printf(
                            Locale.ROOT,
                            "| %d | %.2f | %.2f | %.2f | %s |%n",
                            t,
                            wall,
                            train,
                            wall - train,
                            t == rounds - 1 ? String.format(Locale.ROOT, "%.0f", liveHeapMb(suite, "aggregator")) : "");
                }
                printTraffic(api.rounds(id), fleet.traffic());
            }
        }
    }

    /**
     * What each edge client fetched from Kafka against its own task bytes: each reads only its own task topic, so
     * the difference is Kafka's framing (record batch headers, record keys), and the clients' task bytes add up to
     * the rounds' bytesDown.
     */
    static void printTraffic(JsonNode rounds, Map<String, KafkaEdgeRuntime.Traffic> traffic) {
        long down = 0;
        for (JsonNode r : rounds) {
            down += r.path("bytesDown").asLong();
        }
        System.out.printf(Locale.ROOT, "%nBytes each edge client fetched from Kafka, all rounds:%n%n");
        System.out.println(
                "| client | task records | its task bytes | fetched from Kafka | Kafka framing | framing per record |");
        System.out.println("|---|---|---|---|---|---|");
        long tasks = 0;
        long fetched = 0;
        long records = 0;
        for (var e : traffic.entrySet()) {
            KafkaEdgeRuntime.Traffic t = e.getValue();
            tasks += t.taskBytes();
            fetched += t.fetchedBytes();
            records += t.records();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %.1f |%n",
                    e.getKey(),
                    t.records(),
                    t.taskBytes(),
                    t.fetchedBytes(),
                    t.fetchedBytes() - t.taskBytes(),
                    t.records() == 0 ? 0.0 : (t.fetchedBytes() - t.taskBytes()) / (double) t.records());
        }
        System.out.printf(
                Locale.ROOT,
                "| all | %d | %d | %d | %d (%.2f %%) | %.1f |%n%n"
                        + "The rounds' bytesDown (what the packager sent to the selected clients): %d bytes, %s.%n",
                records,
                tasks,
                fetched,
                fetched - tasks,
                tasks == 0 ? 0.0 : 100.0 * (fetched - tasks) / tasks,
                records == 0 ? 0.0 : (fetched - tasks) / (double) records,
                down,
                down == tasks
                        ? "equal to the clients' task bytes: no client fetched another's tasks"
                        : "NOT equal to the clients' task bytes (" + tasks + ")");
    }

    /** Heap still in use after a full GC of the service's JVM (its live set). */
    static double liveHeapMb(SuiteLauncher suite, String service) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(suite.pid(service)), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        return heapMb(suite.managementUrl(service));
    }

    /** Heap in use by a service's JVM, from its Prometheus endpoint (on the management interface). */
    static double heapMb(String serviceUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum / (1 << 20);
    }
}
