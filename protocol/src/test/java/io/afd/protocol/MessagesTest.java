package io.afd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.round.TrainConfig;
import io.afd.protocol.ProtocolException.Reason;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static void invalid(String fieldInMessage, Supplier<?> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().contains(fieldInMessage), e.getMessage());
    }

    private static ProtocolException parseFails(MessageType type, String json) {
        return assertThrows(ProtocolException.class, () -> ProtocolJson.parse(type, json), json);
    }

    @Test
    void everyMessageRoundTripsThroughJson() {
        for (Message m : Fixtures.allMessages()) {
            String json = ProtocolJson.toJson(m, null);
            ProtocolJson.Header h = ProtocolJson.parse(m.messageType(), json);
            assertEquals(m, h.message(), json);
            assertNull(h.chunk());
            assertEquals(json, ProtocolJson.toJson(h.message(), null), "writing is deterministic");
        }
    }

    @Test
    void seedsTravelAsSixteenHexDigits() {
        String json = ProtocolJson.toJson(Fixtures.task(), null);
        assertTrue(json.contains("\"seed\":\"9e3779b97f4a7c15\""), json);
        assertTrue(json.contains("\"uplinkSeed\":\"000000000000002a\""), json);
        ClientTask back =
                (ClientTask) ProtocolJson.parse(MessageType.CLIENT_TASK, json).message();
        assertEquals(0x9e3779b97f4a7c15L, back.train().seed());
        assertEquals(42, back.uplinkSpec().seed());
        for (String bad : List.of("\"9E3779B97F4A7C15\"", "\"9e3779b97f4a7c1\"", "123", "null", "\"-1\"")) {
            ProtocolException e = parseFails(MessageType.CLIENT_TASK, json.replace("\"9e3779b97f4a7c15\"", bad));
            assertEquals(Reason.INVALID_HEADER, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("train.seed"), e.getMessage());
        }
    }

    @Test
    void strictMapping() {
        String ok = ProtocolJson.toJson(Fixtures.update(), null);
        List<String> invalid = List.of(
                ok.replace("\"round\":3", "\"round\":\"3\""),
                ok.replace("\"round\":3", "\"round\":3.0"),
                ok.replace("\"round\":3", "\"round\":null"),
                ok.replace(",\"round\":3", ""),
                ok.replace("\"round\":3", "\"round\":3,\"note\":\"x\""),
                ok.replace("\"numSamples\":57", "\"numSamples\":99999999999"),
                ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":\"0.8125\""),
                ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":true"),
                ok.replace("\"experimentId\":\"exp-1\"", "\"experimentId\":7"),
                ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":1e400"));
        for (String json : invalid) {
            ProtocolException e = parseFails(MessageType.CLIENT_UPDATE, json);
            assertEquals(Reason.INVALID_HEADER, e.reason(), json + " -> " + e.getMessage());
        }
        List<String> malformed = List.of(
                ok.replace("\"round\":3", "\"round\":3,\"round\":4"),
                ok + "{}",
                ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":NaN"),
                "",
                "null");
        for (String json : malformed) {
            assertEquals(
                    Reason.MALFORMED,
                    parseFails(MessageType.CLIENT_UPDATE, json).reason(),
                    json);
        }
        // the optional initialLoss may be absent or null
        assertEquals(
                Fixtures.update(),
                ProtocolJson.parse(
                                MessageType.CLIENT_UPDATE,
                                ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":0.8125,\"initialLoss\":null"))
                        .message());
        // an integer where a double is expected is fine (JSON has one number type)
        assertEquals(
                1.0,
                ((ClientUpdate) ProtocolJson.parse(
                                        MessageType.CLIENT_UPDATE,
                                        ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":1"))
                                .message())
                        .trainLoss());
        ProtocolException e =
                parseFails(MessageType.CLIENT_UPDATE, ok.replace("\"numSamples\":57", "\"numSamples\":0"));
        assertTrue(e.getMessage().contains("numSamples"), e.getMessage());
    }

    @Test
    void taskConsistencyIsChecked() {
        ClientTask t = Fixtures.task();
        String json = ProtocolJson.toJson(t, null);
        List<String> bad = List.of(
                json.replace("fc2:1,2\"", "fc2:1,2,3\""), // valid, but another id
                json.replace("fc1:0,2,3;fc2:1,2", "fc1:0,2,3;fc2:1,2;").replace(t.selectionId(), "0000000000000000"),
                json.replace("fc1:0,2,3;fc2:1,2", "fc1:0,2,9;fc2:1,2"), // unit 9 >= 4
                json.replace("hidden=4x3", "hidden=4X3"), // not canonical
                json.replace("hidden=4x3", "hidden=4"), // no fc2 in the model
                json.replace("\"q8-hadamard\"", "\"Q8-HADAMARD\""),
                json.replace("\"q8-hadamard\"", "\"float32+sparse-f32\""), // non-canonical suffix
                json.replace("\"float32\"", "\"gzip\""));
        for (String b : bad) {
            assertEquals(
                    Reason.INVALID_HEADER,
                    parseFails(MessageType.CLIENT_TASK, b).reason(),
                    b);
        }
        assertEquals(Fixtures.MODEL, t.modelSpec());
        assertEquals(Fixtures.selection(), t.parsedSelection());
        assertEquals(CodecSpec.parse("q8-hadamard"), t.downlinkSpec());
    }

    @Test
    void rangesAreValidated() {
        ClientTask t = Fixtures.task();
        TrainingConfig c = Fixtures.train();
        invalid(
                "train.epochs",
                () -> new TrainingConfig(0, 10, 0.05, 0.9, 0, 0.75, 1024, 0.01, 0.2, true, 10, 1, false));
        invalid(
                "train.learningRate",
                () -> new TrainingConfig(1, 10, Double.NaN, 0.9, 0, 0.75, 1024, 0.01, 0.2, true, 10, 1, false));
        invalid(
                "train.momentum",
                () -> new TrainingConfig(1, 10, 0.1, 1.0, 0, 0.75, 1024, 0.01, 0.2, true, 10, 1, false));
        invalid(
                "train.sparsity",
                () -> new TrainingConfig(1, 10, 0.1, 0.9, 0, 1.0, 1024, 0.01, 0.2, true, 10, 1, false));
        invalid(
                "train.clientsInRound",
                () -> new TrainingConfig(1, 10, 0.1, 0.9, 0, 0.5, 1024, 0.01, 0.2, true, 40000, 1, false));
        invalid(
                "clientId",
                () -> new ClientTask(
                        t.experimentId(),
                        1,
                        "bad id",
                        0,
                        t.model(),
                        t.selectionId(),
                        t.selection(),
                        c,
                        "float32",
                        "float32",
                        0,
                        0));
        invalid(
                "clientId",
                () -> new ClientTask(
                        t.experimentId(),
                        1,
                        "@server",
                        0,
                        t.model(),
                        t.selectionId(),
                        t.selection(),
                        c,
                        "float32",
                        "float32",
                        0,
                        0));
        invalid(
                "round",
                () -> new ClientTask(
                        t.experimentId(),
                        -1,
                        t.clientId(),
                        0,
                        t.model(),
                        t.selectionId(),
                        t.selection(),
                        c,
                        "float32",
                        "float32",
                        0,
                        0));
        invalid(
                "modelVersion",
                () -> new ClientTask(
                        t.experimentId(),
                        1,
                        t.clientId(),
                        1L << 53,
                        t.model(),
                        t.selectionId(),
                        t.selection(),
                        c,
                        "float32",
                        "float32",
                        0,
                        0));
        ClientUpdate u = Fixtures.update();
        invalid(
                "trainLoss",
                () -> new ClientUpdate(
                        u.experimentId(),
                        1,
                        u.clientId(),
                        u.selectionId(),
                        0,
                        1,
                        Double.POSITIVE_INFINITY,
                        null,
                        0,
                        0));
        invalid(
                "initialLoss",
                () -> new ClientUpdate(
                        u.experimentId(), 1, u.clientId(), u.selectionId(), 0, 1, 1.0, Double.NaN, 0, 0));
        invalid(
                "numSamples",
                () -> new ClientUpdate(u.experimentId(), 1, u.clientId(), u.selectionId(), 0, 0, 1.0, null, 0, 0));
        RoundEvent.ClientResult r = Fixtures.roundEvent().results().get(0);
        invalid("results", () -> new RoundEvent("e", 0, RoundEvent.Type.AGGREGATED, 1, List.of(r, r), 0, 0, null));
        invalid("type", () -> new RoundEvent("e", 0, null, 1, List.of(), 0, 0, null));
        invalid("reason", () -> new DeadLetter("Bad Reason", "", Topics.UPDATES, null, null, null, null, null, 0));
        invalid(
                "detail",
                () -> new DeadLetter(
                        "x", "d".repeat(DeadLetter.MAX_DETAIL + 1), Topics.UPDATES, null, null, null, null, null, 0));
        assertEquals(
                DeadLetter.MAX_DETAIL,
                DeadLetter.of("x", "d".repeat(20_000), Topics.UPDATES, null, null, null, null, null, 0)
                        .detail()
                        .length());
    }

    @Test
    void trainingConfigMapsToTheCoreForThisRound() {
        TrainConfig cfg = new TrainConfig(2, 10, 0.05, DgcConfig.paper());
        TrainingConfig r0 = TrainingConfig.forRound(cfg, 0, 10, 5, true);
        TrainingConfig r9 = TrainingConfig.forRound(cfg, 9, 10, 5, true);
        assertEquals(0.75, r0.sparsity());
        assertEquals(0.999, r9.sparsity());
        TrainConfig back = r0.toTrainConfig();
        for (int round : new int[] {0, 1, 7, 100}) {
            assertEquals(0.75, back.dgc().sparsityForRound(round), "the task's sparsity applies whatever the round");
        }
        assertEquals(cfg.dgc().momentum(), back.dgc().momentum());
        assertEquals(cfg.dgc().denseBelow(), back.dgc().denseBelow());
        assertEquals(cfg.learningRate(), back.learningRate());
        TrainingConfig noClip = TrainingConfig.forRound(
                new TrainConfig(1, 1, 0.1, DgcConfig.paper().withClipNorm(-1)), 0, 1, 0, false);
        assertEquals(0, noClip.clipNorm());
    }

    @Test
    void updateAnswersItsTask() {
        ClientUpdate u = Fixtures.update();
        ClientTask t = Fixtures.task();
        assertEquals(t.selectionId(), u.selectionId());
        assertEquals(t.modelVersion(), u.modelVersion());
        assertNull(u.initialLoss(), "NaN (not measured) becomes null");
        assertEquals(Fixtures.CLIENT, Topics.keyFor(u));
        assertEquals(Fixtures.EXPERIMENT, Topics.keyFor(Fixtures.roundEvent()));
        assertNull(Topics.keyFor(Fixtures.deadLetter()));
        assertEquals(EnvelopeCodec.SERVER, Fixtures.roundEvent().signer());
    }
}
