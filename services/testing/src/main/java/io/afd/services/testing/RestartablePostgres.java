package io.afd.services.testing;

import io.afd.infra.Postgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A PostgreSQL of the test's own (embedded, persistent data, a fixed port), so the test can restart or stop it
 * under a running service the way an operator, a failover or an outage would. Use it with {@code
 * restrictToAnnotatedClass = true}; its properties override {@link InfraTestResource}'s datasource.
 */
public class RestartablePostgres implements QuarkusTestResourceLifecycleManager {
    private static final String DB = "svc_restart";
    private static Path dir;
    private static int port;
    private static Postgres pg;

    private static Postgres launch() {
        return Postgres.builder(dir)
                .mode(Postgres.Mode.EMBEDDED)
                .embeddedPort(port)
                .persistent(true)
                .database(DB)
                .start();
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-restart-");
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pg = launch();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(DB),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", pg.password(),
                "quarkus.devservices.enabled", "false");
    }

    /** Stops the server (every pooled connection dies) and starts it again on the same port and data. */
    public static synchronized void restart() {
        pg.close();
        pg = launch();
    }

    /** Stops the server: an outage, until {@link #startAgain()}. */
    public static synchronized void stopServer() {
        pg.close();
        pg = null;
    }

    /** Starts the stopped server again on the same port and data. */
    public static synchronized void startAgain() {
        if (pg == null) {
            pg = launch();
        }
    }

    @Override
    public synchronized void stop() {
        if (pg != null) {
            pg.close();
        }
    }
}
