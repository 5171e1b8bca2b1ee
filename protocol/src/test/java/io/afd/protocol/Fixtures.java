package io.afd.protocol;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.SparseTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sample messages, keys and payloads shared by the tests (and the examples in docs/protocol.md). */
final class Fixtures {
    static final ModelSpec MODEL = ModelSpec.parse("mlp(in=60,hidden=4x3,classes=10)");
    static final String CLIENT = "client-00007";
    static final String EXPERIMENT = "exp-1";

    /** The client's Ed25519 key: its seed is the bytes 0x00..0x1f (the test vector of docs/protocol.md). */
    static final SigningKey CLIENT_KEY = SigningKey.fromSeed(bytes(0x00));
    /** Another client's key, to sign what the client's key does not. */
    static final SigningKey OTHER_KEY = SigningKey.fromSeed(bytes(0x01));
    /** The services' key (seed 0xa0..0xbf), which signs tasks, round events and dead letters. */
    static final SigningKey SERVER_KEY = SigningKey.fromSeed(bytes(0xA0));

    static final KeyLookup LOOKUP = KeyLookup.of(CLIENT, CLIENT_KEY.verifyKey())
            .orElse(KeyLookup.of(EnvelopeCodec.SERVER, SERVER_KEY.verifyKey()));

    /** Fixed issue time of the envelopes the tests compare byte for byte: 2026-01-01T00:00:00Z. */
    static final long ISSUED_AT = 1767225600000L;

    private static byte[] bytes(int first) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    private Fixtures() {}

    static Selection selection() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("fc1", new int[] {0, 2, 3});
        m.put("fc2", new int[] {1, 2});
        return new Selection(m);
    }

    static TrainingConfig train() {
        return new TrainingConfig(2, 10, 0.05, 0.9, 0, 0.75, 1024, 0.01, 0.2, true, 10, 0x9e3779b97f4a7c15L, false);
    }

    static ClientTask task() {
        return ClientTask.of(
                EXPERIMENT,
                3,
                CLIENT,
                12,
                MODEL,
                selection(),
                train(),
                CodecSpec.parse("q8-hadamard"),
                CodecSpec.parse("float32", 42),
                1767225600000L);
    }

    static ClientUpdate update() {
        return ClientUpdate.answering(task(), 57, 0.8125, Double.NaN, 1234, 5678);
    }

    static ClientUpdate updateWithInitialLoss() {
        return ClientUpdate.answering(task(), 57, 0.8125, 2.25, 1234, 5678);
    }

    static RoundEvent roundEvent() {
        return new RoundEvent(
                EXPERIMENT,
                3,
                RoundEvent.Type.AGGREGATED,
                13,
                List.of(
                        new RoundEvent.ClientResult(CLIENT, 57, 0.8125, null, 2154, 1020),
                        new RoundEvent.ClientResult("client-00012", 40, 0.75, 1.5, 2154, 998)),
                1,
                1767225590000L,
                null);
    }

    static DeadLetter deadLetter() {
        return new DeadLetter(
                "bad_signature",
                "the Ed25519 signature over the first 288 bytes does not verify with key 9bb8e3e8ba3b5b3e of 'client-00031'",
                Topics.UPDATES,
                2,
                1187L,
                "client-00031",
                null,
                null,
                1767225581234L);
    }

    static List<Message> allMessages() {
        return List.of(task(), update(), updateWithInitialLoss(), roundEvent(), deadLetter());
    }

    /** A minimal AFDT blob: tensor "out/b" of shape [3], sparse float32, value 0.5 at index 1. */
    static byte[] tinyBlob() {
        return TensorCodec.encode(
                List.of(new SparseTensor("out/b", new int[] {3}, new int[] {1}, new float[] {0.5f})),
                CodecSpec.SPARSE_F32);
    }

    static SigningKey keyFor(Message m) {
        return m.signer().equals(EnvelopeCodec.SERVER) ? SERVER_KEY : CLIENT_KEY;
    }
}
