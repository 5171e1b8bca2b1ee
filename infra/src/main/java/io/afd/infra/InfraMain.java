package io.afd.infra;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/afd-infra} (and {@code bin/afd infra}): start, stop and inspect a real Kafka broker and
 * PostgreSQL for the AFD suite on this machine.
 *
 * <pre>
 * up     [--dir D] [--kafka-port 9092] [--controller-port 0] [--no-kafka]
 *        [--pg auto|local|embedded|none] [--pg-port 0] [--db afd] [--clean] [--timeout 120]
 *          starts `serve` as a detached background JVM and returns once both servers are ready
 * serve  (same options)  runs both in the foreground until SIGTERM / Ctrl-C
 * down   [--dir D] [--timeout 60]      stops what `up` started
 * status [--dir D] [--json]            shows what runs (exit 0 up, 1 degraded, 3 not running)
 * env    [--dir D]                     prints `export` lines (AFD_KAFKA_BOOTSTRAP, QUARKUS_DATASOURCE_*, ...)
 * </pre>
 *
 * The default directory is {@code $AFD_INFRA_DIR}, else {@code <repo>/.afd/infra}. While running,
 * {@code <dir>/infra.json} ({@link InfraState}) describes the servers.
 */
public final class InfraMain {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_RUNNING = 3;

    private final PrintStream out;
    private final PrintStream err;

    InfraMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int rc = new InfraMain(System.out, System.err).run(args);
        System.out.flush();
        System.exit(rc);
    }

    /** Runs one command; returns the process exit code ({@code serve} returns only on failure). */
    int run(String[] args) {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            out.print(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        if (args[0].equals("token")) {
            return io.afd.infra.auth.TokenCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("afd-infra: " + e.getMessage() + " (see --help)");
            return USAGE;
        }
        try {
            return switch (o.command) {
                case "up" -> up(o);
                case "serve" -> serve(o);
                case "down" -> down(o);
                case "status" -> status(o);
                case "env" -> env(o);
                case "kafka-login" -> kafkaLogin(o);
                default -> {
                    err.println("afd-infra: unknown command " + o.command + " (see --help)");
                    yield USAGE;
                }
            };
        } catch (IOException | RuntimeException e) {
            err.println("afd-infra: " + o.command + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    static final String USAGE_TEXT = """
            Usage: afd-infra <command> [options]   (bin/afd infra ...)

            Real Kafka broker (KRaft, 127.0.0.1, from the Kafka 4.3.1 jars) and PostgreSQL (the local
            server on 127.0.0.1:5432 when usable, else an embedded one) for the AFD suite.

            Commands:
              up       start both in a detached background process; returns when they are ready
              serve    run both in the foreground until Ctrl-C / SIGTERM
              down     stop what `up` started
              status   show what runs (exit 0 = up, 1 = degraded, 3 = not running)
              env      print shell `export` lines for the running servers (eval "$(afd-infra env)")
              kafka-login --service S | --client ID
                       give a service (aggregator, packager, score-map, orchestrator) or an edge client its own
                       Kafka login and ACLs (a new password each time) and print its `export` lines
              token    print a signed bearer token for the management API (afd token --help)

            Options:
              --dir D              state, logs and data (default $AFD_INFRA_DIR, else <repo>/.afd/infra)
              --kafka-port P       broker port on 127.0.0.1 (default 9092; 0 = any free port)
              --controller-port P  KRaft controller port (default 0 = any free port)
              --no-kafka           do not start a broker
              --insecure-kafka     PLAINTEXT broker without logins or ACLs: development only, logged
                                   (default: SASL/SCRAM-SHA-512, StandardAuthorizer, super user `admin`)
              --pg MODE            auto (default) | local | embedded | none
              --pg-port P          port of an embedded PostgreSQL (default 0 = any free port)
              --db NAME            database to create if missing (default afd)
              --clean              delete Kafka data and embedded PostgreSQL data before starting
              --timeout S          seconds to wait for start (up, default 120) or stop (down, default 60)
              --json               status: print infra.json

            System properties / environment: afd.kafka.libs / AFD_KAFKA_LIBS (broker jars),
            afd.kafka.jvmOpts / AFD_KAFKA_JVM_OPTS, afd.postgres.embedded / AFD_POSTGRES_EMBEDDED,
            afd.postgres.host|port|user|password / AFD_POSTGRES_*, afd.postgres.binaries, AFD_INFRA_DIR.
            """;

    /** Parsed command line. */
    static final class Options {
        String command;
        Path dir;
        int kafkaPort = 9092;
        int controllerPort;
        boolean kafka = true;
        String pg = "auto";
        int pgPort;
        String db = Postgres.DEFAULT_DATABASE;
        boolean clean;
        int timeoutSeconds = -1;
        boolean json;
        boolean insecureKafka;
        String service;
        String client;

        static Options parse(String[] args) {
            Options o = new Options();
            o.command = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--no-kafka" -> o.kafka = false;
                    case "--insecure-kafka" -> o.insecureKafka = true;
                    case "--clean" -> o.clean = true;
                    case "--json" -> o.json = true;
                    case "--dir",
                            "--kafka-port",
                            "--controller-port",
                            "--pg",
                            "--pg-port",
                            "--db",
                            "--timeout",
                            "--service",
                            "--client" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(a + " needs a value");
                            }
                            value = args[++i];
                        }
                        o.set(a, value);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.dir == null) {
                o.dir = defaultDir();
            }
            return o;
        }

        private void set(String option, String value) {
            switch (option) {
                case "--dir" -> dir = Path.of(value).toAbsolutePath().normalize();
                case "--kafka-port" -> kafkaPort = port(option, value);
                case "--controller-port" -> controllerPort = port(option, value);
                case "--pg" -> {
                    if (!List.of("auto", "local", "embedded", "none").contains(value)) {
                        throw new IllegalArgumentException("--pg must be auto, local, embedded or none: " + value);
                    }
                    pg = value;
                }
                case "--pg-port" -> pgPort = port(option, value);
                case "--db" -> db = value;
                case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
                case "--service" -> service = value;
                case "--client" -> client = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }

        private static int port(String option, String value) {
            try {
                int p = Integer.parseInt(value);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a port number 0-65535: " + value);
            }
        }

        /** The arguments that make `serve` start with these options. */
        List<String> serveArgs() {
            List<String> a = new ArrayList<>(List.of(
                    "serve",
                    "--dir",
                    dir.toString(),
                    "--kafka-port",
                    String.valueOf(kafkaPort),
                    "--controller-port",
                    String.valueOf(controllerPort),
                    "--pg",
                    pg,
                    "--pg-port",
                    String.valueOf(pgPort),
                    "--db",
                    db));
            if (!kafka) {
                a.add("--no-kafka");
            }
            if (insecureKafka) {
                a.add("--insecure-kafka");
            }
            if (clean) {
                a.add("--clean");
            }
            return a;
        }
    }

    static Path defaultDir() {
        String env = Procs.setting("afd.infra.dir", "AFD_INFRA_DIR");
        if (env != null) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Layout.repoRoot().orElse(Path.of("").toAbsolutePath()).resolve(".afd/infra");
    }

    // ---------------------------------------------------------------------------------- up

    private int up(Options o) throws IOException {
        Files.createDirectories(o.dir);
        Optional<InfraState> existing = InfraState.read(o.dir);
        long t0 = System.nanoTime();
        long deadline = t0
                + Duration.ofSeconds(o.timeoutSeconds > 0 ? o.timeoutSeconds : 120)
                        .toNanos();
        if (existing.isPresent()) {
            if (liveServe(existing.get()).isPresent()) {
                if ("running".equals(existing.get().get("state"))) {
                    out.println("AFD infrastructure is already running (" + o.dir + "); `down` stops it.");
                    printSummary(existing.get());
                    return OK;
                }
                out.println("AFD infrastructure is starting already (" + o.dir + "); waiting for it ...");
                return awaitRunning(o, null, t0, deadline);
            }
            stopLeftovers(existing.get());
            Files.deleteIfExists(o.dir.resolve(InfraState.FILE));
        }
        Path serveLog = o.dir.resolve("serve.log");
        List<String> cmd = new ArrayList<>();
        Optional<String> setsid = Procs.onPath("setsid");
        // A new session: the background JVM survives the terminal (SIGHUP) and Ctrl-C of this one.
        setsid.ifPresent(cmd::add);
        cmd.addAll(List.of(
                Procs.javaExecutable(),
                "-Xms32m",
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        System.getProperties().stringPropertyNames().stream()
                .sorted()
                .filter(k ->
                        k.startsWith("afd.") || k.startsWith("org.slf4j.simpleLogger.") || k.equals("java.io.tmpdir"))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), InfraMain.class.getName()));
        cmd.addAll(o.serveArgs());
        Process child = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(serveLog.toFile()))
                .start();
        child.getOutputStream().close();
        out.println("Starting Kafka and PostgreSQL in the background (" + o.dir + ") ...");
        return awaitRunning(o, child, t0, deadline);
    }

    /** Waits for `serve` to report "running"; child is the process `up` launched, if any. */
    private int awaitRunning(Options o, Process child, long t0, long deadline) {
        Path serveLog = o.dir.resolve("serve.log");
        boolean viaSetsid = Procs.onPath("setsid").isPresent();
        while (System.nanoTime() < deadline) {
            Optional<InfraState> state = InfraState.read(o.dir);
            if (state.isPresent()
                    && "running".equals(state.get().get("state"))
                    && liveServe(state.get()).isPresent()) {
                out.printf(
                        "AFD infrastructure is up in %.1f s (pid %d).%n",
                        (System.nanoTime() - t0) / 1e9, state.get().getLong("servePid"));
                printSummary(state.get());
                return OK;
            }
            // Through setsid the launched process may be a short-lived fork parent that exits 0.
            boolean childFailed = child != null && !child.isAlive() && (child.exitValue() != 0 || !viaSetsid);
            boolean serveGone = state.isPresent() && liveServe(state.get()).isEmpty();
            if (childFailed || serveGone) {
                err.println("afd-infra: the infrastructure did not start. Last lines of " + serveLog + ":");
                err.print(Procs.tail(serveLog, 40));
                return FAILED;
            }
            sleep(200);
        }
        err.println("afd-infra: not ready after "
                + Duration.ofNanos(deadline - t0).toSeconds() + " s; stopping it. Last lines of " + serveLog + ":");
        err.print(Procs.tail(serveLog, 40));
        InfraState.read(o.dir).flatMap(this::liveServe).ifPresent(h -> Procs.terminate(h, Duration.ofSeconds(30)));
        if (child != null) {
            Procs.terminate(child.toHandle(), Duration.ofSeconds(10));
        }
        return FAILED;
    }

    // ------------------------------------------------------------------------------- serve

    private int serve(Options o) throws IOException {
        Files.createDirectories(o.dir);
        Optional<InfraState> existing = InfraState.read(o.dir);
        ProcessHandle self = ProcessHandle.current();
        if (existing.isPresent()) {
            Optional<ProcessHandle> other = liveServe(existing.get());
            if (other.isPresent() && other.get().pid() != self.pid()) {
                err.println("afd-infra: already running in " + o.dir + " (pid "
                        + other.get().pid() + ")");
                return FAILED;
            }
            stopLeftovers(existing.get());
        }
        if (o.clean) {
            Procs.deleteTree(o.dir.resolve("kafka/data"));
            Procs.deleteTree(o.dir.resolve("postgres/data"));
        }
        InfraState base = InfraState.empty()
                .with("state", "starting")
                .with("dir", o.dir.toString())
                .with("servePid", self.pid())
                .with("serveStartMillis", Procs.startMillis(self));
        base.write(o.dir);

        AtomicReference<InfraStack> stackRef = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopping.set(true);
                            InfraStack stack = stackRef.get();
                            long t0 = System.nanoTime();
                            try {
                                if (stack != null) {
                                    out.println(Instant.now() + " stopping Kafka and PostgreSQL ...");
                                    stack.stop();
                                }
                            } catch (RuntimeException e) {
                                err.println(Instant.now() + " stop failed: " + e);
                            } finally {
                                deleteStateIfOurs(o.dir, self.pid());
                                out.printf("%s stopped in %.1f s%n", Instant.now(), (System.nanoTime() - t0) / 1e9);
                                out.flush();
                            }
                        },
                        "afd-infra-serve-stop"));

        Postgres.Mode mode = switch (o.pg) {
            case "none" -> null;
            case "local" -> Postgres.Mode.LOCAL;
            case "embedded" -> Postgres.Mode.EMBEDDED;
            default -> Postgres.Mode.AUTO;
        };
        out.println(Instant.now() + " starting" + (o.kafka ? " Kafka (port " + o.kafkaPort + ")" : "")
                + (mode != null ? " PostgreSQL (" + o.pg + ")" : "") + " in " + o.dir);
        InfraStack stack;
        try {
            stack = InfraStack.builder(o.dir)
                    .kafka(o.kafka)
                    .kafkaPorts(o.kafkaPort, o.controllerPort)
                    .kafkaInsecure(o.insecureKafka)
                    .postgres(mode)
                    .postgresPort(o.pgPort)
                    .database(o.db)
                    .persistent(true)
                    .start();
        } catch (RuntimeException e) {
            err.println(Instant.now() + " afd-infra: start failed: " + e.getMessage());
            return FAILED;
        }
        stackRef.set(stack);
        if (stopping.get()) {
            // SIGTERM arrived while starting: the hook ran before the stack existed.
            stack.stop();
            return FAILED;
        }
        InfraState state =
                base.with("state", "running").with("startedAt", Instant.now().toString());
        KafkaBroker kafka = stack.kafka();
        state = state.with("kafkaBootstrap", kafka != null ? kafka.bootstrapServers() : "")
                .with("kafkaPid", kafka != null ? kafka.pid() : 0)
                .with("kafkaStartMillis", kafka != null ? kafka.startMillis() : 0)
                .with("kafkaLog", kafka != null ? kafka.logFile().toString() : "")
                .with(
                        "kafkaSecurity",
                        kafka == null ? "" : kafka.adminConnection().securityProtocol())
                .with(
                        "kafkaAdminPasswordFile",
                        kafka == null || !kafka.isSecure()
                                ? ""
                                : kafka.workDir().resolve("admin.password").toString())
                .with("kafkaStartupMillis", stack.kafkaStartMillis());
        Postgres pg = stack.postgres();
        long pgPid = pg != null ? pg.pid().orElse(0) : 0;
        state = state.with("jdbcUrl", pg != null ? pg.jdbcUrl() : "")
                .with("username", pg != null ? pg.username() : "")
                .with("password", pg != null ? pg.password() : "")
                .with("postgres", pg == null ? "none" : pg.isEmbedded() ? "embedded" : "local")
                .with("postgresPid", pgPid)
                .with(
                        "postgresStartMillis",
                        pgPid > 0
                                ? ProcessHandle.of(pgPid)
                                        .map(Procs::startMillis)
                                        .orElse(0L)
                                : 0L)
                .with(
                        "postgresLog",
                        pg != null && pg.isEmbedded()
                                ? o.dir.resolve("postgres/postgres.log").toString()
                                : "")
                .with("postgresStartupMillis", stack.postgresStartMillis());
        state.write(o.dir);
        out.printf(
                "%s ready (Kafka %d ms, PostgreSQL %d ms)%n",
                Instant.now(), stack.kafkaStartMillis(), stack.postgresStartMillis());
        printSummary(state);
        out.flush();
        if (kafka != null) {
            kafka.onExit().thenRun(() -> {
                if (!stopping.get()) {
                    err.println(
                            Instant.now() + " afd-infra: the Kafka broker exited unexpectedly; see " + kafka.logFile());
                    err.flush();
                    System.exit(FAILED);
                }
            });
        }
        try {
            new CountDownLatch(1).await(); // until SIGTERM / Ctrl-C runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private static void deleteStateIfOurs(Path dir, long pid) {
        Optional<InfraState> s = InfraState.read(dir);
        if (s.isPresent() && s.get().getLong("servePid") == pid) {
            try {
                Files.deleteIfExists(dir.resolve(InfraState.FILE));
            } catch (IOException ignored) {
                // nothing more to do at shutdown
            }
        }
    }

    // -------------------------------------------------------------------------------- down

    private int down(Options o) throws IOException {
        Optional<InfraState> state = InfraState.read(o.dir);
        if (state.isEmpty()) {
            out.println("AFD infrastructure is not running (no " + o.dir.resolve(InfraState.FILE) + ").");
            return OK;
        }
        long t0 = System.nanoTime();
        Optional<ProcessHandle> serve = liveServe(state.get());
        if (serve.isPresent()) {
            out.println("Stopping AFD infrastructure (pid " + serve.get().pid() + ") ...");
            if (!Procs.terminate(serve.get(), Duration.ofSeconds(o.timeoutSeconds > 0 ? o.timeoutSeconds : 60))) {
                err.println("afd-infra: pid " + serve.get().pid() + " did not stop");
                return FAILED;
            }
        }
        stopLeftovers(state.get());
        Files.deleteIfExists(o.dir.resolve(InfraState.FILE));
        out.printf("Stopped in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        return OK;
    }

    /** Stops a broker or embedded PostgreSQL whose serving process died without stopping them. */
    private void stopLeftovers(InfraState s) {
        Procs.live(s.getLong("kafkaPid"), s.getLong("kafkaStartMillis")).ifPresent(h -> {
            out.println("Stopping leftover Kafka broker (pid " + h.pid() + ")");
            Procs.terminate(h, Duration.ofSeconds(30));
        });
        Procs.live(s.getLong("postgresPid"), s.getLong("postgresStartMillis")).ifPresent(h -> {
            out.println("Stopping leftover embedded PostgreSQL (pid " + h.pid() + ")");
            // SIGINT = PostgreSQL's "fast" shutdown (SIGTERM would wait for clients to disconnect).
            signal(h.pid(), "INT");
            if (!Procs.waitFor(h, Duration.ofSeconds(20))) {
                Procs.terminate(h, Duration.ofSeconds(10));
            }
        });
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------ status / env

    private int status(Options o) {
        Optional<InfraState> state = InfraState.read(o.dir);
        if (state.isEmpty()) {
            out.println("AFD infrastructure is not running (" + o.dir + ").");
            return NOT_RUNNING;
        }
        InfraState s = state.get();
        if (o.json) {
            out.print(s.toJson());
        }
        Optional<ProcessHandle> serve = liveServe(s);
        if (serve.isEmpty()) {
            out.println("AFD infrastructure is not running: pid " + s.get("servePid") + " is gone (stale "
                    + o.dir.resolve(InfraState.FILE) + "; `down` cleans up).");
            return NOT_RUNNING;
        }
        boolean healthy = "running".equals(s.get("state"));
        out.println("AFD infrastructure: " + s.get("state") + " (pid "
                + serve.get().pid() + ", since " + s.get("startedAt") + ", dir " + o.dir + ")");
        if (!s.get("kafkaBootstrap").isEmpty()) {
            String[] hp = s.get("kafkaBootstrap").split(":");
            boolean alive = Procs.live(s.getLong("kafkaPid"), s.getLong("kafkaStartMillis"))
                    .isPresent();
            boolean open = Ports.isOpen(hp[0], Integer.parseInt(hp[1]), 1_000);
            healthy &= alive && open;
            out.printf(
                    "  Kafka       %-40s %s (pid %s, log %s)%n",
                    s.get("kafkaBootstrap"),
                    alive && open ? "up" : alive ? "NOT ACCEPTING" : "DOWN",
                    s.get("kafkaPid"),
                    s.get("kafkaLog"));
        }
        if (!s.get("jdbcUrl").isEmpty()) {
            String problem = Postgres.ping(s.get("jdbcUrl"), s.get("username"), s.get("password"));
            healthy &= problem == null;
            out.printf(
                    "  PostgreSQL  %-40s %s (%s, user %s)%n",
                    s.get("jdbcUrl"),
                    problem == null ? "up" : "DOWN: " + problem,
                    "embedded".equals(s.get("postgres")) ? "embedded, pid " + s.get("postgresPid") : "local server",
                    s.get("username"));
        }
        return healthy ? OK : FAILED;
    }

    private int env(Options o) {
        Optional<InfraState> state =
                InfraState.read(o.dir).filter(s -> liveServe(s).isPresent());
        if (state.isEmpty()) {
            err.println("afd-infra: not running (" + o.dir + "); start it with `up`.");
            return NOT_RUNNING;
        }
        InfraState s = state.get();
        if (!s.get("kafkaBootstrap").isEmpty()) {
            export("AFD_KAFKA_BOOTSTRAP", s.get("kafkaBootstrap"));
            export("KAFKA_BOOTSTRAP_SERVERS", s.get("kafkaBootstrap"));
            export("KAFKA_SECURITY_PROTOCOL", s.get("kafkaSecurity"));
            if (!s.get("kafkaAdminPasswordFile").isEmpty()) {
                // the super user's password stays in its owner-only file; each service gets its own login with
                // `kafka-login --service NAME`
                export("AFD_KAFKA_ADMIN_PASSWORD_FILE", s.get("kafkaAdminPasswordFile"));
            }
        }
        if (!s.get("jdbcUrl").isEmpty()) {
            export("AFD_JDBC_URL", s.get("jdbcUrl"));
            export("AFD_DB_USER", s.get("username"));
            export("AFD_DB_PASSWORD", s.get("password"));
            export("QUARKUS_DATASOURCE_JDBC_URL", s.get("jdbcUrl"));
            export("QUARKUS_DATASOURCE_USERNAME", s.get("username"));
            export("QUARKUS_DATASOURCE_PASSWORD", s.get("password"));
        }
        return OK;
    }

    /** A service's or a client's own Kafka login and ACLs, as {@code export} lines. */
    private int kafkaLogin(Options o) throws IOException {
        Optional<InfraState> state =
                InfraState.read(o.dir).filter(s -> liveServe(s).isPresent());
        if (state.isEmpty()) {
            err.println("afd-infra: not running (" + o.dir + "); start it with `up`.");
            return NOT_RUNNING;
        }
        if ((o.service == null) == (o.client == null)) {
            err.println("afd-infra: kafka-login needs --service NAME or --client ID");
            return USAGE;
        }
        InfraState s = state.get();
        if (s.get("kafkaAdminPasswordFile").isEmpty()) {
            err.println("afd-infra: the broker is insecure (PLAINTEXT): there are no logins to give");
            return FAILED;
        }
        io.afd.kafka.KafkaConnection admin = io.afd.kafka.KafkaConnection.scram(
                s.get("kafkaBootstrap"),
                io.afd.kafka.KafkaLogin.scram(
                        io.afd.kafka.KafkaAccess.SUPER_USER,
                        java.nio.file.Files.readString(Path.of(s.get("kafkaAdminPasswordFile")))
                                .trim()));
        try (io.afd.kafka.KafkaAccess access = io.afd.kafka.KafkaAccess.open(admin)) {
            io.afd.kafka.KafkaLogin login = o.service != null
                    ? access.provisionService(io.afd.kafka.ServiceAccount.of(o.service))
                    : access.provisionClient(o.client);
            export("KAFKA_BOOTSTRAP_SERVERS", s.get("kafkaBootstrap"));
            export("KAFKA_SECURITY_PROTOCOL", s.get("kafkaSecurity"));
            export("AFD_KAFKA_USERNAME", login.username());
            export("AFD_KAFKA_PASSWORD", login.password());
        } catch (IllegalArgumentException e) {
            err.println("afd-infra: " + e.getMessage());
            return USAGE;
        }
        return OK;
    }

    private void export(String name, String value) {
        out.println("export " + name + "='" + value.replace("'", "'\\''") + "'");
    }

    private void printSummary(InfraState s) {
        if (!s.get("kafkaBootstrap").isEmpty()) {
            out.println(
                    "  Kafka bootstrap servers : " + s.get("kafkaBootstrap") + "   (log " + s.get("kafkaLog") + ")");
        }
        if (!s.get("jdbcUrl").isEmpty()) {
            out.println("  PostgreSQL JDBC URL     : " + s.get("jdbcUrl") + "   (user " + s.get("username")
                    + (s.get("password").isEmpty() ? ", no password" : "") + ", "
                    + ("embedded".equals(s.get("postgres")) ? "embedded server" : "local server") + ")");
        }
        out.println("  State                   : " + Path.of(s.get("dir")).resolve(InfraState.FILE));
    }

    private Optional<ProcessHandle> liveServe(InfraState s) {
        return Procs.live(s.getLong("servePid"), s.getLong("serveStartMillis"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
