package io.afd.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import io.afd.protocol.ClientTask;
import io.afd.protocol.SigningKey;
import io.afd.protocol.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted edge client sends what it would have sent (issue 10 item 3): its DGC momentum and residual and its
 * answered rounds survive in its state directory.
 */
class EdgeClientRestartTest {
    private static final ModelSpec SPEC = ModelSpec.mlp(60, 10, 32);
    private static final String ID = "client-00000";
    private static final Dataset DATA = SyntheticDataset.generate(1, 1, 2, 3).client(0);
    private static final SigningKey KEY = SigningKey.generate();

    @TempDir
    Path dir;

    /** Round r of a stateful DGC run (momentum correction, 90 % sparsity: most of the update stays in v). */
    private static ClientTask task(int round) {
        TrainConfig tc = new TrainConfig(1, 10, 0.05, new DgcConfig(0.5, 0, new double[0], 0.9, 100, 0.01, 0.2, true));
        return ClientTask.of(
                "restart-exp",
                round,
                ID,
                0,
                SPEC,
                Selection.full(SPEC),
                TrainingConfig.forRound(tc, round, 3, 42L + round, false),
                CodecSpec.FLOAT32,
                CodecSpec.FLOAT32.withSeed(9),
                System.currentTimeMillis() + 60_000);
    }

    private static byte[] payload() {
        return TensorCodec.encode(
                new SubModelLayout(SPEC, Selection.full(SPEC))
                        .extract(SPEC.init(5))
                        .list(),
                CodecSpec.FLOAT32);
    }

    private static EdgeClient client(Path stateDir) {
        return new EdgeClient(ID, KEY, DATA, new RuntimeCache(2), new Chunker(1 << 19), stateDir);
    }

    @Test
    void aRestartedClientSendsWhatItWouldHaveSent() {
        EdgeClient steady = client(dir.resolve("steady"));
        steady.handle(task(0), payload(), 1);
        steady.committed(task(0));
        var expected = steady.handle(task(1), payload(), 1).result().update();
        EdgeClient before = client(dir.resolve("restarted"));
        before.handle(task(0), payload(), 1);
        before.committed(task(0));
        EdgeClient after = client(dir.resolve("restarted")); // a new process: nothing in memory
        assertNull(after.handle(task(0), payload(), 1), "a round answered before the restart is skipped");
        EdgeClient.Outcome round1 = after.handle(task(1), payload(), 1);
        assertEquals(expected, round1.result().update(), "same momentum and residual, same update bits");

        // without its state the restarted client would send something else: the test can fail
        EdgeClient forgetful = client(null);
        var fresh = forgetful.handle(task(1), payload(), 1).result().update();
        assertNotEquals(expected, fresh);
    }

    @Test
    void aDamagedStateFileIsRefusedWithItsNameNotReplacedByZeros() throws Exception {
        EdgeClient c = client(dir);
        c.handle(task(0), payload(), 1);
        c.committed(task(0));
        Path file = new OptimizerStateStore(dir).file(ID, "restart-exp", SPEC);
        assertTrue(Files.isRegularFile(file));
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 1;
        Files.write(file, b);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> client(dir).handle(task(1), payload(), 1));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }
}
