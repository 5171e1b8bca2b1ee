package io.afd.services.testing;

import io.afd.infra.testing.StoppablePostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A PostgreSQL of the test's own ({@link StoppablePostgres}: embedded, persistent data, a fixed port), so the test can
 * restart or stop it under a running service the way an operator, a failover or an outage would. Use it with {@code
 * restrictToAnnotatedClass = true}; its properties override {@link InfraTestResource}'s datasource.
 */
public class RestartablePostgres implements QuarkusTestResourceLifecycleManager {
    private static StoppablePostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            pg = new StoppablePostgres(
                    Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-restart-"), "svc_restart");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", pg.password(),
                "quarkus.devservices.enabled", "false");
    }

    /** Stops the server (every pooled connection dies) and starts it again on the same port and data. */
    public static synchronized void restart() {
        pg.outage(java.time.Duration.ZERO);
    }

    /** Stops the server: an outage, until {@link #startAgain()}. */
    public static synchronized void stopServer() {
        pg.stop();
    }

    /** Starts the stopped server again on the same port and data. */
    public static synchronized void startAgain() {
        pg.start();
    }

    @Override
    public synchronized void stop() {
        if (pg != null) {
            pg.close();
        }
    }
}
