package io.afd.orchestrator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.testing.StoppablePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leader election on a real (embedded) PostgreSQL: one replica leads; a crashed, dropped or stopping leader hands
 * the lease on; a PostgreSQL restart leaves no one believing it leads on a dead session.
 */
class AdvisoryLockLeaseTest {
    private static StoppablePostgres pg;
    private static long nextKey = 7001;

    @BeforeAll
    static void start() throws Exception {
        pg = new StoppablePostgres(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-lease-"), "lease");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    /** A replica's lease; {@code check} zero: every call checks the session. */
    private static AdvisoryLockLease lease(String replica, long key) {
        return new AdvisoryLockLease(
                () -> {
                    Properties p = new Properties();
                    p.setProperty("user", pg.username());
                    p.setProperty("password", pg.password());
                    p.setProperty("ApplicationName", "lease-" + replica);
                    return DriverManager.getConnection(pg.jdbcUrl(), p);
                },
                key,
                Duration.ZERO,
                replica,
                Clock.systemUTC());
    }

    @Test
    void oneReplicaLeadsAndAStoppingLeaderHandsTheLeaseOnAtOnce() {
        long key = nextKey++;
        try (AdvisoryLockLease a = lease("a", key);
                AdvisoryLockLease b = lease("b", key)) {
            assertTrue(a.leads());
            assertFalse(b.leads());
            assertTrue(a.leads(), "a leader keeps leading");
            assertFalse(b.leads());
            assertEquals("leader", a.data().get("role"));
            assertEquals("standby", b.data().get("role"));
            a.close();
            assertTrue(b.leads(), "a standby takes a released lease on its next call");
            assertFalse(a.leads(), "and the old leader is a standby");
        }
    }

    @Test
    void aLeaderWhoseSessionDiesLosesTheLeaseAndAnotherTakesIt() throws Exception {
        long key = nextKey++;
        try (AdvisoryLockLease a = lease("a", key);
                AdvisoryLockLease b = lease("b", key)) {
            assertTrue(a.leads());
            assertFalse(b.leads());
            // what a crashed leader's host, or a dropped connection, looks like to PostgreSQL
            try (Connection admin = pg.connect();
                    Statement st = admin.createStatement()) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lease-a'");
            }
            // the backend exits (and its locks go) shortly after the signal
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean took = false;
            while (!took && System.nanoTime() < end) {
                took = b.leads();
                Thread.sleep(20);
            }
            assertTrue(took, "the lock went with a's session");
            assertThrows(AdvisoryLockLease.LeaseUnavailable.class, a::leads, "a finds its session dead");
            assertEquals("standby", a.data().get("role"));
            assertTrue(a.data().containsKey("lastLeaseLoss"));
            assertFalse(a.leads(), "a reconnects as a standby: b leads");
        }
    }

    @Test
    void aPostgresRestartEndsTheLeaseAndTheFirstReplicaBackLeads() {
        long key = nextKey++;
        try (AdvisoryLockLease a = lease("a", key);
                AdvisoryLockLease b = lease("b", key)) {
            assertTrue(a.leads());
            assertFalse(b.leads());
            pg.stop();
            assertThrows(AdvisoryLockLease.LeaseUnavailable.class, a::leads, "database away: nobody leads");
            assertThrows(AdvisoryLockLease.LeaseUnavailable.class, b::leads);
            pg.start();
            assertTrue(b.leads(), "the first to ask after the restart leads");
            assertFalse(a.leads());
        }
    }
}
