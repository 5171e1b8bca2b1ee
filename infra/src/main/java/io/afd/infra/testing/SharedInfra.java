package io.afd.infra.testing;

import io.afd.infra.InfraStack;
import io.afd.infra.KafkaBroker;
import io.afd.infra.Postgres;
import io.afd.infra.auth.LocalIssuer;
import io.afd.kafka.KafkaAccess;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.kafka.ServiceAccount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka broker and one real PostgreSQL per JVM, for integration tests of any module
 * (no JUnit, Quarkus or Docker needed): started on first {@link #get()}, stopped by a shutdown
 * hook when the JVM exits.
 *
 * <pre>{@code
 * SharedInfra infra = SharedInfra.get();                  // ~7 s the first time, then free
 * String db = infra.createUniqueDatabase("registry");     // e.g. registry_3f9a2c1b, dropped at exit
 * Map<String, String> config = infra.quarkusProperties(db); // kafka.bootstrap.servers, quarkus.datasource.*
 * config.putAll(infra.quarkusKafkaProperties(ServiceAccount.AGGREGATOR)); // its own SCRAM login and ACLs
 * infra.createTopics("afd.client-updates");
 * }</pre>
 *
 * <ul>
 * <li>Kafka: a broker on free ports from {@code <repo>/infra/target/kafka-libs} (build that once
 *     with {@code ./mvnw -pl infra -am install -DskipTests}; a reactor build does it before any
 *     dependent module's tests). To use a broker that is already running instead, set
 *     {@code -Dafd.kafka.bootstrap=host:port} or {@code AFD_KAFKA_BOOTSTRAP} (it is then taken to be an
 *     insecure PLAINTEXT broker). The broker started here is secure (SASL/SCRAM, ACLs): {@link #kafkaAdmin()} is
 *     its super user, {@link #kafkaConnection(ServiceAccount)} a service's least-privilege login, {@link
 *     #provisionClient(String)} an edge client's.</li>
 * <li>PostgreSQL: the local server on 127.0.0.1:5432 when usable, else embedded (see
 *     {@link Postgres}); {@code -Dafd.postgres.embedded=true} forces embedded. The local server is
 *     shared with other test runs: use {@link #createUniqueDatabase} rather than fixed names.</li>
 * <li>Files: {@code target/afd-infra-<pid>/} under the current directory (else the temp dir), or
 *     {@code -Dafd.infra.test.dir}; deleted at exit unless {@code -Dafd.infra.keep=true}.</li>
 * </ul>
 */
public final class SharedInfra {

    private static final Logger LOG = LoggerFactory.getLogger(SharedInfra.class);

    /** System property / environment variable: use this broker instead of starting one. */
    public static final String KAFKA_BOOTSTRAP_PROPERTY = "afd.kafka.bootstrap";

    public static final String KAFKA_BOOTSTRAP_ENV = "AFD_KAFKA_BOOTSTRAP";
    /** The database created at start and used by {@link #jdbcUrl()}. */
    public static final String DEFAULT_DATABASE = "afd_test";

    private static SharedInfra instance;

    private final Path dir;
    private final InfraStack stack;
    private final String bootstrapServers;
    private final List<String> uniqueDatabases = new ArrayList<>();
    private LocalIssuer issuer;
    private final Map<ServiceAccount, KafkaLogin> serviceLogins = new java.util.EnumMap<>(ServiceAccount.class);

    private SharedInfra(Path dir, InfraStack stack, String bootstrapServers) {
        this.dir = dir;
        this.stack = stack;
        this.bootstrapServers = bootstrapServers;
    }

    /** The JVM-wide instance, started on first use (thread-safe). */
    public static synchronized SharedInfra get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static SharedInfra start() {
        Path dir = workDir();
        String external = setting(KAFKA_BOOTSTRAP_PROPERTY, KAFKA_BOOTSTRAP_ENV);
        long t0 = System.nanoTime();
        InfraStack stack = InfraStack.builder(dir)
                .kafka(external == null)
                .postgres(Postgres.Mode.AUTO)
                .database(DEFAULT_DATABASE)
                .persistent(false)
                .start();
        String bootstrap = external != null ? external : stack.kafka().bootstrapServers();
        SharedInfra infra = new SharedInfra(dir, stack, bootstrap);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::shutdown, "afd-shared-infra-stop"));
        LOG.info(
                "Shared test infrastructure ready in {} ms: Kafka {}{}, PostgreSQL {} ({})",
                (System.nanoTime() - t0) / 1_000_000,
                bootstrap,
                external != null ? " (external)" : "",
                stack.postgres().jdbcUrl(),
                stack.postgres().isEmbedded() ? "embedded" : "local server");
        return infra;
    }

    private static Path workDir() {
        String explicit = setting("afd.infra.test.dir", "AFD_INFRA_TEST_DIR");
        Path base;
        if (explicit != null) {
            base = Path.of(explicit);
        } else if (Files.isDirectory(Path.of("target"))) {
            base = Path.of("target");
        } else {
            base = Path.of(System.getProperty("java.io.tmpdir"));
        }
        cleanStale(base);
        return base.resolve(DIR_PREFIX + ProcessHandle.current().pid())
                .toAbsolutePath()
                .normalize();
    }

    private static final String DIR_PREFIX = "afd-infra-";

    /**
     * Removes what earlier test JVMs killed without their shutdown hooks left behind (their broker
     * exits by itself with its parent; an embedded PostgreSQL does not): the postmaster of every
     * {@code afd-infra-<pid>} directory whose JVM is gone is stopped, and the directory deleted.
     */
    private static void cleanStale(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.startsWith(DIR_PREFIX) || !Files.isDirectory(d)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name.substring(DIR_PREFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // another live test JVM
                }
                Path pidFile = d.resolve("postgres/data/postmaster.pid");
                if (Files.isRegularFile(pidFile)) {
                    try {
                        long pg = Long.parseLong(
                                Files.readAllLines(pidFile).get(0).trim());
                        // Only that postmaster: the pid may since have been reused by another process.
                        ProcessHandle.of(pg)
                                .filter(h -> h.info().command().orElse("").endsWith("/postgres")
                                        && h.info()
                                                .commandLine()
                                                .map(c -> c.contains(
                                                        d.getFileName().toString()))
                                                .orElse(true))
                                .ifPresent(h -> {
                                    LOG.info(
                                            "Stopping embedded PostgreSQL (pid {}) left by a dead test JVM in {}",
                                            pg,
                                            d);
                                    h.destroy(); // SIGTERM; nobody is connected to it any more
                                    h.onExit()
                                            .orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
                                            .exceptionally(t -> {
                                                h.destroyForcibly();
                                                return h;
                                            })
                                            .join();
                                });
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("cannot read {}: {}", pidFile, e.getMessage());
                    }
                }
                deleteQuietly(d);
            }
        } catch (IOException e) {
            LOG.warn("cannot scan {} for stale test infrastructure: {}", base, e.getMessage());
        }
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private void shutdown() {
        synchronized (uniqueDatabases) {
            if (!postgres().isEmbedded()) {
                for (String db : uniqueDatabases) {
                    try {
                        postgres().dropDatabase(db);
                    } catch (RuntimeException e) {
                        LOG.warn("could not drop test database {}: {}", db, e.getMessage());
                    }
                }
            }
        }
        try {
            stack.stop();
        } finally {
            if (!Boolean.getBoolean("afd.infra.keep")) {
                deleteQuietly(dir);
            }
        }
    }

    private static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort at JVM exit
                }
            });
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }

    /** {@code bootstrap.servers} of the broker. */
    public String kafkaBootstrapServers() {
        return bootstrapServers;
    }

    /** The broker as its super user (or an external broker, taken to be insecure). */
    public KafkaConnection kafkaAdmin() {
        return stack.kafka() != null ? stack.kafka().adminConnection() : KafkaConnection.insecure(bootstrapServers);
    }

    /**
     * A service's own login, with exactly the ACLs {@link io.afd.kafka.Grants} gives it; created at the first call
     * in this JVM and reused.
     */
    public synchronized KafkaConnection kafkaConnection(ServiceAccount account) {
        KafkaConnection admin = kafkaAdmin();
        if (!admin.isSecure()) {
            return admin;
        }
        KafkaLogin login = serviceLogins.get(account);
        if (login == null) {
            try (KafkaAccess access = KafkaAccess.open(admin)) {
                login = access.provisionService(account);
            }
            serviceLogins.put(account, login);
        }
        return admin.as(login);
    }

    /** {@link #kafkaConnection(ServiceAccount)} as a Quarkus service's {@code kafka.*} settings. */
    public Map<String, String> quarkusKafkaProperties(ServiceAccount account) {
        return kafkaConnection(account).quarkusProperties();
    }

    /**
     * An edge client's access, as the orchestrator gives it at enrolment: its task topic, a new login and its
     * ACLs. Every call replaces the client's earlier password.
     */
    public KafkaConnection provisionClient(String clientId) {
        KafkaConnection admin = kafkaAdmin();
        try (KafkaAccess access = KafkaAccess.open(admin)) {
            KafkaLogin login = access.provisionClient(clientId);
            return login == null ? admin : admin.as(login);
        }
    }

    /** JDBC URL of database {@value #DEFAULT_DATABASE}. */
    public String jdbcUrl() {
        return postgres().jdbcUrl();
    }

    /** JDBC URL of {@code database} (create it first). */
    public String jdbcUrl(String database) {
        return postgres().jdbcUrl(database);
    }

    public String username() {
        return postgres().username();
    }

    /** Password, empty for trust authentication. */
    public String password() {
        return postgres().password();
    }

    /** Creates {@code database} if missing; true if it was created. It is kept after the run. */
    public boolean createDatabase(String database) {
        return postgres().createDatabase(database);
    }

    /**
     * Creates a fresh database named {@code <prefix>_<8 hex digits>} and returns its name; it is
     * dropped when the JVM exits (on the local server; an embedded server is deleted as a whole).
     */
    public String createUniqueDatabase(String prefix) {
        String name =
                prefix + "_" + String.format("%08x", ThreadLocalRandom.current().nextInt());
        postgres().createDatabase(name);
        synchronized (uniqueDatabases) {
            uniqueDatabases.add(name);
        }
        return name;
    }

    /** Creates topics with 3 partitions each; existing ones are kept. */
    public void createTopics(String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, 3, (short) 1));
        }
        createTopics(topics);
    }

    /** Creates topics (with their partition counts and configs); existing ones are kept. */
    public void createTopics(Collection<NewTopic> topics) {
        try (KafkaAccess access = KafkaAccess.open(kafkaAdmin())) {
            access.createTopics(topics);
        }
    }

    /**
     * Framework-neutral settings: {@code kafka.bootstrap.servers} (no login: add one), {@code afd.jdbc.url} (database
     * {@value #DEFAULT_DATABASE}), {@code afd.jdbc.username}, {@code afd.jdbc.password}.
     */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap.servers", bootstrapServers);
        p.put("afd.jdbc.url", jdbcUrl());
        p.put("afd.jdbc.username", username());
        p.put("afd.jdbc.password", password());
        return p;
    }

    /**
     * The configuration a Quarkus test resource returns from {@code start()} to run a service
     * against this infrastructure with database {@code database} (created if missing): Kafka
     * bootstrap servers, {@code quarkus.datasource.jdbc.url|username|password}, Dev Services off.
     * Plain strings: no Quarkus dependency here.
     */
    public Map<String, String> quarkusProperties(String database) {
        createDatabase(database);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap.servers", bootstrapServers);
        p.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
        p.put("quarkus.datasource.username", username());
        p.put("quarkus.datasource.password", password());
        p.put("quarkus.devservices.enabled", "false");
        p.putAll(issuer().quarkusProperties());
        return p;
    }

    /**
     * The token issuer the services under test trust (its key in {@code <dir>/auth}): mint tokens
     * with it; {@link #quarkusProperties} configures a service to verify them.
     */
    public synchronized LocalIssuer issuer() {
        if (issuer == null) {
            issuer = LocalIssuer.open(dir.resolve("auth"));
        }
        return issuer;
    }

    /**
     * A broker crash under the running tests: SIGKILL, {@code downtime}, then the same broker again (same port,
     * data, logins and ACLs). Only for a broker started here.
     */
    public void crashAndRestartKafka(java.time.Duration downtime) {
        if (stack.kafka() == null) {
            throw new IllegalStateException("an external broker cannot be restarted from here");
        }
        stack.crashAndRestartKafka(downtime);
    }

    /** The broker started here, or null when an external one is used. */
    public KafkaBroker kafka() {
        return stack.kafka();
    }

    public Postgres postgres() {
        return stack.postgres();
    }

    /** Directory of this JVM's broker and embedded database files. */
    public Path dir() {
        return dir;
    }
}
