package io.afd.aggregator;

import static io.afd.aggregator.Rounds.awaitStatus;
import static io.afd.aggregator.Rounds.close;
import static io.afd.aggregator.Rounds.open;
import static io.afd.aggregator.Rounds.putRaw;
import static io.afd.aggregator.Rounds.seedBase;
import static io.afd.aggregator.Rounds.sleep;
import static io.afd.aggregator.Rounds.status;
import static io.afd.aggregator.Updates.ARCH;
import static io.afd.aggregator.Updates.NO_CHUNKS;
import static io.afd.aggregator.Updates.SMALL_CHUNKS;
import static io.afd.aggregator.Updates.SPEC;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.afd.aggregator.Updates.Sent;
import io.afd.aggregator.fake.FakeOrchestratorResource;
import io.afd.aggregator.fake.FakeRegistryResource;
import io.afd.aggregator.service.Intake;
import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import io.afd.protocol.DeadLetter;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.MessageType;
import io.afd.protocol.RoundEvent;
import io.afd.protocol.Topics;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.api.CloseResult;
import io.afd.services.common.config.ClientKeysConfig;
import io.afd.services.testing.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "aggregator"),
        restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AggregatorTestResource.class, restrictToAnnotatedClass = true)
// as this service's callers; the security tests choose their tokens themselves
@org.junit.jupiter.api.extension.ExtendWith(io.afd.services.testing.TestTokens.AsPeers.class)
class AggregatorIT {
    private static final Duration WAIT = Rounds.WAIT;
    private static final long DEADLINE = Rounds.DEADLINE;

    private static final KeyLookup SERVER = KeyLookup.of(EnvelopeCodec.SERVER, TestKeys.SERVER.verifyKey());

    private static final Selection SEL_A =
            Updates.selection("fc1:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14;fc2:0,1,2,3,4,5,6,7,8,9,10,11");
    private static final Selection SEL_B = Updates.selection("fc1:0,2,4,6,8,10,12,14,16,18;fc2:1,3,5,7,9,11,13,15");
    private static final Selection SEL_C =
            Updates.selection("fc1:5,6,7,8,9,10,11,12,13,14,15,16,17,18,19;fc2:2,3,4,5,6,7,8,9,10,11,12,13");
    private static final Selection FULL = Selection.full(SPEC);

    @Inject
    Intake intake;

    @Inject
    ClientKeysConfig keysConfig;

    // ------------------------------------------------------------------ good path, determinism, idempotency

    @Test
    void acceptedUpdatesAreAveragedBitForBitAndCloseIsIdempotent() {
        String exp = "exp-good";
        byte[] base = seedBase(exp, 11);
        open(exp, 0, 0, Map.of("client-a", SEL_A, "client-b", SEL_B, AggregatorTestResource.REMOTE_CLIENT, FULL))
                .statusCode(201)
                .body("state", equalTo("OPEN"))
                .body("participants", equalTo(3));

        Sent a = Updates.update(exp, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 1), 57, SMALL_CHUNKS);
        Sent b = Updates.update(exp, 0, "client-b", SEL_B, 0, Updates.sparse(SEL_B, 2), 40, NO_CHUNKS);
        Sent r = Updates.update(
                exp, 0, AggregatorTestResource.REMOTE_CLIENT, FULL, 0, Updates.dense(FULL, 3), 23, NO_CHUNKS);
        assertTrue(a.envelopes().size() > 1, "client-a's update must travel in chunks");
        assertEquals(1, b.envelopes().size());
        a.send();
        b.send();
        r.send(); // its key comes from the orchestrator, not the static map
        awaitStatus(exp, 0, s -> s.received() == 3);

        List<Map<String, Object>> stored = given().get("/experiments/{e}/rounds/0/updates", exp)
                .then()
                .statusCode(200)
                .extract()
                .as(new TypeRef<>() {});
        assertEquals(
                List.of("client-a", "client-b", AggregatorTestResource.REMOTE_CLIENT),
                stored.stream().map(m -> m.get("clientId")).toList());

        CloseResult closed = close(exp, 0);
        assertEquals(1, closed.modelVersion());
        assertEquals(0, closed.rejected());
        Map<String, RoundEvent.ClientResult> byClient =
                closed.results().stream().collect(Collectors.toMap(RoundEvent.ClientResult::clientId, x -> x));
        for (Sent s : List.of(a, b, r)) {
            RoundEvent.ClientResult cr = byClient.get(s.key());
            assertNotNull(cr, s.key());
            assertEquals(s.header().numSamples(), cr.numSamples());
            assertEquals(s.header().trainLoss(), cr.trainLoss());
            assertEquals(s.header().initialLoss(), cr.initialLoss());
            assertEquals(s.header().bytesReceived(), cr.bytesDown());
            assertEquals(s.wireBytes(), cr.bytesUp(), "bytesUp counts every chunk envelope of " + s.key());
        }

        // the new version is exactly core's FedAvg of the three updates on the base weights
        ParamSet expected = Updates.expected(base, List.of(a, b, r));
        List<FakeRegistryResource.Version> versions = FakeRegistryResource.versions(exp);
        assertEquals(2, versions.size());
        FakeRegistryResource.Version v1 = versions.get(1);
        assertEquals(0, v1.round());
        assertEquals(0, v1.parentVersion());
        assertTrue(expected.bitEquals(new ParamSet(TensorCodec.decodeDense(v1.weights()))));
        assertArrayEquals(TensorCodec.encode(expected.list(), CodecSpec.FLOAT32), v1.weights());
        assertFalse(expected.bitEquals(new ParamSet(TensorCodec.decodeDense(base))), "the model must have moved");

        // the AGGREGATED event, signed with the server key
        RoundEvent event = roundEvent(exp, 0);
        assertEquals(RoundEvent.Type.AGGREGATED, event.type());
        assertEquals(1, event.modelVersion());
        assertEquals(closed.results(), event.results());

        // closing again answers the stored result and writes nothing
        CloseResult again = close(exp, 0);
        assertEquals(closed, again);
        assertEquals(2, FakeRegistryResource.versions(exp).size());
        AggregationStatus st = status(exp, 0);
        assertEquals("CLOSED", st.state());
        assertEquals(1, st.modelVersion());
    }

    @Test
    void restartedAggregatorRebuildsTheSameBitsFromStoredUpdatesInAnyOrder() {
        Map<String, Selection> participants = Map.of("client-a", SEL_A, "client-b", SEL_B, "client-c", SEL_C);
        byte[][] results = new byte[2][];
        String[] exps = {"exp-order-1", "exp-order-2"};
        for (int k = 0; k < 2; k++) {
            String exp = exps[k];
            seedBase(exp, 21);
            open(exp, 0, 0, participants).statusCode(201);
            List<Sent> sent = new ArrayList<>(List.of(
                    Updates.update(exp, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 31), 101, SMALL_CHUNKS),
                    Updates.update(exp, 0, "client-b", SEL_B, 0, Updates.sparse(SEL_B, 32), 7, NO_CHUNKS),
                    Updates.update(exp, 0, "client-c", SEL_C, 0, Updates.dense(SEL_C, 33), 64, SMALL_CHUNKS)));
            if (k == 1) {
                java.util.Collections.reverse(sent); // other arrival order
            }
            sent.forEach(Sent::send);
            awaitStatus(exp, 0, s -> s.received() == 3);
            intake.resetInMemoryState(); // as after a restart: nothing but the database survives
            assertEquals(1, close(exp, 0).modelVersion());
            results[k] = FakeRegistryResource.versions(exp).get(1).weights();
            ParamSet expected = Updates.expected(Updates.baseBlob(21), sent);
            assertTrue(expected.bitEquals(new ParamSet(TensorCodec.decodeDense(results[k]))));
        }
        assertArrayEquals(results[0], results[1], "arrival order and restarts must not change a bit");
    }

    @Test
    void closingWithoutUpdatesKeepsTheModel() {
        String exp = "exp-empty";
        byte[] base = seedBase(exp, 5);
        open(exp, 0, 0, Map.of("client-a", SEL_A)).statusCode(201);
        CloseResult r = close(exp, 0);
        assertEquals(1, r.modelVersion());
        assertTrue(r.results().isEmpty());
        assertArrayEquals(base, FakeRegistryResource.versions(exp).get(1).weights());
        assertEquals(r, close(exp, 0));
        assertEquals(2, FakeRegistryResource.versions(exp).size());
    }

    @Test
    void recordsAreAcknowledgedAfterTheirOutcomeIsWrittenAndRedeliveriesCountOnce() {
        String exp = "exp-redeliver";
        seedBase(exp, 8);
        open(exp, 0, 0, Map.of("client-a", SEL_A, "client-b", SEL_B)).statusCode(201);
        Sent a = Updates.update(exp, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 61), 10, SMALL_CHUNKS);
        int chunks = a.envelopes().size();
        assertTrue(chunks >= 3);
        // synthetic record coordinates (partition 2, offsets far beyond the real topic) fed straight to the pipeline
        int[] acks = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            int k = i;
            intake.process(new Intake.InRecord(
                    Topics.UPDATES, 2, 1_000_000 + i, "client-a", a.envelopes().get(i), () -> acks[k]++));
            if (i < chunks - 1) {
                assertEquals(
                        0, java.util.Arrays.stream(acks).sum(), "no chunk is acknowledged before the update is stored");
            }
        }
        assertArrayEquals(
                java.util.stream.IntStream.generate(() -> 1).limit(chunks).toArray(), acks);
        assertEquals(1, status(exp, 0).received());
        // a redelivery of the same records (e.g. after a crash before the offsets were committed) changes nothing
        intake.resetInMemoryState();
        for (int i = 0; i < chunks; i++) {
            intake.process(new Intake.InRecord(
                    Topics.UPDATES, 2, 1_000_000 + i, "client-a", a.envelopes().get(i), () -> {}));
        }
        // a rejected record redelivered is recorded (and dead-lettered) once
        Sent x = Updates.update(exp, 0, "client-x", SEL_B, 0, Updates.sparse(SEL_B, 62), 5, NO_CHUNKS);
        for (int i = 0; i < 2; i++) {
            intake.process(new Intake.InRecord(
                    Topics.UPDATES, 2, 2_000_000, "client-x", x.envelopes().get(0), () -> {}));
        }
        AggregationStatus st = status(exp, 0);
        assertEquals(1, st.received());
        assertEquals(1, st.rejected());
        // the same content under new coordinates is a real second update: a duplicate
        intake.process(new Intake.InRecord(
                Topics.UPDATES, 2, 3_000_000, "client-a", a.envelopes().get(0), () -> {}));
        assertEquals(1, status(exp, 0).rejected(), "an incomplete message is not yet judged");
        intake.resetInMemoryState();
        Sent again = Updates.update(exp, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 61), 10, NO_CHUNKS);
        intake.process(new Intake.InRecord(
                Topics.UPDATES, 2, 3_000_001, "client-a", again.envelopes().get(0), () -> {}));
        st = status(exp, 0);
        assertEquals(1, st.received());
        assertEquals(2, st.rejected());
        List<Map<String, Object>> rej = given().get("/experiments/{e}/rounds/0/rejections", exp)
                .then()
                .statusCode(200)
                .extract()
                .as(new TypeRef<>() {});
        assertEquals(
                List.of("not_selected", "duplicate"),
                rej.stream().map(m -> m.get("reason")).toList());
    }

    @Test
    void lateAndRevokedUpdatesAreRefusedWithTheirReasons() {
        // a round whose deadline passed a second ago
        String late = "exp-late";
        seedBase(late, 13);
        open(late, 0, 0, Map.of("client-a", SEL_A), System.currentTimeMillis() - 1000)
                .statusCode(201);
        Updates.update(late, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 60), 10, NO_CHUNKS)
                .send();
        assertEquals(
                List.of("deadline_passed"),
                awaitRejections(late, 0, 1).stream().map(m -> m.get("reason")).toList());
        assertEquals(0, status(late, 0).received());

        // a client whose key is revoked: accepted before, refused from its next update on
        String exp = "exp-revoked";
        String client = AggregatorTestResource.REVOKED_CLIENT;
        seedBase(exp, 14);
        open(exp, 0, 0, Map.of(client, FULL)).statusCode(201);
        Updates.update(exp, 0, client, FULL, 0, Updates.dense(FULL, 61), 30, NO_CHUNKS)
                .send();
        awaitStatus(exp, 0, st -> st.received() == 1);
        FakeOrchestratorResource.REVOKED.add(client);
        try {
            given().delete("/clients/{c}/cached-keys", client).then().statusCode(204);
            given().delete("/clients/{c}/cached-keys", "bad id").then().statusCode(400);
            Updates.update(exp, 0, client, FULL, 0, Updates.dense(FULL, 62), 30, NO_CHUNKS)
                    .send();
            awaitRejection("clientId=" + client, "unknown_key");
            assertEquals(1, status(exp, 0).received());
        } finally {
            FakeOrchestratorResource.REVOKED.remove(client);
        }
    }

    // ------------------------------------------------------------------ settings

    @Test
    void theFormerUnknownClientKeyReachesTheSharedKeyLookup() {
        // AggregatorTestResource sets afd.aggregator.unknown-client-ttl=1s, the key before services/common
        assertEquals(Duration.ofSeconds(1), keysConfig.unknownTtl());
        assertEquals(Duration.ofSeconds(30), keysConfig.cacheTtl(), "keys are read again after 30 s");
        assertTrue(keysConfig.orchestratorLookup());
    }

    // ------------------------------------------------------------------ REST contract

    @Test
    void openValidatesAndIsIdempotent() {
        String exp = "exp-rest";
        Map<String, Selection> p = Map.of("client-a", SEL_A, "client-b", SEL_B);
        open(exp, 3, 2, p).statusCode(201).body("state", equalTo("OPEN")).body("received", equalTo(0));
        open(exp, 3, 2, p).statusCode(200).body("participants", equalTo(2));
        open(exp, 3, 2, Map.of("client-a", SEL_A))
                .statusCode(409)
                .body("error", equalTo("conflict"))
                .body("reason", containsString("participants"));
        open(exp, 3, 1, p)
                .statusCode(409)
                .body("error", equalTo("conflict"))
                .body("reason", containsString("baseVersion"));
        given().get("/experiments/{e}/rounds/3", exp)
                .then()
                .statusCode(200)
                .body("state", equalTo("OPEN"))
                .body("rejected", equalTo(0));

        given().get("/experiments/{e}/rounds/4", exp)
                .then()
                .statusCode(404)
                .body("status", equalTo(404))
                .body("error", equalTo("not_found"))
                .body("reason", containsString("no round 4"));
        given().post("/experiments/{e}/rounds/4/close", exp).then().statusCode(404);
        given().get("/experiments/{e}/rounds/4/rejections", exp).then().statusCode(404);
        given().get("/experiments/bad%20id/rounds/0")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("experiment id"));
        putRaw(
                        exp,
                        5,
                        Map.of(
                                "architecture",
                                "mlp(bogus)",
                                "baseVersion",
                                0,
                                "participants",
                                Map.of("client-a", SEL_A.canonical()),
                                "deadlineEpochMs",
                                1))
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("architecture"));
        putRaw(
                        exp,
                        5,
                        Map.of(
                                "architecture",
                                ARCH,
                                "baseVersion",
                                0,
                                "participants",
                                Map.of("client-a", "fc1:0,99;fc2:0"),
                                "deadlineEpochMs",
                                1))
                .statusCode(400)
                .body("reason", containsString("client-a"));
        putRaw(
                        exp,
                        5,
                        Map.of(
                                "architecture",
                                ARCH,
                                "baseVersion",
                                0,
                                "participants",
                                Map.of("client-a", "fc2:0;fc1:0"),
                                "deadlineEpochMs",
                                1))
                .statusCode(400);
        putRaw(
                        exp,
                        5,
                        Map.of(
                                "architecture",
                                ARCH,
                                "baseVersion",
                                -1,
                                "participants",
                                Map.of("client-a", SEL_A.canonical()),
                                "deadlineEpochMs",
                                1))
                .statusCode(400);
        putRaw(exp, 5, Map.of("architecture", ARCH, "baseVersion", 0, "participants", Map.of(), "deadlineEpochMs", 1))
                .statusCode(400);
        putRaw(
                        exp,
                        5,
                        Map.of(
                                "architecture",
                                ARCH,
                                "baseVersion",
                                0,
                                "participants",
                                Map.of("bad id", SEL_A.canonical()),
                                "deadlineEpochMs",
                                1))
                .statusCode(400)
                .body("reason", containsString("participant id"));
        given().get("/experiments/{e}/rounds/5", exp).then().statusCode(404);
        given().get("/rejections?limit=0").then().statusCode(400).body("reason", containsString("limit"));
        awaitReady();
        io.afd.services.testing.Management.given()
                .get("/q/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        io.afd.services.testing.Management.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'updates-partitions' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'updates-partitions' }.data.held", containsString("afd.updates-"));
        io.afd.services.testing.Management.given().get("/q/metrics").then().statusCode(200);
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputIsRejectedRecordedDeadLetteredAndLeavesTheModelAlone() {
        String exp = "exp-bad";
        byte[] base = seedBase(exp, 77);
        Map<String, Selection> participants = new LinkedHashMap<>();
        participants.put("client-a", SEL_A);
        participants.put("client-b", SEL_B);
        participants.put(AggregatorTestResource.REMOTE_CLIENT, FULL);
        participants.put(AggregatorTestResource.GREEDY_CLIENT, FULL);
        for (String c : List.of(
                "client-c",
                "client-d",
                "client-e",
                "client-f",
                "client-g",
                "client-h",
                "client-n",
                "client-o",
                "client-p",
                "client-i",
                "client-j",
                "client-k",
                "client-l")) {
            participants.put(c, SEL_C);
        }
        open(exp, 0, 0, participants).statusCode(201);

        // the good ones
        Sent a = Updates.update(exp, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 41), 30, SMALL_CHUNKS)
                .send();
        Sent b = Updates.update(exp, 0, "client-b", SEL_B, 0, Updates.sparse(SEL_B, 42), 12, NO_CHUNKS)
                .send();
        Sent r = Updates.update(
                        exp, 0, AggregatorTestResource.REMOTE_CLIENT, FULL, 0, Updates.dense(FULL, 43), 9, NO_CHUNKS)
                .send();

        Map<String, byte[]> values = new HashMap<>(); // record key -> the one bad record value (for payload checks)
        // malformed bytes
        byte[] garbage = new byte[300];
        new SplittableRandom(9).nextBytes(garbage);
        KafkaIo.send(Topics.UPDATES, "garbage-1", List.of(garbage));
        values.put("garbage-1", garbage);
        // truncated chunk set: chunk 1 of client-c's update never arrives
        Sent c = Updates.update(exp, 0, "client-c", SEL_C, 0, Updates.dense(SEL_C, 44), 20, SMALL_CHUNKS);
        assertTrue(c.envelopes().size() >= 3);
        List<byte[]> partial = new ArrayList<>(c.envelopes());
        partial.remove(1);
        KafkaIo.send(Topics.UPDATES, "client-c", partial);
        // wrong shape: fc1/b one element too long
        List<NamedTensor> wrong = new ArrayList<>(Updates.dense(SEL_C, 45));
        Tensor fb = (Tensor) wrong.get(1);
        wrong.set(1, new Tensor(fb.name(), new int[] {fb.shape()[0] + 1}, new float[fb.shape()[0] + 1]));
        Updates.update(exp, 0, "client-d", SEL_C, 0, wrong, 20, NO_CHUNKS).send();
        // NaN
        List<NamedTensor> nan = Updates.dense(SEL_C, 46);
        ((Tensor) nan.get(2)).data()[3] = Float.NaN;
        Updates.update(exp, 0, "client-e", SEL_C, 0, nan, 20, SMALL_CHUNKS).send();
        // not a participant (known client, valid update)
        Updates.update(exp, 0, "client-x", SEL_C, 0, Updates.dense(SEL_C, 47), 20, NO_CHUNKS)
                .send();
        // duplicate of an accepted update (other content)
        awaitStatus(exp, 0, s -> s.received() >= 1 && hasAccepted(exp, "client-a"));
        Updates.update(exp, 0, "client-a", SEL_A, 0, Updates.dense(SEL_A, 48), 31, SMALL_CHUNKS)
                .send();
        // unknown key: client-f's header signed with a key it never enrolled
        Sent forged = Updates.raw(
                "client-f",
                Updates.header(exp, 0, "client-f", SEL_C.id(), 0, 20),
                SEL_C,
                TensorCodec.encode(Updates.dense(SEL_C, 49), CodecSpec.FLOAT32),
                NO_CHUNKS,
                TestKeys.of("someone"));
        forged.send();
        values.put("client-f", forged.envelopes().get(0));
        // bad signature: client-m's own envelope with one payload byte changed after signing
        byte[] tampered = Updates.update(exp, 0, "client-m", SEL_C, 0, Updates.dense(SEL_C, 56), 20, NO_CHUNKS)
                .envelopes()
                .get(0)
                .clone();
        tampered[tampered.length - 100] ^= 1;
        Updates.send("client-m", tampered);
        // signed by client-n but produced under client-b's record key
        Updates.raw(
                        "client-b",
                        Updates.header(exp, 0, "client-n", SEL_C.id(), 0, 20),
                        SEL_C,
                        TensorCodec.encode(Updates.dense(SEL_C, 57), CodecSpec.FLOAT32),
                        NO_CHUNKS,
                        TestKeys.of("client-n"))
                .send();
        // signed two hours ago (a replayed capture), and ten minutes in the future
        long now = System.currentTimeMillis();
        Updates.raw(
                        "client-o",
                        Updates.header(exp, 0, "client-o", SEL_C.id(), 0, 20),
                        SEL_C,
                        TensorCodec.encode(Updates.dense(SEL_C, 58), CodecSpec.FLOAT32),
                        NO_CHUNKS,
                        TestKeys.of("client-o"),
                        now - 2 * 3_600_000L)
                .send();
        Updates.raw(
                        "client-p",
                        Updates.header(exp, 0, "client-p", SEL_C.id(), 0, 20),
                        SEL_C,
                        TensorCodec.encode(Updates.dense(SEL_C, 59), CodecSpec.FLOAT32),
                        NO_CHUNKS,
                        TestKeys.of("client-p"),
                        now + 600_000L)
                .send();
        // oversized, unchunked (checked after the round checks) and chunked (refused at the first chunk)
        byte[] big = new byte[AggregatorTestResource.MAX_UPDATE_BYTES + 4000];
        new SplittableRandom(3).nextBytes(big);
        Updates.raw(
                        "client-g",
                        Updates.header(exp, 0, "client-g", SEL_C.id(), 0, 20),
                        SEL_C,
                        big,
                        128 * 1024,
                        TestKeys.of("client-g"))
                .send();
        Sent hugeChunked = Updates.raw(
                        "client-h",
                        Updates.header(exp, 0, "client-h", SEL_C.id(), 0, 20),
                        SEL_C,
                        big,
                        16 * 1024,
                        TestKeys.of("client-h"))
                .send();
        assertTrue(hugeChunked.envelopes().size() > 1);
        // selection id of another sub-model
        Updates.raw(
                        "client-i",
                        Updates.header(exp, 0, "client-i", FULL.id(), 0, 20),
                        SEL_C,
                        TensorCodec.encode(Updates.dense(SEL_C, 50), CodecSpec.FLOAT32),
                        NO_CHUNKS,
                        TestKeys.of("client-i"))
                .send();
        // payload that is not an AFDT blob
        Updates.raw(
                        "client-j",
                        Updates.header(exp, 0, "client-j", SEL_C.id(), 0, 20),
                        SEL_C,
                        new byte[100],
                        NO_CHUNKS,
                        TestKeys.of("client-j"))
                .send();
        // trained from another model version
        Updates.update(exp, 0, "client-k", SEL_C, 7, Updates.dense(SEL_C, 51), 20, NO_CHUNKS)
                .send();
        // a well-formed blob in an encoding the round's uplink codec (float32) does not produce
        Updates.raw(
                        "client-l",
                        Updates.header(exp, 0, "client-l", SEL_C.id(), 0, 20),
                        SEL_C,
                        TensorCodec.encode(Updates.dense(SEL_C, 55), CodecSpec.parse("q8")),
                        NO_CHUNKS,
                        TestKeys.of("client-l"))
                .send();
        // unregistered client (the orchestrator answers 404)
        Updates.raw(
                        "client-nobody",
                        Updates.header(exp, 0, "client-nobody", SEL_C.id(), 0, 20),
                        SEL_C,
                        TensorCodec.encode(Updates.dense(SEL_C, 52), CodecSpec.FLOAT32),
                        NO_CHUNKS,
                        TestKeys.of("client-nobody"))
                .send();
        // a round that was never opened
        Updates.update(exp, 5, "client-b", SEL_B, 0, Updates.sparse(SEL_B, 53), 12, NO_CHUNKS)
                .send();

        // more samples than it enrolled with (20): it would outweigh the others in the average
        Updates.update(exp, 0, AggregatorTestResource.GREEDY_CLIENT, FULL, 0, Updates.dense(FULL, 54), 21, NO_CHUNKS)
                .send();

        Map<String, String> roundReasons = new LinkedHashMap<>(); // client -> reason, attributed to round 0
        roundReasons.put("client-c", "reassembly_timeout");
        roundReasons.put("client-d", "wrong_shape");
        roundReasons.put("client-e", "non_finite");
        roundReasons.put("client-x", "not_selected");
        roundReasons.put("client-a", "duplicate");
        roundReasons.put("client-g", "too_large");
        roundReasons.put("client-h", "too_large");
        roundReasons.put("client-i", "wrong_selection");
        roundReasons.put("client-j", "codec_error");
        roundReasons.put("client-l", "codec_error");
        roundReasons.put("client-k", "wrong_model_version");
        roundReasons.put(AggregatorTestResource.GREEDY_CLIENT, "bad_sample_count");
        roundReasons.put("client-n", "wrong_record_key");
        roundReasons.put("client-o", "expired");
        roundReasons.put("client-p", "expired");
        List<Map<String, Object>> rejections = awaitRejections(exp, 0, roundReasons.size());
        Map<String, String> actual = rejections.stream()
                .collect(Collectors.toMap(
                        m -> (String) m.get("clientId"), m -> (String) m.get("reason"), (x, y) -> x + "," + y));
        assertEquals(sorted(roundReasons), sorted(actual));
        for (Map<String, Object> m : rejections) {
            assertEquals(Topics.UPDATES, m.get("topic"));
            if ("reassembly_timeout".equals(m.get("reason"))) {
                assertNull(m.get("offset"), "a timeout spans several records");
            } else {
                assertNotNull(m.get("offset"));
            }
        }
        // rejections no round can be charged with
        awaitRejection("clientId=garbage-1", "malformed");
        awaitRejection("clientId=client-f", "unknown_key");
        awaitRejection("clientId=client-m", "bad_signature");
        awaitRejection("clientId=client-nobody", "unknown_client");
        awaitRejection("experimentId=" + exp + "&clientId=client-b", "unknown_round");

        // only the good updates count, and the model is exactly theirs
        AggregationStatus st = status(exp, 0);
        assertEquals(3, st.received());
        assertEquals(roundReasons.size(), st.rejected());
        CloseResult closed = close(exp, 0);
        assertEquals(roundReasons.size(), closed.rejected());
        assertEquals(
                List.of("client-a", "client-b", AggregatorTestResource.REMOTE_CLIENT),
                closed.results().stream().map(RoundEvent.ClientResult::clientId).toList());
        assertEquals(a.header().numSamples(), closed.results().get(0).numSamples(), "the first client-a update counts");
        ParamSet expected = Updates.expected(base, List.of(a, b, r));
        assertTrue(expected.bitEquals(new ParamSet(TensorCodec.decodeDense(
                FakeRegistryResource.versions(exp).get(closed.modelVersion()).weights()))));

        // after the close the round is stale, and the consumer is still alive to say so
        Updates.update(exp, 0, "client-c", SEL_C, 0, Updates.dense(SEL_C, 54), 20, NO_CHUNKS)
                .send();
        awaitRejection("experimentId=" + exp + "&clientId=client-c&reason=stale_round", "stale_round");
        assertEquals(closed, close(exp, 0));

        // every rejection also went to the dead-letter topic, signed with the server key
        Map<String, String> expectedLetters = new LinkedHashMap<>(); // key|reason
        roundReasons.forEach((client, reason) -> expectedLetters.put(client + "|" + reason, reason));
        // a dead letter keeps the rejected record's key: client-n's update travelled under client-b's
        expectedLetters.remove("client-n|wrong_record_key");
        expectedLetters.put("client-b|wrong_record_key", "wrong_record_key");
        expectedLetters.put("garbage-1|malformed", "malformed");
        expectedLetters.put("client-f|unknown_key", "unknown_key");
        expectedLetters.put("client-m|bad_signature", "bad_signature");
        expectedLetters.put("client-nobody|unknown_client", "unknown_client");
        expectedLetters.put("client-b|unknown_round", "unknown_round");
        expectedLetters.put("client-c|stale_round", "stale_round");
        Map<String, Envelope> letters = new HashMap<>();
        KafkaIo.readUntil(
                Topics.DEAD_LETTER,
                recs -> {
                    for (ConsumerRecord<String, byte[]> rec : recs) {
                        Envelope env = EnvelopeCodec.decode(rec.value(), SERVER);
                        DeadLetter dl = env.header(DeadLetter.class);
                        boolean ours = exp.equals(dl.experimentId())
                                || List.of("garbage-1", "client-f", "client-m", "client-nobody")
                                        .contains(rec.key());
                        if (ours) {
                            letters.putIfAbsent(rec.key() + "|" + dl.reason(), env);
                        }
                    }
                    return letters.keySet().containsAll(expectedLetters.keySet());
                },
                WAIT);
        for (String k : expectedLetters.keySet()) {
            Envelope env = letters.get(k);
            if (env == null) {
                fail("no dead letter " + k + "; got " + letters.keySet());
            }
            assertEquals(MessageType.DEAD_LETTER, env.type());
            DeadLetter dl = env.header(DeadLetter.class);
            assertEquals(Topics.UPDATES, dl.originalTopic());
            if (values.containsKey(k.substring(0, k.indexOf('|')))) {
                assertArrayEquals(
                        values.get(k.substring(0, k.indexOf('|'))),
                        env.payload(),
                        "a dead letter carries the rejected record verbatim");
            }
        }
        assertEquals(0, letters.get("client-c|reassembly_timeout").payload().length);
        io.afd.services.testing.Management.given()
                .get("/q/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> sorted(Map<String, String> m) {
        return m.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
    }

    private static boolean hasAccepted(String exp, String client) {
        List<Map<String, Object>> u = given().get("/experiments/{e}/rounds/0/updates", exp)
                .then()
                .statusCode(200)
                .extract()
                .as(new TypeRef<>() {});
        return u.stream().anyMatch(m -> client.equals(m.get("clientId")));
    }

    private static List<Map<String, Object>> awaitRejections(String exp, int round, int n) {
        long end = System.nanoTime() + WAIT.toNanos();
        List<Map<String, Object>> list = List.of();
        while (System.nanoTime() < end) {
            list = given().get("/experiments/{e}/rounds/{t}/rejections", exp, round)
                    .then()
                    .statusCode(200)
                    .extract()
                    .as(new TypeRef<>() {});
            if (list.size() >= n) {
                return list;
            }
            sleep();
        }
        fail("expected " + n + " rejections of " + exp + " round " + round + ", got " + list);
        return list;
    }

    private static void awaitRejection(String query, String reason) {
        long end = System.nanoTime() + WAIT.toNanos();
        List<Map<String, Object>> list = List.of();
        while (System.nanoTime() < end) {
            list = given().get("/rejections?" + query)
                    .then()
                    .statusCode(200)
                    .body("$", org.hamcrest.Matchers.instanceOf(List.class))
                    .extract()
                    .as(new TypeRef<>() {});
            if (list.stream().anyMatch(m -> reason.equals(m.get("reason")))) {
                return;
            }
            sleep();
        }
        fail("no " + reason + " rejection for " + query + "; got " + list);
    }

    private static RoundEvent roundEvent(String exp, int round) {
        List<RoundEvent> found = new ArrayList<>();
        KafkaIo.readUntil(
                Topics.ROUNDS,
                recs -> {
                    found.clear();
                    for (ConsumerRecord<String, byte[]> rec : recs) {
                        if (exp.equals(rec.key())) {
                            RoundEvent e =
                                    EnvelopeCodec.decode(rec.value(), SERVER).header(RoundEvent.class);
                            if (e.round() == round) {
                                found.add(e);
                            }
                        }
                    }
                    return !found.isEmpty();
                },
                WAIT);
        if (found.isEmpty()) {
            fail("no round event for " + exp + " round " + round);
        }
        return found.get(0);
    }

    /** Readiness includes holding partitions of afd.updates, which the group assigns a few seconds after start. */
    private static void awaitReady() {
        long until = System.nanoTime() + WAIT.toNanos();
        while (io.afd.services.testing.Management.given().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > until) {
                io.afd.services.testing.Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Who may call what (ADR 0016): the orchestrator opens and closes rounds and reports revocations; operators read. */
    @org.junit.jupiter.api.Test
    void onlyTheOrchestratorOpensClosesAndForgets() {
        io.afd.services.testing.SecurityMatrix.check(java.util.List.of(
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "PUT", "/experiments/sec/rounds/0", "{}", java.util.Set.of("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "POST", "/experiments/sec/rounds/0/close", null, java.util.Set.of("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/rounds/0",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/rounds/0/rejections",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/experiments/sec/rounds/0/updates",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "GET",
                        "/rejections",
                        null,
                        io.afd.services.testing.SecurityMatrix.operatorsAnd("service:orchestrator")),
                new io.afd.services.testing.SecurityMatrix.Endpoint(
                        "DELETE", "/clients/client-a/cached-keys", null, java.util.Set.of("service:orchestrator"))));
        io.afd.services.testing.Management.given().get("/q/health/live").then().statusCode(200);
    }
}
