package io.afd.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.data.Dataset;
import io.afd.core.data.SyntheticDataset;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.TrainConfig;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.train.ClientOptimizerState;
import io.afd.core.train.LocalResult;
import io.afd.core.train.LocalTrainer;
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import io.afd.protocol.ClientTask;
import io.afd.protocol.ClientUpdate;
import io.afd.protocol.Envelope;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.Reassembler;
import io.afd.protocol.SigningKey;
import io.afd.protocol.TrainingConfig;
import io.afd.protocol.VerifyKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeClientTest {
    private static final ModelSpec SPEC = ModelSpec.mlp(60, 10, 32);

    private static Selection half() {
        Map<String, int[]> m = new LinkedHashMap<>();
        int[] k = new int[16];
        for (int i = 0; i < 16; i++) {
            k[i] = 2 * i;
        }
        m.put("fc1", k);
        return new Selection(m);
    }

    @Test
    void aTaskBecomesASignedUpdateEqualToLocalTraining() {
        Dataset data = SyntheticDataset.generate(1, 1, 2, 3).client(0);
        SigningKey key = SigningKey.generate();
        Selection sel = half();
        SubModelLayout layout = new SubModelLayout(SPEC, sel);
        ParamSet global = SPEC.init(5);
        ParamSet sub = layout.extract(global);
        TrainConfig tc = new TrainConfig(1, 10, 0.05, new DgcConfig(0.5, 0, new double[0], 0.5, 100, 0.01, 0.2, true));
        TrainingConfig train = TrainingConfig.forRound(tc, 0, 3, 42L, false);
        ClientTask task = ClientTask.of(
                "exp",
                0,
                "client-00000",
                0,
                SPEC,
                sel,
                train,
                CodecSpec.FLOAT32,
                CodecSpec.FLOAT32.withSeed(9),
                System.currentTimeMillis() + 60_000);
        byte[] payload = TensorCodec.encode(sub.list(), CodecSpec.FLOAT32);

        EdgeClient client = new EdgeClient("client-00000", key, data, new RuntimeCache(2), new Chunker(1024));
        EdgeClient.Outcome out = client.handle(task, payload, 1234);
        assertTrue(out.envelopes().size() > 1, "small chunk size splits the update");

        // The server side: verify, reassemble, decode.
        Reassembler re = new Reassembler();
        Envelope full = null;
        for (byte[] e : out.envelopes()) {
            Reassembler.Result r = re.offer(EnvelopeCodec.decode(e, KeyLookup.of("client-00000", key.verifyKey())));
            if (r.status() == Reassembler.Status.COMPLETE) {
                full = r.message();
            }
        }
        ClientUpdate up = full.header(ClientUpdate.class);
        assertEquals(data.size(), up.numSamples());
        assertEquals(sel.id(), up.selectionId());
        assertEquals(1234, up.bytesReceived());
        List<NamedTensor> update = TensorCodec.decode(full.payload());

        // Same as training directly with the core trainer and the task's seed.
        LocalResult ref = new LocalTrainer(new RuntimeCache(2))
                .train(
                        layout,
                        sub,
                        data.features(),
                        data.labels(),
                        train.toTrainConfig(),
                        new ClientOptimizerState(SPEC),
                        0,
                        3,
                        42L,
                        false);
        assertEquals(ref.update(), update);
        assertEquals(ref.trainLoss(), up.trainLoss());

        // A redelivered task is not trained twice; a task for someone else is refused.
        assertNull(client.handle(task, payload, 1234));
        ClientTask other = ClientTask.of(
                "exp",
                0,
                "client-00001",
                0,
                SPEC,
                sel,
                train,
                CodecSpec.FLOAT32,
                CodecSpec.FLOAT32,
                System.currentTimeMillis() + 60_000);
        assertThrows(IllegalArgumentException.class, () -> client.handle(other, payload, 1));
        // Another key cannot verify the client's envelopes.
        VerifyKey wrong = SigningKey.generate().verifyKey();
        assertThrows(
                ProtocolException.class,
                () -> EnvelopeCodec.decode(out.envelopes().get(0), KeyLookup.of("client-00000", wrong)));
    }
}
