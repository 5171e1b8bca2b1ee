package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.codec.TensorCodec;
import io.afd.core.data.FederatedDataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.Simulator;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import io.afd.edge.Fleet;
import io.afd.edge.KafkaEdgeRuntime;
import io.afd.edge.OrchestratorApi;
import io.afd.infra.testing.SharedInfra;
import io.afd.protocol.SigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The whole suite: real Kafka broker, real PostgreSQL, the five services as separate JVMs, a fleet
 * of Kafka edge clients. Several rounds of AFD + DGC with the aggregator killed and restarted in the
 * middle of a round; the model improves, score maps and selections are persisted, bytes are counted,
 * and the final model equals the in-process simulator's bit for bit.
 */
class SuiteEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A small AFD + DGC run (the console's browser test runs it too). */
    static final String YAML = """
            name: e2e
            seed: 7
            dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 6, maxSamplesPerClient: 120}
            model: mlp(in=60,hidden=48,classes=10)
            rounds: 4
            clientsPerRound: 3
            train: {epochs: 2, batchSize: 10, learningRate: 0.05}
            strategy: {policy: afd-single, dropoutRate: 0.5}
            dgc: {enabled: true, momentum: 0.5, sparsity: 0.9, warmup: [0.5], denseBelow: 100}
            downlink: float32
            uplink: float32
            """;

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient().send(request(url, token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static byte[] bytes(String url, String token) throws Exception {
        HttpResponse<byte[]> r =
                HttpClient.newHttpClient().send(request(url, token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private static int status(String url, String token) throws Exception {
        return status(url, token, "GET");
    }

    private static int status(String url, String token, String method) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        request(url, token)
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void distributedRunLearnsPersistsAndMatchesTheSimulator() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String db = infra.createUniqueDatabase("e2e");
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "e2e");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        Path logs = Path.of("target", "e2e-logs");
        try (SuiteLauncher suite = SuiteLauncher.start(
                infra.kafkaAdmin(),
                infra.jdbcUrl(db),
                infra.username(),
                infra.password(),
                SigningKey.generate().seedText(),
                infra.issuer(),
                PortRange.freeBase(15),
                logs)) {
            OrchestratorApi api = new OrchestratorApi(suite.url("orchestrator"), suite.token("admin"));
            JsonNode exp;
            java.util.Map<String, KafkaEdgeRuntime.Traffic> traffic;
            // Crash the aggregator (SIGKILL) in the middle of round 1, after the first update of the
            // round was sent: nothing may be lost, and the result must not change.
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CompletableFuture<Void> crash = new java.util.concurrent.CompletableFuture<>();
            KafkaEdgeRuntime.Listener crasher = (c, out, ms) -> {
                if (sent.incrementAndGet() == 4) {
                    new Thread(() -> {
                                try {
                                    suite.crashAndRestart("aggregator", java.time.Duration.ofSeconds(1));
                                    crash.complete(null);
                                } catch (Exception e) {
                                    crash.completeExceptionally(e);
                                }
                            })
                            .start();
                }
            };
            try (Fleet fleet = Fleet.start(
                    data,
                    api,
                    null, // each client reaches Kafka where its enrolment says, as itself
                    Path.of("target", "e2e-keys", db),
                    crasher)) {
                api.createExperiment("e2e", YAML, 180);
                api.action("e2e", "start");
                long end = System.nanoTime() + 8L * 60 * 1_000_000_000L;
                do {
                    Thread.sleep(500);
                    exp = api.experiment("e2e");
                } while (exp.path("status").asText().equals("RUNNING") && System.nanoTime() < end);
                assertEquals("COMPLETED", exp.path("status").asText(), exp.toString() + " (logs: " + logs + ")");
                crash.get(1, java.util.concurrent.TimeUnit.SECONDS); // the crash happened and the restart worked
                assertEquals(0, fleet.rejected());
                traffic = fleet.traffic();
            }
            JsonNode rounds = api.rounds("e2e");
            // Each client fetched its own tasks and nothing else: all clients' task bytes are the rounds'
            // bytesDown, and what each consumer fetched is its task bytes plus Kafka's record framing.
            long down = 0;
            for (JsonNode r : rounds) {
                down += r.path("bytesDown").asLong();
            }
            assertEquals(
                    down,
                    traffic.values().stream()
                            .mapToLong(KafkaEdgeRuntime.Traffic::taskBytes)
                            .sum());
            for (var e : traffic.entrySet()) {
                KafkaEdgeRuntime.Traffic t = e.getValue();
                // (a client never selected fetched nothing at all)
                assertTrue(
                        t.fetchedBytes() >= t.taskBytes() && t.fetchedBytes() <= t.taskBytes() + 200L * t.records(),
                        e.toString());
            }
            assertEquals(4, rounds.size());
            for (JsonNode r : rounds) {
                assertEquals("SCORES_UPDATED", r.path("state").asText(), r.toString());
                assertEquals(3, r.path("received").asInt(), r.toString());
                assertTrue(r.path("bytesDown").asLong() > 0 && r.path("bytesUp").asLong() > 0, r.toString());
                // DGC: uploads far smaller than downloads once sparsity applies
                assertTrue(r.path("bytesUp").asLong() < r.path("bytesDown").asLong(), r.toString());
            }

            // Each client enrolled its own key; revoking one reaches the running aggregator at once.
            JsonNode keys = api.keys("client-00000");
            assertEquals(1, keys.size(), keys.toString());
            JsonNode revoked =
                    api.revoke("client-00000", keys.get(0).path("keyId").asText());
            assertTrue(revoked.path("aggregatorNotified").asBoolean(), revoked.toString());
            assertTrue(revoked.path("kafkaLoginRemoved").asBoolean(), revoked.toString()); // its only key
            assertTrue(revoked.path("key").hasNonNull("revokedAt"), revoked.toString());

            // The meters the dashboard and the alert rules use exist in the real services' scrapes, and count
            // this run's rounds. One garbage record makes the aggregator count a rejection.
            java.util.Properties admin = new java.util.Properties();
            admin.putAll(infra.kafkaAdmin().clientProperties());
            try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                    admin,
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                io.afd.protocol.Topics.UPDATES, "client-00001", new byte[] {1, 2, 3}))
                        .get();
            }
            java.util.Set<String> scraped = new java.util.HashSet<>();
            String orchestratorMetrics = null;
            long scrapeEnd = System.nanoTime() + 30_000_000_000L;
            while (!scraped.contains("afd_aggregator_updates_rejected_total") && System.nanoTime() < scrapeEnd) {
                scraped.clear();
                Thread.sleep(300);
                for (SuiteLauncher.Service svc : SuiteLauncher.SERVICES) {
                    HttpResponse<String> m = HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(suite.managementUrl(svc.name()) + "/q/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, m.statusCode(), svc.name());
                    if (svc.name().equals("orchestrator")) {
                        orchestratorMetrics = m.body();
                    }
                    for (String line : m.body().split("\n")) {
                        if (!line.isEmpty() && !line.startsWith("#")) {
                            scraped.add(line.split("[{ ]", 2)[0]);
                        }
                    }
                }
            }
            assertTrue(
                    orchestratorMetrics.contains(
                            "afd_orchestrator_round_duration_seconds_count{outcome=\"completed\"} 4.0"),
                    "four completed rounds timed");
            Path repo = io.afd.infra.Layout.repoRoot().orElseThrow();
            String used = java.nio.file.Files.readString(repo.resolve("deploy/observability/grafana-dashboard.json"))
                    + java.nio.file.Files.readString(repo.resolve("deploy/observability/prometheus-rules.yaml"));
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b((?:afd|kafka)_[a-z0-9_]+)\\b")
                    .matcher(used);
            java.util.Set<String> missing = new java.util.TreeSet<>();
            while (names.find()) {
                if (!scraped.contains(names.group(1))) {
                    missing.add(names.group(1));
                }
            }
            assertEquals(java.util.Set.of(), missing, "metrics the dashboard or the rules use but no service serves");

            // Score maps and selections are persisted in the score-map service.
            // The peers admit operators' tokens for reads only, and nobody without one.
            String viewer = suite.token("viewer");
            assertEquals(401, status(suite.url("score-map") + "/experiments/e2e/scoremaps", null));
            assertEquals(401, status(suite.url("model-registry") + "/experiments/e2e/versions", null));
            assertEquals(403, status(suite.url("aggregator") + "/experiments/e2e/rounds/0/close", viewer, "POST"));
            JsonNode maps = get(suite.url("score-map") + "/experiments/e2e/scoremaps", viewer);
            assertTrue(maps.size() >= 1, maps.toString());
            JsonNode sel0 = get(suite.url("score-map") + "/experiments/e2e/rounds/0/selections", viewer);
            assertEquals(3, sel0.path("selections").size(), sel0.toString());

            // The distributed model equals the simulator's for the same config and seed.
            byte[] blob = bytes(suite.url("model-registry") + "/experiments/e2e/versions/latest/weights", viewer);
            ParamSet distributed = new ParamSet(TensorCodec.decodeDense(blob));
            Simulator.Result sim = new Simulator(cfg).run(data, new Simulator.Listener() {});
            double maxDiff = 0;
            for (Tensor t : sim.finalModel()) {
                float[] a = t.data();
                float[] b = distributed.get(t.name()).data();
                for (int i = 0; i < a.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                }
            }
            assertEquals(0.0, maxDiff, "max |simulator - distributed| weight difference");
            assertTrue(sim.finalModel().bitEquals(distributed), "bit-identical final model");
            double acc = rounds.get(rounds.size() - 1).path("testAccuracy").asDouble();
            assertEquals(sim.last().testAccuracy(), acc, 1e-12, "server-side evaluation equals the simulator's");
            assertTrue(acc > 0.2, "accuracy " + acc + " above chance (0.1)");
        }
    }
}
