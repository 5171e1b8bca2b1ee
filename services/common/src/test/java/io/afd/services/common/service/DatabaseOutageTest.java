package io.afd.services.common.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void connectionFailuresAndShutdownsAreOutagesWhereverTheyAreInTheCauses() {
        // what PostgreSQL's driver reports for a dropped connection, and during a restart
        assertTrue(DatabaseOutage.isOutage(new SQLException("An I/O error occurred", "08006")));
        assertTrue(DatabaseOutage.isOutage(
                new RuntimeException("wrapped", new SQLException("terminating connection", "57P01"))));
        assertTrue(DatabaseOutage.isOutage(new SQLTransientConnectionException("pool exhausted")));
        assertTrue(DatabaseOutage.isOutage(new IllegalStateException(
                "Unable to acquire JDBC Connection", new RuntimeException("Connection refused"))));
    }

    @Test
    void badDataAndBugsAreNot() {
        assertFalse(DatabaseOutage.isOutage(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseOutage.isOutage(new SQLIntegrityConstraintViolationException("fk")));
        assertFalse(DatabaseOutage.isOutage(new IllegalArgumentException("unknown experiment")));
        assertFalse(DatabaseOutage.isOutage(new NullPointerException()));
    }
}
