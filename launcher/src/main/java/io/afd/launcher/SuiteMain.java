package io.afd.launcher;

import io.afd.edge.EdgeClientMain;
import io.afd.edge.FleetMain;
import io.afd.infra.InfraStack;
import io.afd.infra.InfraState;
import io.afd.infra.Layout;
import io.afd.infra.Procs;
import io.afd.infra.auth.LocalIssuer;
import io.afd.infra.auth.TokenCommand;
import io.afd.protocol.SigningKey;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.yaml.snakeyaml.Yaml;

/**
 * A standing suite: {@code bin/afd up|status|down}, and {@code bin/afd fleet|client} to attach edge clients to it.
 *
 * <pre>
 * up     [--dir D] [--base-port 8080] [--timeout 300]   Kafka, PostgreSQL and the five services in the background
 * status [--dir D]                                       what runs, and each service's readiness
 * down   [--dir D] [--timeout 120]                       stop everything `up` started (the data stay)
 * fleet  --config FILE [--clients N] [FleetMain options] simulated edge clients against the running suite
 * client enrol --id ID --token TOKEN | run --id ID --config FILE   one edge client against it
 * </pre>
 *
 * {@code up} starts {@code serve} detached (its own session, so it outlives the terminal), which runs the broker
 * and PostgreSQL (persistent: data under {@code <dir>/infra}, database {@code afd_suite} or {@code $AFD_SUITE_DB}),
 * keeps the services' key
 * in {@code <dir>/server.key} (owner-only: enrolled clients hold its public half), starts the five services on
 * ports basePort..basePort+4 (management basePort+10..+14, Kafka basePort+19), writes {@code <dir>/suite.json},
 * restarts a service whose JVM exits, and stops everything on SIGTERM. A later {@code up} comes back with the
 * earlier clients and experiments, and the orchestrator resumes a running one. Operators authenticate with {@code
 * bin/afd token --role R} (the same local issuer the services trust).
 */
public final class SuiteMain {
    static final String STATE = "suite.json";
    /** The suite's database on the PostgreSQL server ({@code AFD_SUITE_DB} overrides it). */
    static final String DATABASE = Optional.ofNullable(System.getenv("AFD_SUITE_DB"))
            .filter(d -> !d.isBlank())
            .orElse("afd_suite");

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_RUNNING = 3;

    private final PrintStream out;
    private final PrintStream err;

    SuiteMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new SuiteMain(System.out, System.err).run(args));
    }

    static final String USAGE_TEXT = """
            Usage: bin/afd up | status | down | fleet | client   [--dir D]

              up      [--base-port 8080] [--timeout 300] [--db afd_suite]
                      start Kafka, PostgreSQL and the five services in the background and wait until they
                      are ready; the data stay across down/up (clients, experiments; a running one resumes)
              status  show what runs and whether each service is ready (exit 0 = up, 1 = degraded, 3 = down)
              down    [--timeout 120] stop everything up started
              fleet   --config FILE [--clients N] [--experiment-id ID] [--round-timeout S] [--serve-only]
                      simulated edge clients (client k = partition k of the data) that register, enrol and
                      run one experiment from FILE against the running suite, with a table at the end
              client  enrol --id ID --token ENROLMENT_TOKEN | run --id ID --config FILE
                      one edge client: enrol its own key with the token an admin issued
                      (POST /api/clients), then serve its tasks

            --dir D: the suite's state, logs, data and keys (default $AFD_SUITE_DIR, else <repo>/.afd/suite).
            Tokens for the management API: bin/afd token --role viewer|operator|admin.
            """;

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        String command = args[0];
        Map<String, String> opt = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--dir")
                            || a.equals("--base-port")
                            || a.equals("--timeout")
                            || a.equals("--clients")
                            || a.equals("--db"))
                    && !command.equals("client")) {
                if (i + 1 >= args.length) {
                    err.println("afd: " + a + " needs a value");
                    return USAGE;
                }
                opt.put(a.substring(2), args[++i]);
            } else {
                rest.add(a);
            }
        }
        Path dir = opt.containsKey("dir")
                ? Path.of(opt.get("dir")).toAbsolutePath().normalize()
                : defaultDir();
        try {
            return switch (command) {
                case "up" ->
                    up(
                            dir,
                            intOpt(opt, "base-port", 8080),
                            intOpt(opt, "timeout", 300),
                            opt.getOrDefault("db", DATABASE));
                case "serve" -> serve(dir, intOpt(opt, "base-port", 8080), opt.getOrDefault("db", DATABASE));
                case "status" -> status(dir);
                case "down" -> down(dir, intOpt(opt, "timeout", 120));
                case "fleet" -> fleet(dir, opt, rest);
                case "client" -> client(dir, rest);
                default -> {
                    err.println("afd: unknown command " + command + "\n" + USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("afd " + command + ": " + e.getMessage());
            return USAGE;
        } catch (Exception e) {
            err.println("afd " + command + " failed: " + e);
            return FAILED;
        }
    }

    static Path defaultDir() {
        String env = System.getenv("AFD_SUITE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Layout.repoRoot().orElse(Path.of("").toAbsolutePath()).resolve(".afd/suite");
    }

    private static int intOpt(Map<String, String> opt, String name, int dflt) {
        String v = opt.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number: " + v);
        }
    }

    // ---------------------------------------------------------------------------------------------------- up

    private int up(Path dir, int basePort, int timeoutSeconds, String database)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Optional<InfraState> existing = InfraState.read(dir, STATE);
        if (existing.isPresent() && liveServe(existing.get()).isPresent()) {
            if ("running".equals(existing.get().get("state"))) {
                out.println("The suite is already running (" + dir + "); `bin/afd down` stops it.");
                summary(existing.get());
                return OK;
            }
            out.println("The suite is starting already; waiting for it ...");
            return awaitRunning(dir, null, timeoutSeconds);
        }
        existing.ifPresent(this::stopLeftovers);
        Files.deleteIfExists(dir.resolve(STATE));
        List<String> cmd = new ArrayList<>();
        // its own session: it outlives this terminal's hang-up and Ctrl-C
        Procs.onPath("setsid").ifPresent(cmd::add);
        cmd.addAll(List.of(
                Procs.javaExecutable(),
                "-Xms32m",
                "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp",
                System.getProperty("java.class.path"),
                SuiteMain.class.getName(),
                "serve",
                "--dir",
                dir.toString(),
                "--base-port",
                Integer.toString(basePort),
                "--db",
                database));
        Path log = dir.resolve("serve.log");
        Process child = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        child.getOutputStream().close();
        out.println("Starting Kafka, PostgreSQL and the five services in the background (" + dir + "; log " + log
                + ") ...");
        return awaitRunning(dir, child, timeoutSeconds);
    }

    private int awaitRunning(Path dir, Process child, int timeoutSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(timeoutSeconds).toNanos();
        Path log = dir.resolve("serve.log");
        String lastStage = "";
        while (System.nanoTime() < deadline) {
            Optional<InfraState> s = InfraState.read(dir, STATE);
            if (s.isPresent()) {
                String stage = s.get().get("stage");
                if (!stage.equals(lastStage)) {
                    out.printf("  %5.1f s  %s%n", (System.nanoTime() - t0) / 1e9, stage);
                    lastStage = stage;
                }
                if ("running".equals(s.get().get("state"))) {
                    out.printf("The suite is up in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
                    summary(s.get());
                    return OK;
                }
                if ("failed".equals(s.get().get("state"))) {
                    err.println("afd up: the suite did not start: " + s.get().get("error") + "\nLast lines of " + log
                            + ":\n" + Procs.tail(log, 30));
                    return FAILED;
                }
            }
            if (child != null && !child.isAlive() && child.exitValue() != 0) {
                err.println("afd up: the suite did not start. Last lines of " + log + ":\n" + Procs.tail(log, 30));
                return FAILED;
            }
            Thread.sleep(300);
        }
        err.println("afd up: not ready after " + timeoutSeconds + " s; stopping it. Last lines of " + log + ":\n"
                + Procs.tail(log, 30));
        InfraState.read(dir, STATE)
                .flatMap(SuiteMain::liveServe)
                .ifPresent(h -> Procs.terminate(h, Duration.ofSeconds(60)));
        return FAILED;
    }

    private void summary(InfraState s) {
        out.println("  console         " + s.get("orchestratorUrl") + "/console/  (sign in with a token: bin/afd token"
                + " --role operator)");
        out.println("  management API  " + s.get("orchestratorUrl") + "/api  (Swagger UI " + s.get("orchestratorUrl")
                + "/q/swagger-ui)");
        out.println("  health          " + s.get("orchestratorManagementUrl") + "/q/health  (each service: bin/afd"
                + " status)");
        out.println("  Kafka           " + s.get("kafkaBootstrap") + "  (SASL/SCRAM; clients get logins at enrolment)");
        out.println("  PostgreSQL      " + s.get("jdbcUrl"));
        out.println("  logs            " + s.get("logDir") + "/<service>.log, " + s.get("dir") + "/serve.log");
        out.println("  authenticate    curl -H \"Authorization: Bearer $(bin/afd token --role viewer)\" "
                + s.get("orchestratorUrl") + "/api/experiments");
        out.println("  attach clients  bin/afd fleet --config examples/quickstart.yaml");
        out.println("  stop            bin/afd down");
    }

    // ------------------------------------------------------------------------------------------------- serve

    private int serve(Path dir, int basePort, String database) throws Exception {
        Files.createDirectories(dir);
        ProcessHandle self = ProcessHandle.current();
        InfraState base = InfraState.empty()
                .with("state", "starting")
                .with("stage", "starting Kafka and PostgreSQL")
                .with("dir", dir.toString())
                .with("servePid", self.pid())
                .with("serveStartMillis", Procs.startMillis(self));
        base.write(dir, STATE);
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicReference<InfraStack> infraRef = new AtomicReference<>();
        AtomicReference<SuiteLauncher> suiteRef = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            log("stopping");
            if (suiteRef.get() != null) {
                suiteRef.get().close();
            }
            if (infraRef.get() != null) {
                infraRef.get().stop();
            }
            try {
                Files.deleteIfExists(dir.resolve(STATE));
            } catch (IOException ignored) {
                // nothing more to do at exit
            }
            log("stopped");
            stopped.countDown();
        }));
        try {
            InfraStack infra = InfraStack.builder(dir.resolve("infra"))
                    .kafkaPorts(basePort + 19, 0)
                    .database(database)
                    .persistent(true)
                    .start();
            infraRef.set(infra);
            log("Kafka " + infra.kafka().bootstrapServers() + ", PostgreSQL "
                    + infra.postgres().jdbcUrl(database));
            base.with("stage", "starting the five services").write(dir, STATE);
            SuiteLauncher suite = SuiteLauncher.start(
                    infra.kafka().adminConnection(),
                    infra.postgres().jdbcUrl(database),
                    infra.postgres().username(),
                    infra.postgres().password(),
                    serverKey(dir),
                    LocalIssuer.open(TokenCommand.defaultDir()),
                    basePort,
                    dir.resolve("logs"));
            suiteRef.set(suite);
            InfraState running = base.with("state", "running")
                    .with("stage", "ready")
                    .with("startedAt", Instant.now().toString())
                    .with("kafkaBootstrap", infra.kafka().bootstrapServers())
                    .with("jdbcUrl", infra.postgres().jdbcUrl(database))
                    .with("logDir", suite.logDir().toString())
                    .with("orchestratorManagementUrl", suite.managementUrl("orchestrator"));
            for (SuiteLauncher.Service svc : SuiteLauncher.SERVICES) {
                running = running.with(key(svc.name()) + "Url", suite.url(svc.name()))
                        .with(key(svc.name()) + "ManagementUrl", suite.managementUrl(svc.name()))
                        .with(key(svc.name()) + "Pid", suite.pid(svc.name()));
            }
            running.write(dir, STATE);
            log("ready: orchestrator " + suite.url("orchestrator"));
            // a service whose JVM exits is started again; everything stops on SIGTERM (bin/afd down)
            while (!stopping.get()) {
                Thread.sleep(2_000);
                if (stopping.get()) {
                    break;
                }
                List<String> restarted = suite.restartExited();
                if (!restarted.isEmpty()) {
                    log("restarted " + restarted);
                    for (SuiteLauncher.Service svc : SuiteLauncher.SERVICES) {
                        running = running.with(key(svc.name()) + "Pid", suite.pid(svc.name()));
                    }
                    running.write(dir, STATE);
                }
            }
        } catch (Exception e) {
            if (!stopping.get()) {
                log("failed: " + e);
                base.with("state", "failed")
                        .with("error", String.valueOf(e.getMessage()))
                        .write(dir, STATE);
                System.exit(FAILED);
            }
        }
        stopped.await();
        return OK;
    }

    /** {@code model-registry} -> {@code modelRegistry}: the state file's key stem. */
    static String key(String service) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : service.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    /** The services' Ed25519 seed, kept owner-only: enrolled clients hold its public half, so it must survive. */
    static String serverKey(Path dir) throws IOException {
        Path file = dir.resolve("server.key");
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        String seed = SigningKey.generate().seedText();
        Procs.writeOwnerOnly(file, seed + "\n");
        return seed;
    }

    private void log(String message) {
        out.println(Instant.now() + " afd suite: " + message);
        out.flush();
    }

    // ---------------------------------------------------------------------------------------- status / down

    private int status(Path dir) {
        Optional<InfraState> state =
                InfraState.read(dir, STATE).filter(s -> liveServe(s).isPresent());
        if (state.isEmpty()) {
            out.println("The suite is not running (" + dir + "); `bin/afd up` starts it.");
            return NOT_RUNNING;
        }
        InfraState s = state.get();
        out.println("The suite is " + s.get("state") + " (pid " + s.get("servePid") + ", since " + s.get("startedAt")
                + ", " + dir + ")");
        if (!"running".equals(s.get("state"))) {
            out.println("  stage: " + s.get("stage"));
            return FAILED;
        }
        boolean healthy = true;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (SuiteLauncher.Service svc : SuiteLauncher.SERVICES) {
            String url = s.get(key(svc.name()) + "Url");
            String health = s.get(key(svc.name()) + "ManagementUrl") + "/q/health/ready";
            String verdict;
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(health))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                verdict = r.statusCode() == 200 ? "ready" : "NOT READY (" + r.statusCode() + "): " + r.body();
                healthy &= r.statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                verdict = "DOWN: " + e;
                healthy = false;
            }
            out.printf("  %-15s %-24s pid %-8s %s%n", svc.name(), url, s.get(key(svc.name()) + "Pid"), verdict);
        }
        out.println("  Kafka           " + s.get("kafkaBootstrap"));
        out.println("  PostgreSQL      " + s.get("jdbcUrl"));
        out.println("  logs            " + s.get("logDir"));
        return healthy ? OK : FAILED;
    }

    private int down(Path dir, int timeoutSeconds) throws IOException {
        Optional<InfraState> state = InfraState.read(dir, STATE);
        if (state.isEmpty()) {
            out.println("The suite is not running (" + dir + ").");
            return OK;
        }
        long t0 = System.nanoTime();
        Optional<ProcessHandle> serve = liveServe(state.get());
        if (serve.isPresent()) {
            out.println("Stopping the suite (pid " + serve.get().pid() + ") ...");
            if (!Procs.terminate(serve.get(), Duration.ofSeconds(timeoutSeconds))) {
                err.println("afd down: pid " + serve.get().pid() + " did not stop");
                return FAILED;
            }
        }
        stopLeftovers(state.get());
        Files.deleteIfExists(dir.resolve(STATE));
        out.printf(
                "Stopped in %.1f s; the data stay in %s (`bin/afd up%s` brings them back).%n",
                (System.nanoTime() - t0) / 1e9, dir, dir.equals(defaultDir()) ? "" : " --dir " + dir);
        return OK;
    }

    /** Services whose serving process died without stopping them (SIGKILL). */
    private void stopLeftovers(InfraState s) {
        for (SuiteLauncher.Service svc : SuiteLauncher.SERVICES) {
            long pid = s.getLong(key(svc.name()) + "Pid");
            if (pid > 0) {
                ProcessHandle.of(pid)
                        .filter(h -> h.info().commandLine().orElse("").contains("quarkus-run.jar"))
                        .ifPresent(h -> {
                            out.println("Stopping leftover " + svc.name() + " (pid " + pid + ")");
                            Procs.terminate(h, Duration.ofSeconds(20));
                        });
            }
        }
    }

    static Optional<ProcessHandle> liveServe(InfraState s) {
        return Procs.live(s.getLong("servePid"), s.getLong("serveStartMillis"));
    }

    // ------------------------------------------------------------------------------------------ fleet / client

    private InfraState running(Path dir) {
        return InfraState.read(dir, STATE)
                .filter(s -> liveServe(s).isPresent() && "running".equals(s.get("state")))
                .orElseThrow(() -> new IllegalArgumentException(
                        "the suite is not running (" + dir + "): start it with `bin/afd up`"));
    }

    private int fleet(Path dir, Map<String, String> opt, List<String> rest) throws Exception {
        InfraState s = running(dir);
        List<String> args = new ArrayList<>(rest);
        int config = args.indexOf("--config");
        if (config < 0 || config + 1 >= args.size()) {
            throw new IllegalArgumentException("--config FILE is required (e.g. examples/quickstart.yaml)");
        }
        if (opt.containsKey("clients")) {
            args.set(
                    config + 1,
                    withClients(Path.of(args.get(config + 1)), intOpt(opt, "clients", 0), dir)
                            .toString());
        }
        LocalIssuer issuer = LocalIssuer.open(TokenCommand.defaultDir());
        args.addAll(List.of(
                "--orchestrator",
                s.get("orchestratorUrl"),
                "--token",
                issuer.mint("afd-fleet", List.of("admin"), Duration.ofHours(12))));
        if (!args.contains("--key-dir")) {
            args.addAll(List.of("--key-dir", dir.resolve("edge-keys").toString()));
        }
        return FleetMain.run(args.toArray(String[]::new));
    }

    /** The config with {@code dataset.clients} set to {@code n} (and clientsPerRound at most n), in the suite dir. */
    @SuppressWarnings("unchecked")
    static Path withClients(Path config, int n, Path dir) throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("--clients must be >= 1");
        }
        Map<String, Object> yaml = new Yaml().load(Files.readString(config));
        Object dataset = yaml.get("dataset");
        if (!(dataset instanceof Map)) {
            throw new IllegalArgumentException(config + " has no dataset section");
        }
        ((Map<String, Object>) dataset).put("clients", n);
        if (yaml.get("clientsPerRound") instanceof Number k && k.intValue() > n) {
            yaml.put("clientsPerRound", n);
        }
        Path out =
                dir.resolve("fleet-" + config.getFileName().toString().replaceAll("\\.ya?ml$", "") + "-" + n + ".yaml");
        Files.createDirectories(dir);
        Files.writeString(
                out, "# " + config + " with " + n + " clients (bin/afd fleet --clients)\n" + new Yaml().dump(yaml));
        return out;
    }

    private int client(Path dir, List<String> rest) throws Exception {
        if (rest.isEmpty() || !(rest.get(0).equals("enrol") || rest.get(0).equals("run"))) {
            throw new IllegalArgumentException(
                    "client enrol --id ID --token ENROLMENT_TOKEN | client run --id ID --config FILE");
        }
        List<String> args = new ArrayList<>(rest);
        if (!args.contains("--key-dir")) {
            args.addAll(List.of("--key-dir", dir.resolve("edge-keys").toString()));
        }
        if (args.get(0).equals("enrol") && !args.contains("--orchestrator")) {
            args.addAll(List.of("--orchestrator", running(dir).get("orchestratorUrl")));
        }
        EdgeClientMain.main(args.toArray(String[]::new));
        return OK;
    }
}
