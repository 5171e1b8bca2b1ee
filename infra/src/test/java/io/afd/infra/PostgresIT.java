package io.afd.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL: the local server when one is usable (else embedded), then the embedded path
 * forced by {@code -Dafd.postgres.embedded=true}. Sequential: the embedded start costs seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresIT {

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void defaultModeCreatesADatabaseAndRunsQueries() throws Exception {
        long t0 = System.nanoTime();
        try (Postgres pg = Postgres.start(dir.resolve("auto"))) {
            System.out.println("[measure] PostgreSQL (" + (pg.isEmbedded() ? "embedded" : "local") + ") ready: "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            roundTrip(pg);
        }
    }

    @Test
    @Order(2)
    void forcedEmbeddedStartsItsOwnServerAndDeletesItsData() throws Exception {
        String before = System.getProperty(Postgres.EMBEDDED_PROPERTY);
        System.setProperty(Postgres.EMBEDDED_PROPERTY, "true");
        Postgres pg;
        try {
            long t0 = System.nanoTime();
            pg = Postgres.start(dir.resolve("embedded"), "afd_embedded");
            System.out.println(
                    "[measure] PostgreSQL (embedded, forced) ready: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } finally {
            if (before == null) {
                System.clearProperty(Postgres.EMBEDDED_PROPERTY);
            } else {
                System.setProperty(Postgres.EMBEDDED_PROPERTY, before);
            }
        }
        try {
            assertTrue(pg.isEmbedded());
            assertTrue(pg.port() != 5432);
            assertTrue(pg.pid().isPresent());
            assertTrue(pg.jdbcUrl().endsWith(":" + pg.port() + "/afd_embedded"), pg.jdbcUrl());
            roundTrip(pg);
        } finally {
            long s0 = System.nanoTime();
            pg.stop();
            System.out.println("[measure] PostgreSQL (embedded) stop: " + (System.nanoTime() - s0) / 1_000_000 + " ms");
        }
        assertFalse(Ports.isOpen("127.0.0.1", pg.port(), 500), "embedded server still listening");
        assertFalse(Files.exists(pg.dataDir()), "data directory not deleted");
        assertTrue(Files.exists(dir.resolve("embedded/postgres.log")));
        pg.stop(); // idempotent
    }

    @Test
    @Order(3)
    void rejectsNamesThatAreNotPlainIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> Postgres.builder(dir).database("a\"; DROP"));
    }

    private static void roundTrip(Postgres pg) throws Exception {
        String db = "afd_infra_test_" + Long.toHexString(System.nanoTime());
        assertTrue(pg.createDatabase(db));
        assertFalse(pg.createDatabase(db), "second create must be a no-op");
        try {
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY, name text)");
                s.execute("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
                try (ResultSet rs = s.executeQuery("SELECT count(*), string_agg(name, ',' ORDER BY id) FROM t")) {
                    assertTrue(rs.next());
                    assertEquals(2, rs.getInt(1));
                    assertEquals("one,two", rs.getString(2));
                }
            }
            // The URL and credentials work on their own, as a service would use them.
            try (Connection c = new org.postgresql.Driver().connect(pg.jdbcUrl(db), credentials(pg));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertTrue(rs.next());
                assertEquals(db, rs.getString(1));
            }
        } finally {
            assertTrue(pg.dropDatabase(db));
        }
    }

    private static java.util.Properties credentials(Postgres pg) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", pg.username());
        if (!pg.password().isEmpty()) {
            p.setProperty("password", pg.password());
        }
        return p;
    }
}
