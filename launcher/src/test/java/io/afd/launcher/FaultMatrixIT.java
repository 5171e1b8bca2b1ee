package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.testing.SharedInfra;
import io.afd.infra.testing.StoppablePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix on the real suite (seven JVMs: two aggregators, two orchestrators; a real broker; an embedded
 * PostgreSQL of its own so it can stop it): each JVM SIGKILLed while a round collects and each service while one
 * closes, the broker killed, PostgreSQL restarted and stopped for 30 s, garbage on every topic. Every run completes
 * with the simulator's final model, bit for bit, and the unfaulted run's accepted updates per round.
 */
class FaultMatrixIT {

    @Test
    void everyFaultLeavesTheBitsAndTheAcceptedUpdatesAsTheyWere() throws Exception {
        SharedInfra infra = SharedInfra.get();
        Path dir = Path.of("target", "fault-matrix").toAbsolutePath();
        Files.createDirectories(dir);
        try (StoppablePostgres pg = new StoppablePostgres(Files.createTempDirectory(dir, "postgres-"), "faults")) {
            List<FaultMatrix.Row> rows = FaultMatrix.run(
                    infra.kafkaAdmin(),
                    pg.jdbcUrl(),
                    pg.username(),
                    pg.password(),
                    infra.issuer(),
                    PortRange.freeBase(18),
                    dir,
                    FaultMatrix.FAULTS,
                    FaultMatrix.Infra.of(infra::crashAndRestartKafka, pg));
            System.out.println(FaultMatrix.table(rows));
            assertEquals(FaultMatrix.FAULTS.size(), rows.size());
            for (FaultMatrix.Row r : rows) {
                assertTrue(r.ok(), r.toString());
            }
        }
    }
}
