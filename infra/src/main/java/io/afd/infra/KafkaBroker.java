package io.afd.infra;

import io.afd.kafka.KafkaAccess;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, {@code process.roles=broker,controller}) running in a
 * child JVM from the Kafka 4.3.1 jars of {@link Layout#kafkaLibs()}.
 *
 * <p>Everything it writes is under its work directory:
 * <pre>
 * server.properties    generated broker config (listeners on 127.0.0.1 only)
 * admin.password       the super user's SCRAM password (owner-only), kept with the data it was formatted into
 * log4j2.properties    broker logging config
 * kafka.log            broker log (INFO, rolled at 20 MB, 5 files kept)
 * kafka.out            the JVM's stdout/stderr (storage format output, crashes)
 * data/                the KRaft log directory (metadata and topic data)
 * </pre>
 *
 * <p>Secure by default (ADR 0017): the client listener takes SASL/SCRAM-SHA-512 logins only, the controller
 * listener SASL/PLAIN with the super user's password, and KRaft's {@code StandardAuthorizer} refuses everything no
 * ACL allows ({@code allow.everyone.if.no.acl.found=false}); the super user {@value KafkaAccess#SUPER_USER} is
 * created at format time ({@code --add-scram}) and the others with {@link #access()}. Connections re-authenticate
 * every 5 minutes, so a removed login loses its open connections too. {@link Builder#insecure(boolean)} gives a
 * PLAINTEXT broker without authorization, for development only, and says so in the log.
 *
 * <p>The broker is configured for one node: every replication factor and min ISR is 1,
 * {@code num.partitions=3}, topics are not auto-created (except on an insecure broker), {@code message.max.bytes}
 * keeps Kafka's default (~1 MB; raise it with {@link Builder#property}). An existing formatted {@code data/} is
 * reused.
 * The child JVM exits when the JVM that started it dies, even by SIGKILL (its stdin closes).
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(dir, 0, 0)) {   // 0 = pick free ports
 *     kafka.createTopics("updates");
 *     KafkaConnection admin = kafka.adminConnection();       // 127.0.0.1:41234, SASL_PLAINTEXT, admin
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    /** System property / environment variable with extra JVM options for the broker. */
    public static final String JVM_OPTS_PROPERTY = "afd.kafka.jvmOpts";

    public static final String JVM_OPTS_ENV = "AFD_KAFKA_JVM_OPTS";

    private static final String LAUNCHER = "io.afd.infra.internal.BrokerLauncher";
    private static final int LOG_TAIL_LINES = 40;
    private static final int PORT_RETRIES = 3;
    private static final String ADMIN_PASSWORD_FILE = "admin.password";

    private final Path workDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Path logFile;
    private final Path outFile;
    private final long pid;
    private final java.util.concurrent.CompletableFuture<Process> exit;
    private Process process;
    private OutputStream parentLink;
    private Thread shutdownHook;
    private final long startMillis;
    /** The super user's login, null on an insecure broker. */
    private final KafkaLogin adminLogin;

    private KafkaBroker(
            Path workDir,
            int port,
            int controllerPort,
            String clusterId,
            Process process,
            long startMillis,
            KafkaLogin adminLogin) {
        this.adminLogin = adminLogin;
        this.workDir = workDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.logFile = workDir.resolve("kafka.log");
        this.outFile = workDir.resolve("kafka.out");
        this.process = process;
        this.pid = process.pid();
        this.exit = process.onExit();
        this.parentLink = process.getOutputStream();
        this.startMillis = startMillis;
    }

    /**
     * Starts a broker with default settings and waits until it serves requests (60 s at most).
     *
     * @param workDir        directory for config, logs and data (created if missing)
     * @param port           client (PLAINTEXT) port on 127.0.0.1, 0 for a free one
     * @param controllerPort KRaft controller port on 127.0.0.1, 0 for a free one
     */
    public static KafkaBroker start(Path workDir, int port, int controllerPort) {
        return builder(workDir).port(port).controllerPort(controllerPort).start();
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Options of a broker; {@link #start()} launches it. */
    public static final class Builder {
        private final Path workDir;
        private int port;
        private int controllerPort;
        private String heap = "512m";
        private Duration startTimeout = Duration.ofSeconds(60);
        private Path libsDir;
        private boolean freshData;
        private boolean quickStart = true;
        private boolean insecure;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder(Path workDir) {
            this.workDir = workDir.toAbsolutePath().normalize();
        }

        /** Client port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /** Maximum heap of the broker JVM, as for {@code -Xmx}; default {@code 512m}. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** How long to wait for the broker to serve requests; default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Directory of the Kafka jars; default {@link Layout#kafkaLibs()}. */
        public Builder libsDir(Path libsDir) {
            this.libsDir = libsDir;
            return this;
        }

        /** Delete {@code data/} before starting (default: reuse an existing one). */
        public Builder freshData(boolean freshData) {
            this.freshData = freshData;
            return this;
        }

        /**
         * Run the broker JVM with the C1 compiler only (default true): much faster startup, lower
         * peak throughput. False gives the JVM's full tiered JIT.
         */
        public Builder quickStart(boolean quickStart) {
            this.quickStart = quickStart;
            return this;
        }

        /**
         * True gives a PLAINTEXT listener without authentication or authorization, where anyone who reaches the
         * port may read and write everything: development only, logged as a warning (default false).
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /** Sets or overrides one broker property, e.g. {@code message.max.bytes}. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public KafkaBroker start() {
            return KafkaBroker.launch(this);
        }
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    private static KafkaBroker launch(Builder b) {
        Path libs = b.libsDir != null ? b.libsDir.toAbsolutePath() : Layout.kafkaLibs();
        if (!Layout.holdsKafka(libs)) {
            throw new IllegalStateException("No Kafka server jars in " + libs + "; " + Layout.BUILD_HINT);
        }
        for (int p : new int[] {b.port, b.controllerPort}) {
            if (p != 0 && Ports.isBusy(p)) {
                throw new IllegalStateException("Cannot start Kafka: 127.0.0.1:" + p
                        + " is already in use (another broker?). Stop it or choose another port (0 = any free port).");
            }
        }
        if (b.port != 0 && b.port == b.controllerPort) {
            throw new IllegalArgumentException("client and controller ports must differ: " + b.port);
        }
        try {
            Files.createDirectories(b.workDir);
            if (b.freshData) {
                Procs.deleteTree(b.workDir.resolve("data"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + b.workDir, e);
        }
        boolean autoPorts = b.port == 0 || b.controllerPort == 0;
        // A formatted data/ keeps its cluster id (the format tool rejects any other).
        Optional<String> formatted = existingClusterId(b.workDir.resolve("data"));
        String clusterId = formatted.orElseGet(() -> Uuid.randomUuid().toString());
        KafkaLogin adminLogin = b.insecure ? null : adminLogin(b.workDir, formatted.isPresent());
        if (b.insecure) {
            LOG.warn(
                    "Kafka broker in {} is INSECURE on purpose: PLAINTEXT, no authentication, no ACLs; anyone who"
                            + " reaches its port reads and writes every topic. For development only.",
                    b.workDir);
        }
        long t0 = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            int port = b.port != 0 ? b.port : Ports.freePort();
            int controllerPort = b.controllerPort;
            while (controllerPort == 0 || controllerPort == port) {
                controllerPort = Ports.freePort();
            }
            Process process = spawn(b, libs, clusterId, port, controllerPort, adminLogin);
            KafkaBroker broker = new KafkaBroker(
                    b.workDir, port, controllerPort, clusterId, process, System.currentTimeMillis(), adminLogin);
            try {
                broker.awaitReady(b.startTimeout);
                Thread hook = new Thread(broker::stopQuietly, "afd-kafka-stop-" + port);
                Runtime.getRuntime().addShutdownHook(hook); // throws if the JVM is shutting down
                broker.shutdownHook = hook;
                LOG.info(
                        "Kafka broker ready at {} in {} ms (pid {}, log {})",
                        broker.bootstrapServers(),
                        (System.nanoTime() - t0) / 1_000_000,
                        process.pid(),
                        broker.logFile);
                return broker;
            } catch (RuntimeException e) {
                broker.stopQuietly();
                boolean portRace = autoPorts
                        && attempt < PORT_RETRIES
                        && (Procs.tail(broker.logFile, 200) + Procs.tail(broker.outFile, 50))
                                .contains("Address already in use");
                if (!portRace) {
                    throw e;
                }
                LOG.info("Kafka port taken meanwhile, retrying with other free ports");
            }
        }
    }

    /**
     * The super user's password, kept owner-only in the work directory: created with a fresh data directory (the
     * format step stores its SCRAM credential), reused with the data it was formatted into.
     */
    private static KafkaLogin adminLogin(Path workDir, boolean formatted) {
        Path file = workDir.resolve(ADMIN_PASSWORD_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return KafkaLogin.scram(
                        KafkaAccess.SUPER_USER, Files.readString(file).trim());
            }
            if (formatted) {
                throw new IllegalStateException("Kafka data in " + workDir.resolve("data")
                        + " was formatted without SASL (no " + ADMIN_PASSWORD_FILE + "): delete that folder (or"
                        + " start with freshData / --clean) to format it with the super user's login");
            }
            String password = KafkaAccess.newPassword();
            Procs.writeOwnerOnly(file, password + "\n");
            return KafkaLogin.scram(KafkaAccess.SUPER_USER, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Kafka super user's password in " + file, e);
        }
    }

    private static Optional<String> existingClusterId(Path dataDir) {
        Path meta = dataDir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        return Optional.ofNullable(p.getProperty("cluster.id")).filter(id -> !id.isBlank());
    }

    private static Process spawn(
            Builder b, Path libs, String clusterId, int port, int controllerPort, KafkaLogin admin) {
        Path config = b.workDir.resolve("server.properties");
        Path log4j = b.workDir.resolve("log4j2.properties");
        try {
            Files.writeString(config, serverProperties(b, port, controllerPort, admin));
            Files.writeString(log4j, log4jProperties(b.workDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker config in " + b.workDir, e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Procs.javaExecutable());
        cmd.add("-Xms64m");
        cmd.add("-Xmx" + b.heap);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        if (b.quickStart) {
            // C1 only: ready in ~55-65 % of the time on 2 busy cores (measured 3.9-5.8 s vs
            // 8.8-11.2 s) and no slower in bulk produce/consume there (see infra/README.md).
            // AFD_KAFKA_JVM_OPTS=-XX:TieredStopAtLevel=4 (appended below, so it wins) or
            // quickStart(false) restores the full JIT.
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j2.configurationFile=" + log4j);
        String extra = Procs.setting(JVM_OPTS_PROPERTY, JVM_OPTS_ENV);
        if (extra != null) {
            cmd.addAll(Arrays.asList(extra.split("\\s+")));
        }
        Optional<Path> self = Layout.codeSource();
        String classpath = libs + File.separator + "*";
        List<String> scram = admin == null ? List.of() : List.of("--add-scram", scramSpec(admin));
        if (self.isPresent()) {
            cmd.addAll(List.of("-cp", classpath + File.pathSeparator + self.get(), LAUNCHER, "--format", clusterId));
            cmd.addAll(scram);
            cmd.addAll(List.of("--exit-with-parent", config.toString()));
        } else {
            // afd-infra is not a local file (unusual class loader): format in a separate JVM,
            // then run kafka.Kafka directly (the broker then does not follow its parent's death).
            format(b.workDir, classpath, clusterId, config, scram);
            cmd.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(b.workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        b.workDir.resolve("kafka.out").toFile()));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the Kafka broker JVM: " + cmd, e);
        }
    }

    /** The format tool's {@code --add-scram} value for a login. */
    private static String scramSpec(KafkaLogin login) {
        return login.mechanism() + "=[name=" + login.username() + ",password=" + login.password() + "]";
    }

    private static void format(Path workDir, String classpath, String clusterId, Path config, List<String> scram) {
        try {
            List<String> cmd = new ArrayList<>(List.of(
                    Procs.javaExecutable(),
                    "-cp",
                    classpath,
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    clusterId,
                    "-c",
                    config.toString(),
                    "--ignore-formatted"));
            cmd.addAll(scram);
            Process p = new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            workDir.resolve("kafka.out").toFile()))
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "kafka storage format failed:\n" + Procs.tail(workDir.resolve("kafka.out"), 30));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    static String serverProperties(Builder b, int port, int controllerPort, KafkaLogin admin) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        if (admin == null) {
            p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,CLIENT:PLAINTEXT");
            p.put("auto.create.topics.enable", "true");
        } else {
            String user = admin.username();
            String pass = admin.password();
            p.put("listener.security.protocol.map", "CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT");
            // Clients: SCRAM logins kept in the cluster metadata. KRaft controllers cannot use SCRAM (their own
            // metadata holds it), so the controller listener takes PLAIN with the super user alone.
            p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
            p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
            p.put(
                    "listener.name.client.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                            + "\" password=\"" + pass + "\";");
            p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            p.put(
                    "listener.name.controller.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                            + "\" password=\"" + pass + "\" user_" + user + "=\"" + pass + "\";");
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + user);
            p.put("allow.everyone.if.no.acl.found", "false");
            // a removed login loses its open connections within this time, not only its next ones
            p.put("connections.max.reauth.ms", "300000");
            p.put("auto.create.topics.enable", "false");
        }
        p.put("log.dirs", b.workDir.resolve("data").toString());
        p.put("num.partitions", "3");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Single node, no rebalance storms to absorb: let the first consumer join at once.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.retention.hours", "168");
        p.putAll(b.properties);
        StringBuilder out =
                new StringBuilder("# Generated by afd-infra (io.afd.infra.KafkaBroker); rewritten at every start.\n");
        p.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private static String log4jProperties(Path workDir) {
        String log = workDir.resolve("kafka.log").toString();
        return String.join(
                "\n",
                "# Generated by afd-infra: the broker logs to kafka.log (rolled at 20 MB, 5 files kept).",
                "status = warn",
                "appender.file.type = RollingFile",
                "appender.file.name = FILE",
                "appender.file.fileName = " + log,
                "appender.file.filePattern = " + log + ".%i",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "appender.file.policies.type = Policies",
                "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.file.policies.size.size = 20MB",
                "appender.file.strategy.type = DefaultRolloverStrategy",
                "appender.file.strategy.max = 5",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = FILE",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = WARN",
                "logger.requestchannel.name = kafka.network.RequestChannel$",
                "logger.requestchannel.level = WARN",
                "logger.clients.name = org.apache.kafka.clients",
                "logger.clients.level = WARN",
                "");
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean portOpen = false;
        String lastError = "port " + port + " not open";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Kafka broker exited with code " + process.exitValue() + " during startup" + logTail());
            }
            portOpen = portOpen || Ports.isOpen(Ports.LOOPBACK, port, 250);
            if (portOpen) {
                long remaining = Math.max(1_000, (deadline - System.nanoTime()) / 1_000_000);
                try (Admin admin = Admin.create(adminConfig((int) Math.min(remaining, 10_000)))) {
                    admin.listTopics().names().get(Math.min(remaining, 10_000), TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    lastError = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("Kafka broker did not become ready within " + timeout.toSeconds()
                + " s (127.0.0.1:" + port + ", last error: " + lastError + ")" + logTail());
    }

    private String logTail() {
        // Without the config dumps (tab-indented "key = value" lines), which say nothing here.
        StringBuilder log = new StringBuilder();
        String[] lines = Procs.tail(logFile, 400).split("\n");
        int kept = 0;
        for (int i = lines.length - 1; i >= 0 && kept < LOG_TAIL_LINES; i--) {
            if (!lines[i].startsWith("\t") && !lines[i].isBlank()) {
                log.insert(0, lines[i] + "\n");
                kept++;
            }
        }
        String out = Procs.tail(outFile, 20);
        return "\n--- last lines of " + logFile + " ---\n" + log
                + (out.isBlank() ? "" : "--- last lines of " + outFile + " ---\n" + out);
    }

    private Map<String, Object> adminConfig(int timeoutMillis) {
        Map<String, Object> config = new HashMap<>(adminConnection().clientProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "afd-infra");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(timeoutMillis, 1_000));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(timeoutMillis, 1_000));
        return config;
    }

    /** How to reach this broker as its super user (PLAINTEXT without a login on an insecure broker). */
    public KafkaConnection adminConnection() {
        return adminLogin == null
                ? KafkaConnection.insecure(bootstrapServers())
                : KafkaConnection.scram(bootstrapServers(), adminLogin);
    }

    /** How to reach this broker with another login (ignored on an insecure broker). */
    public KafkaConnection connection(KafkaLogin login) {
        return adminConnection().as(login);
    }

    /** Whether this broker authenticates and authorizes (false only when started {@code insecure}). */
    public boolean isSecure() {
        return adminLogin != null;
    }

    /** An Admin session as the super user, to create logins, ACLs and topics; close it. */
    public KafkaAccess access() {
        return KafkaAccess.open(adminConnection());
    }

    /** {@code 127.0.0.1:<port>}: the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path workDir() {
        return workDir;
    }

    /** The broker's log file ({@code <workDir>/kafka.log}). */
    public Path logFile() {
        return logFile;
    }

    public String clusterId() {
        return clusterId;
    }

    /** Pid of the broker JVM. */
    public long pid() {
        return pid;
    }

    /** Start time of the broker JVM (epoch ms), recorded to recognise the pid later. */
    long startMillis() {
        return startMillis;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Completes when the broker process exits, whatever the reason. */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return exit;
    }

    /** Creates topics with the broker's default partition count (3); existing topics are kept. */
    public void createTopics(String... names) {
        createTopics(3, names);
    }

    /** Creates topics with {@code partitions} partitions each; existing topics are kept. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (KafkaAccess access = access()) {
            access.createTopics(topics);
        }
    }

    /**
     * Stops the broker: SIGTERM (a clean shutdown, ~1-3 s), and SIGKILL if it is still running
     * after 30 s. Idempotent; keeps the work directory.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long t0 = System.nanoTime();
        boolean gone = Procs.terminate(process.toHandle(), Duration.ofSeconds(30));
        try {
            parentLink.close();
        } catch (IOException ignored) {
            // the broker is gone; nothing to close cleanly
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        LOG.info(
                "Kafka broker {} {} in {} ms",
                bootstrapServers(),
                gone ? "stopped" : "did not stop",
                (System.nanoTime() - t0) / 1_000_000);
        process = null;
    }

    /**
     * Kills the broker at once (SIGKILL: no clean shutdown, nothing flushed beyond what Kafka already wrote), as a
     * crash would. Idempotent; keeps the work directory.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            parentLink.close();
        } catch (IOException ignored) {
            // the broker is gone
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        LOG.info("Kafka broker {} killed", bootstrapServers());
        process = null;
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping Kafka broker failed", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", controller 127.0.0.1:" + controllerPort + ", dir " + workDir
                + "]";
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
