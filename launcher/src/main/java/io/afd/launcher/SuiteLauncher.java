package io.afd.launcher;

import io.afd.infra.Layout;
import io.afd.infra.auth.LocalIssuer;
import io.afd.kafka.KafkaAccess;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.kafka.ServiceAccount;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the five services as separate JVMs (their packaged {@code target/quarkus-app}) against a
 * given Kafka and PostgreSQL, waits until each answers {@code /q/health/ready}, and stops them.
 */
public final class SuiteLauncher implements AutoCloseable {

    /** A service: module folder, port env var, heap. */
    public record Service(String name, String portEnv, String heap) {}

    public static final List<Service> SERVICES = List.of(
            new Service("model-registry", "AFD_REGISTRY_PORT", "-Xmx512m"),
            new Service("score-map", "AFD_SCOREMAP_PORT", "-Xmx384m"),
            new Service("packager", "AFD_PACKAGER_PORT", "-Xmx1g"),
            new Service("aggregator", "AFD_AGGREGATOR_PORT", "-Xmx1g"),
            new Service("orchestrator", "AFD_ORCHESTRATOR_PORT", "-Xmx768m"));

    /** Management port = API port + this. */
    static final int MANAGEMENT_OFFSET = 10;

    /**
     * How many JVMs of the scaled services to run: aggregators share the updates topic's partitions (1 to 3, the
     * topic has 3), orchestrators elect one round driver (1 or 2, ADR 0019). The other services run once.
     */
    public record Replicas(int aggregators, int orchestrators) {
        public static final Replicas ONE = new Replicas(1, 1);

        public Replicas {
            if (aggregators < 1 || aggregators > 3) {
                throw new IllegalArgumentException(
                        "aggregators must be 1 to 3 (the updates topic has 3 partitions), got " + aggregators);
            }
            if (orchestrators < 1 || orchestrators > 2) {
                throw new IllegalArgumentException("orchestrators must be 1 or 2, got " + orchestrators);
            }
        }
    }

    /** One JVM: {@code name} is the service's for the first replica, {@code <service>-<i>} for the others. */
    private record Instance(String name, Service service, int replica) {}

    /** Ports of the replicas after the first, from basePort: aggregator-1, aggregator-2, orchestrator-1. */
    private static final Map<String, Integer> EXTRA_PORTS =
            Map.of("aggregator-1", 5, "aggregator-2", 6, "orchestrator-1", 7);

    private final List<Instance> instances = new ArrayList<>();

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, ProcessBuilder> builders = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Path logDir;
    private LocalIssuer issuer;

    private SuiteLauncher(Path logDir) {
        this.logDir = logDir;
    }

    /**
     * Starts every service.
     *
     * @param kafka          Kafka as a login that may create topics, logins and ACLs (the broker's super user): each
     *                       service gets its own principal with only its ACLs ({@link io.afd.kafka.Grants})
     * @param jdbcUrl        PostgreSQL database shared by the services (one schema each)
     * @param dbUser         database user
     * @param dbPassword     database password
     * @param serverKey      the services' Ed25519 key (its seed text), which signs tasks, round events and dead
     *                       letters
     * @param issuer         the token issuer the management API trusts ({@link #token} mints with it)
     * @param basePort       ports basePort..basePort+4 (orchestrator, registry, score-map, packager, aggregator);
     *                       their management interfaces (health, metrics) on basePort+10..basePort+14
     * @param logDir         one log file per service
     */
    public static SuiteLauncher start(
            KafkaConnection kafka,
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            String serverKey,
            LocalIssuer issuer,
            int basePort,
            Path logDir)
            throws IOException {
        return start(kafka, jdbcUrl, dbUser, dbPassword, serverKey, issuer, basePort, logDir, Replicas.ONE);
    }

    /**
     * Starts every service, the aggregator and the orchestrator as {@code replicas} JVMs each; the first replica of
     * each is named after its service and is the one the others call ({@code AFD_AGGREGATOR_URL}, ...), the way a
     * Kubernetes Service would route to any. Extra replicas listen on basePort+5.. (aggregator-1, aggregator-2,
     * orchestrator-1), their management interfaces 10 higher.
     */
    public static SuiteLauncher start(
            KafkaConnection kafka,
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            String serverKey,
            LocalIssuer issuer,
            int basePort,
            Path logDir,
            Replicas replicas)
            throws IOException {
        Files.createDirectories(logDir);
        // Create the topics before anyone subscribes: a consumer that subscribed to a missing topic
        // may not see it until its next metadata refresh. Each client's task topic comes with its enrolment.
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (String t : List.of(
                io.afd.protocol.Topics.UPDATES, io.afd.protocol.Topics.ROUNDS, io.afd.protocol.Topics.DEAD_LETTER)) {
            topics.add(new org.apache.kafka.clients.admin.NewTopic(t, 3, (short) 1));
        }
        Map<String, KafkaLogin> logins = new LinkedHashMap<>();
        try (KafkaAccess access = KafkaAccess.open(kafka)) {
            access.createTopics(topics);
            if (access.isSecure()) {
                for (ServiceAccount a : ServiceAccount.values()) {
                    logins.put(a.name(), access.provisionService(a));
                }
            }
        }
        Path repo = Layout.repoRoot()
                .orElseThrow(
                        () -> new IllegalStateException("cannot find the repository root (the folder holding mvnw)"));
        SuiteLauncher s = new SuiteLauncher(logDir);
        s.issuer = issuer;
        s.ports.put("orchestrator", basePort);
        s.ports.put("model-registry", basePort + 1);
        s.ports.put("score-map", basePort + 2);
        s.ports.put("packager", basePort + 3);
        s.ports.put("aggregator", basePort + 4);
        for (Service svc : SERVICES) {
            int n = switch (svc.name()) {
                case "aggregator" -> replicas.aggregators();
                case "orchestrator" -> replicas.orchestrators();
                default -> 1;
            };
            for (int i = 0; i < n; i++) {
                String name = i == 0 ? svc.name() : svc.name() + "-" + i;
                if (i > 0) {
                    s.ports.put(name, basePort + EXTRA_PORTS.get(name));
                }
                s.instances.add(new Instance(name, svc, i));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AFD_JDBC_URL", jdbcUrl);
        env.put("AFD_DB_USER", dbUser);
        env.put("AFD_DB_PASSWORD", dbPassword == null ? "" : dbPassword);
        env.put("AFD_SERVER_KEY", serverKey);
        env.put("AFD_REGISTRY_URL", s.url("model-registry"));
        env.put("AFD_SCOREMAP_URL", s.url("score-map"));
        env.put("AFD_PACKAGER_URL", s.url("packager"));
        env.put("AFD_AGGREGATOR_URL", s.url("aggregator"));
        env.put("AFD_ORCHESTRATOR_URL", s.url("orchestrator"));
        env.putAll(issuer.verifierEnv());
        try {
            for (Instance in : s.instances) {
                Service svc = in.service();
                Path jar = repo.resolve("services").resolve(svc.name()).resolve("target/quarkus-app/quarkus-run.jar");
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(jar + " is missing: build with ./mvnw -B install -DskipTests");
                }
                List<String> cmd = new ArrayList<>(List.of(
                        io.afd.infra.Procs.javaExecutable(),
                        svc.heap(),
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        jar.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve(in.name() + ".log").toFile());
                pb.environment().putAll(env);
                pb.environment().put(svc.portEnv(), Integer.toString(s.ports.get(in.name())));
                pb.environment()
                        .put(
                                svc.portEnv().replace("_PORT", "_MANAGEMENT_PORT"),
                                Integer.toString(s.ports.get(in.name()) + MANAGEMENT_OFFSET));
                // replicas: static group membership per aggregator, a name per orchestrator in the lease
                pb.environment().put("AFD_AGGREGATOR_INSTANCE_ID", "aggregator-" + in.replica());
                pb.environment().put("AFD_ORCHESTRATOR_REPLICA", "orchestrator-" + in.replica());
                // its own identity towards its peers (ADR 0016): the one role service:<name>
                pb.environment().put("AFD_SERVICE_TOKEN", s.serviceToken(svc.name()));
                // and towards Kafka (ADR 0017): its own principal; the registry uses no Kafka
                KafkaLogin login = svc.name().equals("model-registry")
                        ? null
                        : logins.get(ServiceAccount.of(svc.name()).name());
                if (!svc.name().equals("model-registry")) {
                    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
                    pb.environment().put("KAFKA_SECURITY_PROTOCOL", kafka.securityProtocol());
                }
                if (login != null) {
                    pb.environment().put("AFD_KAFKA_USERNAME", login.username());
                    pb.environment().put("AFD_KAFKA_PASSWORD", login.password());
                }
                s.builders.put(in.name(), pb);
                s.processes.put(in.name(), pb.start());
            }
            s.awaitHealthy(Duration.ofSeconds(240));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * A service's own token for calls to its peers, valid for 30 days (the launcher mints a fresh one at every
     * start; a deployment mounts one its platform rotates, AFD_SERVICE_TOKEN_FILE).
     */
    String serviceToken(String service) {
        return issuer.mint(service, List.of("service:" + service), Duration.ofDays(30));
    }

    /** A bearer token for the management API with {@code role}, valid for 12 hours. */
    public String token(String role) {
        return issuer.mint("afd-launcher", List.of(role), Duration.ofHours(12));
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** A service's management interface: health ({@code /q/health}) and metrics ({@code /q/metrics}). */
    public String managementUrl(String service) {
        return "http://127.0.0.1:" + (ports.get(service) + MANAGEMENT_OFFSET);
    }

    public Path logDir() {
        return logDir;
    }

    /** The JVMs, in start order: each service's name, and {@code <service>-<i>} for extra replicas. */
    public List<String> instances() {
        return instances.stream().map(Instance::name).toList();
    }

    /** Process id of a service's JVM (an instance's, see {@link #instances()}). */
    public long pid(String service) {
        return processes.get(service).pid();
    }

    /**
     * Kills a service's JVM at once (SIGKILL: no shutdown hooks, nothing flushed), starts it again
     * with the same settings and waits until it is ready: a crash and a restart.
     */
    public void crashAndRestart(String service, Duration downtime) throws IOException, InterruptedException {
        Process p = processes.get(service);
        p.destroyForcibly();
        p.waitFor();
        Thread.sleep(downtime.toMillis());
        ProcessBuilder pb = builders.get(service);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(
                logDir.resolve(service + ".log").toFile()));
        processes.put(service, pb.start());
        awaitHealthy(Duration.ofSeconds(240));
    }

    /**
     * Starts again every service whose JVM has exited (a crash, an OutOfMemoryError) and waits until it is
     * ready; returns the names restarted.
     */
    public List<String> restartExited() throws IOException {
        List<String> restarted = new ArrayList<>();
        for (String name : instances()) {
            Process p = processes.get(name);
            if (p != null && !p.isAlive()) {
                ProcessBuilder pb = builders.get(name);
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logDir.resolve(name + ".log").toFile()));
                processes.put(name, pb.start());
                restarted.add(name + " (exit " + p.exitValue() + ")");
            }
        }
        if (!restarted.isEmpty()) {
            awaitHealthy(Duration.ofSeconds(240));
        }
        return restarted;
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        for (String name : instances()) {
            while (true) {
                Process p = processes.get(name);
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            name + " exited with " + p.exitValue() + "; see " + logDir.resolve(name + ".log"));
                }
                try {
                    HttpResponse<Void> r = http.send(
                            HttpRequest.newBuilder(URI.create(managementUrl(name) + "/q/health/ready"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see "
                            + logDir.resolve(name + ".log"));
                }
                sleep(300);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
