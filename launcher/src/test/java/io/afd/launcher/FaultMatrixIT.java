package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.testing.SharedInfra;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix on the real suite (five JVMs, real broker and PostgreSQL): each service, then the broker,
 * SIGKILLed and restarted while a round collects; every run completes with the simulator's final model, bit for
 * bit.
 */
class FaultMatrixIT {

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
                PortRange.freeBase(15),
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
