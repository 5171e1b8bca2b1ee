package io.afd.packager;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.SeedStream;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import io.afd.infra.testing.SharedInfra;
import io.afd.protocol.ClientTask;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.MessageType;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.Reassembler;
import io.afd.protocol.SigningKey;
import io.afd.protocol.Topics;
import io.afd.protocol.TrainingConfig;
import io.afd.protocol.api.TaskRequest;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "packager"))
@TestProfile(TaskResourceIT.SmallChunks.class)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class TaskResourceIT {

    /** Chunks of 1 KiB (so the small CNN's tasks are chunked), the registry served by {@link TestPeers}. */
    public static class SmallChunks implements QuarkusTestProfile {
        static final int PORT = freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("quarkus.http.test-port", Integer.toString(PORT));
            m.put("quarkus.rest-client.registry.url", "http://127.0.0.1:" + PORT + "/test-peers/registry");
            m.put("afd.packager.chunk-bytes", "1024");
            m.put("afd.server-key", SERVER_KEY.seedText());
            return m;
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The services' key in this test: it signs every task. */
    static final SigningKey SERVER_KEY = key(7);

    static final KeyLookup SERVER = KeyLookup.of(EnvelopeCodec.SERVER, SERVER_KEY.verifyKey());
    /** A client that joins a round's participants in a repeated request. */
    static final String DYNAMIC_CLIENT = "client-00009";

    static final ModelSpec CNN = ModelSpec.parse("cnn(in=1x8x8,c1=4,c2=6,fc=10,classes=3)");
    static final String CNN_A = "conv1:0,2,3;conv2:1,2,4,5;fc1:0,3,5,7,9";
    static final String CNN_B = "conv1:1,3;conv2:0,1,2,3,4,5;fc1:1,2,3,4,6,8";
    static final ModelSpec MLP = ModelSpec.parse("mlp(in=12,hidden=8x6,classes=3)");
    static final String MLP_A = "fc1:0,1,2,5,7;fc2:0,2,4";
    static final String MLP_B = "fc1:1,3,4,6;fc2:1,3,5";
    static final long SEED = 0x5eedL;
    static final long DEADLINE = 1_767_225_600_000L;
    static final ObjectMapper JSON = new ObjectMapper();

    private static TaskTopic topic;

    /** The clients these tests address: their task topics exist, as the orchestrator creates them at enrolment. */
    static final List<String> CLIENTS = java.util.stream.IntStream.rangeClosed(1, 9)
            .mapToObj(i -> String.format("client-%05d", i))
            .toList();

    @org.junit.jupiter.api.BeforeAll
    static void taskTopics() {
        SharedInfra.get()
                .createTopics(CLIENTS.stream()
                        .map(c -> new org.apache.kafka.clients.admin.NewTopic(Topics.clientTasksTopic(c), 1, (short) 1))
                        .toList());
    }

    private TaskTopic topic() {
        if (topic == null) {
            topic = new TaskTopic(SharedInfra.get().kafkaAdmin().clientProperties(), CLIENTS);
        }
        return topic;
    }

    @AfterAll
    static void closeTopic() {
        if (topic != null) {
            topic.close();
            topic = null;
        }
    }

    private static SigningKey key(int n) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        return SigningKey.fromSeed(b);
    }

    private static ParamSet register(String exp, int version, ModelSpec spec, long seed) {
        ParamSet w = spec.init(seed);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (Tensor t : w) {
            if (t.shape().length == 1) { // init gives zero biases: make them distinguishable too
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (rnd.nextDouble() - 0.5);
                }
            }
        }
        TestPeers.WEIGHTS.put(exp + "/" + version, TensorCodec.encode(w.list(), CodecSpec.FLOAT32));
        return w;
    }

    private static TrainingConfig train(double sparsity, boolean initialLoss, int clients) {
        // the seed sent here is ignored: each client gets SeedStream.TRAINING.derive(seed, round, k)
        return new TrainingConfig(2, 10, 0.05, 0.9, 0.0, sparsity, 64, 0.5, 0.2, true, clients, 12345L, initialLoss);
    }

    private static Map<String, TaskRequest.Participant> participants(Object... idIndexSelection) {
        Map<String, TaskRequest.Participant> m = new LinkedHashMap<>();
        for (int i = 0; i < idIndexSelection.length; i += 3) {
            m.put((String) idIndexSelection[i], new TaskRequest.Participant((Integer) idIndexSelection[i + 1], (String)
                    idIndexSelection[i + 2]));
        }
        return m;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ValidatableResponse post(String exp, int round, Object body) {
        return given().contentType("application/json")
                .body(body instanceof String s ? s : json(body))
                .post("/experiments/" + exp + "/rounds/" + round + "/tasks")
                .then();
    }

    private static Map<String, Long> bytesDown(ValidatableResponse r) {
        Map<String, Number> m = r.statusCode(200).extract().jsonPath().getMap("bytesDown");
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.longValue()));
        return out;
    }

    /** A reassembled task and how many envelopes it came in. */
    record Received(Envelope message, int envelopes) {
        ClientTask task() {
            return message.header(ClientTask.class);
        }
    }

    /**
     * The tasks of (exp, round) on afd.tasks: every envelope must verify with the server key, name the client it
     * is keyed by, stay below 1 MB and reassemble. Fails on a client getting two tasks for the round.
     */
    private Map<String, Received> tasksOf(String exp, int round) {
        Reassembler reassembler = new Reassembler();
        Map<String, Integer> envelopes = new HashMap<>();
        Map<String, Received> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> rec : topic().readAll()) {
            Envelope env = EnvelopeCodec.decode(rec.value(), SERVER);
            assertEquals(SERVER_KEY.keyId(), env.keyId());
            assertTrue(
                    Math.abs(System.currentTimeMillis() - env.issuedAtMillis()) < 600_000,
                    "issued when published: " + env.issuedAtMillis());
            ClientTask t = env.header(ClientTask.class);
            if (!t.experimentId().equals(exp) || t.round() != round) {
                continue;
            }
            assertEquals(MessageType.CLIENT_TASK, env.type());
            assertEquals(rec.key(), t.clientId(), "record key is the task's client id");
            assertTrue(rec.value().length < 1_000_000, "envelope of " + rec.value().length + " bytes");
            envelopes.merge(t.clientId(), 1, Integer::sum);
            Reassembler.Result res = reassembler.offer(env);
            assertFalse(res.status() == Reassembler.Status.DISCARDED, "discarded: " + env);
            if (res.status() == Reassembler.Status.COMPLETE) {
                Received prev = out.put(t.clientId(), new Received(res.message(), envelopes.get(t.clientId())));
                assertTrue(prev == null, t.clientId() + " got two tasks for round " + round);
            }
        }
        return out;
    }

    /** Checks the fields of a received task against the request, for client index k. */
    private static void checkTask(
            ClientTask t,
            String exp,
            int round,
            int version,
            ModelSpec spec,
            String selection,
            int k,
            TrainingConfig train,
            String downlink,
            String uplink,
            boolean initialLoss) {
        assertEquals(exp, t.experimentId());
        assertEquals(round, t.round());
        assertEquals(version, t.modelVersion());
        assertEquals(spec.toString(), t.model());
        assertEquals(selection, t.selection());
        assertEquals(Selection.parse(selection).id(), t.selectionId());
        assertEquals(downlink, t.downlinkCodec());
        assertEquals(uplink, t.uplinkCodec());
        assertEquals(SeedStream.UPLINK.derive(SEED, round, k), t.uplinkSeed(), "uplink seed of client " + k);
        assertEquals(DEADLINE, t.deadlineMillis());
        TrainingConfig got = t.train();
        assertEquals(SeedStream.TRAINING.derive(SEED, round, k), got.seed(), "training seed of client " + k);
        assertEquals(train.epochs(), got.epochs());
        assertEquals(train.batchSize(), got.batchSize());
        assertEquals(train.learningRate(), got.learningRate());
        assertEquals(train.momentum(), got.momentum());
        assertEquals(train.sparsity(), got.sparsity());
        assertEquals(train.denseBelow(), got.denseBelow());
        assertEquals(train.sampleRatio(), got.sampleRatio());
        assertEquals(train.tolerance(), got.tolerance());
        assertEquals(train.factorMasking(), got.factorMasking());
        assertEquals(train.clientsInRound(), got.clientsInRound());
        assertEquals(initialLoss, got.computeInitialLoss());
    }

    @Test
    void cnnTasksCarryTheExactSubModelSignedChunkedAndIdempotent() {
        String exp = "pk-cnn";
        int round = 3;
        int version = 2;
        ParamSet w = register(exp, version, CNN, 11);
        Map<String, TaskRequest.Participant> ps =
                participants("client-00001", 1, CNN_A, "client-00002", 2, CNN_A, "client-00004", 4, CNN_B);
        TrainingConfig train = train(0.75, false, 3);
        TaskRequest req = new TaskRequest(CNN.toString(), version, ps, train, "float32", "float16", SEED, DEADLINE);
        Map<String, Long> bytes = bytesDown(post(exp, round, req));
        assertEquals(ps.keySet(), bytes.keySet());

        Map<String, Received> got = tasksOf(exp, round);
        assertEquals(ps.keySet(), got.keySet());
        for (Map.Entry<String, TaskRequest.Participant> e : ps.entrySet()) {
            String id = e.getKey();
            int k = e.getValue().index();
            Received r = got.get(id);
            ClientTask t = r.task();
            checkTask(t, exp, round, version, CNN, e.getValue().selection(), k, train, "float32", "float16", false);
            assertEquals(bytes.get(id), r.message().wireLength(), "bytesDown of " + id + " = envelope bytes received");
            assertTrue(r.envelopes() > 1, id + "'s task should be chunked at 1 KiB, came in " + r.envelopes());
            // the sub-model is SubModelLayout.extract of the registry's weights, bit for bit
            ParamSet expected =
                    new SubModelLayout(CNN, Selection.parse(e.getValue().selection())).extract(w);
            ParamSet decoded = new ParamSet(TensorCodec.decodeDense(r.message().payload()));
            assertTrue(expected.bitEquals(decoded), "sub-model of " + id + " differs from the extraction");
            new SubModelLayout(t.modelSpec(), t.parsedSelection()).sub().validate(decoded);
        }
        // distinct selections give distinct sub-models
        assertFalse(got.get("client-00001")
                .task()
                .selectionId()
                .equals(got.get("client-00004").task().selectionId()));

        // a task verifies only with the server key: a client trusting another key rejects it
        ConsumerRecord<String, byte[]> any = topic().readAll().stream()
                .filter(x -> x.key().equals("client-00001"))
                .findFirst()
                .orElseThrow();
        ProtocolException bad = assertThrows(
                ProtocolException.class,
                () -> EnvelopeCodec.decode(any.value(), KeyLookup.of(EnvelopeCodec.SERVER, key(8).verifyKey())));
        assertEquals(ProtocolException.Reason.UNKNOWN_KEY, bad.reason());

        // stored rows
        given().get("/experiments/" + exp + "/rounds/" + round + "/tasks")
                .then()
                .statusCode(200)
                .body("tasks", hasSize(3))
                .body(
                        "bytesDown.client-00004",
                        equalTo(bytes.get("client-00004").intValue()))
                .body("tasks[0].clientId", equalTo("client-00001"))
                .body("tasks[0].chunks", equalTo(got.get("client-00001").envelopes()))
                .body("tasks[2].selectionId", equalTo(Selection.parse(CNN_B).id()));

        // a repeat publishes nothing and answers the stored counts
        int before = topic().readAll().size();
        assertEquals(bytes, bytesDown(post(exp, round, req)));
        assertEquals(before, topic().readAll().size(), "a repeated request republished tasks");
        assertEquals(3, tasksOf(exp, round).size());

        // a repeat that changes a recorded client's selection is a conflict
        Map<String, TaskRequest.Participant> changed = new LinkedHashMap<>(ps);
        changed.put("client-00004", new TaskRequest.Participant(4, CNN_A));
        post(exp, round, new TaskRequest(CNN.toString(), version, changed, train, "float32", "float16", SEED, DEADLINE))
                .statusCode(409)
                .body("error", equalTo("conflict"))
                .body("reason", containsString("client-00004"));
        assertEquals(before, topic().readAll().size());

        // a repeat with one more participant publishes only that one
        Map<String, TaskRequest.Participant> more = new LinkedHashMap<>(ps);
        more.put(DYNAMIC_CLIENT, new TaskRequest.Participant(9, CNN_B));
        Map<String, Long> bytes2 = bytesDown(post(
                exp,
                round,
                new TaskRequest(CNN.toString(), version, more, train, "float32", "float16", SEED, DEADLINE)));
        assertEquals(bytes.get("client-00001"), bytes2.get("client-00001"));
        Map<String, Received> got2 = tasksOf(exp, round);
        assertEquals(more.keySet(), got2.keySet());
        assertEquals(
                bytes2.get(DYNAMIC_CLIENT), got2.get(DYNAMIC_CLIENT).message().wireLength());
    }

    @Test
    void quantizedMlpTasksMatchTheSimulatorsEncoding() {
        String exp = "pk-mlp";
        int round = 0;
        int version = 5;
        ParamSet w = register(exp, version, MLP, 21);
        Map<String, TaskRequest.Participant> ps =
                participants("client-00001", 1, MLP_A, "client-00004", 4, MLP_B, DYNAMIC_CLIENT, 9, MLP_A);
        TrainingConfig train = train(0.0, true, 3);
        TaskRequest req = new TaskRequest(MLP.toString(), version, ps, train, "q8", "q8-hadamard", SEED, DEADLINE);
        Map<String, Long> bytes = bytesDown(post(exp, round, req));

        Map<String, Received> got = tasksOf(exp, round);
        assertEquals(ps.keySet(), got.keySet());
        for (Map.Entry<String, TaskRequest.Participant> e : ps.entrySet()) {
            String id = e.getKey();
            int k = e.getValue().index();
            Received r = got.get(id);
            checkTask(
                    r.task(), exp, round, version, MLP, e.getValue().selection(), k, train, "q8", "q8-hadamard", true);
            assertEquals(bytes.get(id), r.message().wireLength());
            ParamSet exact =
                    new SubModelLayout(MLP, Selection.parse(e.getValue().selection())).extract(w);
            // the payload is the simulator's downlink blob byte for byte: seeded SeedStream.DOWNLINK.derive(seed,
            // round, k)
            byte[] simulator = TensorCodec.encode(
                    exact.list(), CodecSpec.parse("q8").withSeed(SeedStream.DOWNLINK.derive(SEED, round, k)));
            assertArrayEquals(simulator, r.message().payload(), "downlink blob of " + id);
            // and within quantization error of the exact sub-model
            ParamSet decoded = new ParamSet(TensorCodec.decodeDense(r.message().payload()));
            for (Tensor x : exact) {
                float[] a = x.data();
                float[] b = decoded.get(x.name()).data();
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (float v : a) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                double step = ((double) max - min) / 255;
                boolean lossy = false;
                for (int i = 0; i < a.length; i++) {
                    assertTrue(
                            Math.abs(a[i] - b[i]) <= step * 1.0001 + 1e-7,
                            x.name() + "[" + i + "]: " + b[i] + " vs " + a[i] + " (step " + step + ")");
                    lossy |= a[i] != b[i];
                }
                assertTrue(lossy || a.length < 4, x.name() + " was not quantized at all");
            }
        }
        // distinct seeds per client: two clients with the same selection get different stochastic rounding
        assertFalse(java.util.Arrays.equals(
                got.get("client-00001").message().payload(),
                got.get(DYNAMIC_CLIENT).message().payload()));
        // an MLP task this small goes as one envelope
        assertEquals(1, got.get("client-00004").envelopes());
    }

    @Test
    void badRequestsAreRejectedWithTheReasonAndPublishNothing() {
        String exp = "pk-bad";
        int version = 1;
        register(exp, version, MLP, 31);
        TrainingConfig train = train(0.5, false, 2);
        Map<String, TaskRequest.Participant> ok = participants("client-00001", 1, MLP_A, "client-00002", 2, MLP_B);
        int before = topic().readAll().size();

        // unknown model version (registry 404)
        post(exp, 0, new TaskRequest(MLP.toString(), 7, ok, train, "float32", "float32", SEED, DEADLINE))
                .statusCode(409)
                .body("error", equalTo("conflict"))
                .body("reason", containsString("version 7"))
                .body("reason", containsString("does not exist"));
        // weights of another architecture
        post(
                        exp,
                        0,
                        new TaskRequest(
                                CNN.toString(),
                                version,
                                participants("client-00001", 1, CNN_A),
                                train,
                                "float32",
                                "float32",
                                SEED,
                                DEADLINE))
                .statusCode(409)
                .body("reason", containsString("does not fit"));
        // selection outside the model
        post(
                        exp,
                        0,
                        new TaskRequest(
                                MLP.toString(),
                                version,
                                participants("client-00001", 1, "fc1:0,8;fc2:0"),
                                train,
                                "float32",
                                "float32",
                                SEED,
                                DEADLINE))
                .statusCode(400)
                .body("reason", containsString("participants.client-00001.selection"));
        post(
                        exp,
                        0,
                        new TaskRequest(
                                MLP.toString(),
                                version,
                                participants("client-00001", 1, "fc1:0,1"),
                                train,
                                "float32",
                                "float32",
                                SEED,
                                DEADLINE))
                .statusCode(400)
                .body("reason", containsString("participants.client-00001.selection"));
        post(
                        exp,
                        0,
                        new TaskRequest(
                                MLP.toString(),
                                version,
                                participants("client-00001", 1, "fc1:x;fc2:0"),
                                train,
                                "float32",
                                "float32",
                                SEED,
                                DEADLINE))
                .statusCode(400)
                .body("reason", containsString("participants.client-00001.selection"));
        // architecture and codecs
        post(exp, 0, new TaskRequest("mlp(in=12", version, ok, train, "float32", "float32", SEED, DEADLINE))
                .statusCode(400)
                .body("reason", containsString("architecture"));
        post(exp, 0, new TaskRequest(MLP.toString(), version, ok, train, "q9", "float32", SEED, DEADLINE))
                .statusCode(400)
                .body("reason", containsString("downlink"));
        post(exp, 0, new TaskRequest(MLP.toString(), version, ok, train, "float32", "zip", SEED, DEADLINE))
                .statusCode(400)
                .body("reason", containsString("uplink"));
        // two clients with one index, bad ids, empty participants, contradicting loss signal
        post(
                        exp,
                        0,
                        new TaskRequest(
                                MLP.toString(),
                                version,
                                participants("client-00001", 1, MLP_A, "client-00002", 1, MLP_B),
                                train,
                                "float32",
                                "float32",
                                SEED,
                                DEADLINE))
                .statusCode(400)
                .body("reason", containsString("index"));
        post(
                        exp,
                        0,
                        new TaskRequest(
                                MLP.toString(),
                                version,
                                participants("bad id", 1, MLP_A),
                                train,
                                "float32",
                                "float32",
                                SEED,
                                DEADLINE))
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("client id"));
        post(exp, 0, new TaskRequest(MLP.toString(), version, Map.of(), train, "float32", "float32", SEED, DEADLINE))
                .statusCode(400)
                .body("reason", containsString("participants"));
        // the loss signal travels once (train.computeInitialLoss): a second copy is an unknown field
        Map<String, Object> twice = new com.fasterxml.jackson.databind.ObjectMapper()
                .convertValue(
                        new TaskRequest(MLP.toString(), version, ok, train, "float32", "float32", SEED, DEADLINE),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        twice.put("lossSignal", "initial");
        post(exp, 0, twice).statusCode(400).body("reason", containsString("lossSignal"));
        post("bad%20exp", 0, new TaskRequest(MLP.toString(), version, ok, train, "float32", "float32", SEED, DEADLINE))
                .statusCode(400)
                .body("reason", containsString("experiment id"));
        post(exp, -1, new TaskRequest(MLP.toString(), version, ok, train, "float32", "float32", SEED, DEADLINE))
                .statusCode(400)
                .body("reason", containsString("round"));
        // invalid training settings are named
        String body = json(new TaskRequest(MLP.toString(), version, ok, train, "float32", "float32", SEED, DEADLINE))
                .replace("\"learningRate\":0.05", "\"learningRate\":-1.0");
        assertTrue(body.contains("-1.0"));
        post(exp, 0, body)
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("learningRate"));
        post(exp, 0, "{not json")
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("invalid JSON body"));
        post(exp, 0, "").statusCode(400);

        // nothing was published or recorded
        assertEquals(before, topic().readAll().size());
        given().get("/experiments/" + exp + "/rounds/0/tasks")
                .then()
                .statusCode(404)
                .body("status", equalTo(404))
                .body("error", equalTo("not_found"))
                .body("reason", containsString("round 0"));
        given().get("/experiments/bad%20exp/rounds/0/tasks")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("experiment id"));

        // the valid request still goes through afterwards
        Map<String, Long> bytes = bytesDown(post(
                exp, 0, new TaskRequest(MLP.toString(), version, ok, train, "float32", "float32", SEED, DEADLINE)));
        assertEquals(2, bytes.size());
        assertNotNull(tasksOf(exp, 0).get("client-00002"));
    }

    @Test
    void healthAndMetricsAreUp() {
        io.afd.services.testing.Management.given()
                .get("/q/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        io.afd.services.testing.Management.given().get("/q/metrics").then().statusCode(200);
    }

    /** Who may call what (ADR 0016): no one but the orchestrator makes the packager sign and publish a task. */
    @org.junit.jupiter.api.Test
    void onlyTheOrchestratorPublishesTasks() {
        io.afd.services.testing.SecurityMatrix.check(java.util.List.of(
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "POST", "/experiments/sec/rounds/0/tasks", "{}", java.util.Set.of("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/rounds/0/tasks",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator"))));
        io.afd.services.testing.Management.given().get("/q/health/live").then().statusCode(200);
    }
}
