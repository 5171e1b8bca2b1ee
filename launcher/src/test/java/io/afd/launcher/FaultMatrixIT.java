package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.testing.SharedInfra;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix on the real suite (five JVMs, real broker and PostgreSQL): each service, then the broker,
 * SIGKILLed and restarted while a round collects; every run completes with the simulator's final model, bit for
 * bit.
 */
class FaultMatrixIT {

    private static int freeBase() throws IOException {
        Random r = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + r.nextInt(30_000);
            boolean ok = true;
            for (int p = base; p < base + 15 && ok; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    ok = false;
                }
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    @Test
    void everyServiceKilledWhileCollectingLeavesTheBitsAsTheyWere() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String db = infra.createUniqueDatabase("faults");
        List<FaultMatrix.Row> rows = FaultMatrix.run(
                infra.kafkaAdmin(),
                infra.jdbcUrl(db),
                infra.username(),
                infra.password(),
                infra.issuer(),
                freeBase(),
                Path.of("target", "fault-matrix"),
                FaultMatrix.FAULTS,
                infra::crashAndRestartKafka);
        System.out.println(FaultMatrix.table(rows));
        assertEquals(FaultMatrix.FAULTS.size(), rows.size());
        for (FaultMatrix.Row r : rows) {
            assertTrue(r.ok(), r.toString());
        }
    }
}
