package io.afd.infra.testing;

import io.afd.infra.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An embedded PostgreSQL of one's own (persistent data, a fixed port), so a test or the fault matrix can stop it
 * under a running service and start it again, the way a restart, a failover or an outage would. The shared
 * infrastructure's PostgreSQL may be the machine's, which nobody may stop.
 */
public final class StoppablePostgres implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String database;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private Postgres pg;

    /** Starts it on a free port, with its data in {@code dir}. */
    public StoppablePostgres(Path dir, String database) {
        this.dir = dir;
        this.database = database;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pg = launch();
        this.jdbcUrl = pg.jdbcUrl(database);
        this.username = pg.username();
        this.password = pg.password();
    }

    private Postgres launch() {
        return Postgres.builder(dir)
                .mode(Postgres.Mode.EMBEDDED)
                .embeddedPort(port)
                .persistent(true)
                .database(database)
                .start();
    }

    /** The same while it is stopped and after it started again. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Stops the server: every connection dies; an outage until {@link #start()}. */
    public synchronized void stop() {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }

    /** Starts the stopped server again on the same port and data. */
    public synchronized void start() {
        if (pg == null) {
            pg = launch();
        }
    }

    /** Stops the server, waits {@code downtime}, starts it again. */
    public void outage(Duration downtime) {
        stop();
        try {
            Thread.sleep(downtime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        start();
    }

    /** A connection as the superuser, for a test that acts on the server itself. */
    public java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), username(), password());
    }

    @Override
    public void close() {
        stop();
    }
}
