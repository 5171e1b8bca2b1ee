package io.afd.launcher;

import io.afd.infra.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An embedded PostgreSQL the fault matrix owns (persistent data, a fixed port), so it can stop it under the running
 * suite and start it again the way a failover, a restart or an outage would.
 */
final class OutagePostgres implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String database;
    private Postgres pg;

    OutagePostgres(Path dir, String database) {
        this.dir = dir;
        this.database = database;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pg = launch();
    }

    private Postgres launch() {
        return Postgres.builder(dir)
                .mode(Postgres.Mode.EMBEDDED)
                .embeddedPort(port)
                .persistent(true)
                .database(database)
                .start();
    }

    String jdbcUrl() {
        return pg.jdbcUrl(database);
    }

    String username() {
        return pg.username();
    }

    String password() {
        return pg.password();
    }

    /** Stops the server (every connection dies), waits {@code downtime}, starts it again on the same port and data. */
    synchronized void outage(Duration downtime) {
        pg.close();
        pg = null;
        try {
            Thread.sleep(downtime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pg = launch();
    }

    @Override
    public synchronized void close() {
        if (pg != null) {
            pg.close();
        }
    }
}
