package io.afd.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Kafka broker and a PostgreSQL started together (in parallel) and stopped together: what
 * {@code InfraMain serve} runs and what {@link io.afd.infra.testing.SharedInfra} holds.
 *
 * <p>Layout under {@code dir}: {@code kafka/} ({@link KafkaBroker}), {@code postgres/}
 * ({@link Postgres}, embedded only).
 */
public final class InfraStack implements AutoCloseable {

    private volatile KafkaBroker kafka;
    private final Postgres postgres;
    private final long kafkaMillis;
    private final long postgresMillis;
    private Builder builder;

    private InfraStack(KafkaBroker kafka, Postgres postgres, long kafkaMillis, long postgresMillis) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.kafkaMillis = kafkaMillis;
        this.postgresMillis = postgresMillis;
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Options of both servers. */
    public static final class Builder {
        private final Path dir;
        private boolean kafka = true;
        private int kafkaPort;
        private boolean kafkaInsecure;
        private int controllerPort;
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
        private Postgres.Mode postgresMode = Postgres.Mode.AUTO;
        private int postgresPort;
        private String database = Postgres.DEFAULT_DATABASE;
        private boolean persistent;

        private Builder(Path dir) {
            this.dir = dir.toAbsolutePath().normalize();
        }

        /** Start a broker (default true). */
        public Builder kafka(boolean kafka) {
            this.kafka = kafka;
            return this;
        }

        /** Broker client and controller ports; 0 (default) picks free ones. */
        public Builder kafkaPorts(int port, int controllerPort) {
            this.kafkaPort = port;
            this.controllerPort = controllerPort;
            return this;
        }

        /** An insecure broker (PLAINTEXT, no ACLs): development only, logged (default false: SASL/SCRAM + ACLs). */
        public Builder kafkaInsecure(boolean insecure) {
            this.kafkaInsecure = insecure;
            return this;
        }

        public Builder kafkaProperty(String key, String value) {
            kafkaProperties.put(key, value);
            return this;
        }

        /** How to get PostgreSQL; null = none. Default {@link Postgres.Mode#AUTO}. */
        public Builder postgres(Postgres.Mode mode) {
            this.postgresMode = mode;
            return this;
        }

        /** Port of an embedded PostgreSQL; 0 (default) picks a free one. */
        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        /** Database created if missing; default {@code afd}. */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** Keep Kafka data and embedded PostgreSQL data across restarts (default false: fresh each start). */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** Starts both, in parallel; if one fails the other is stopped and the error rethrown. */
        public InfraStack start() {
            CompletableFuture<Timed<Postgres>> pg = postgresMode == null
                    ? CompletableFuture.completedFuture(new Timed<>(null, 0))
                    : CompletableFuture.supplyAsync(
                            () -> Timed.of(() -> Postgres.builder(dir.resolve("postgres"))
                                    .mode(postgresMode)
                                    .database(database)
                                    .embeddedPort(postgresPort)
                                    .persistent(persistent)
                                    .start()),
                            Builder::runOnNewThread);
            Timed<KafkaBroker> broker;
            try {
                broker = kafka ? Timed.of(this::startKafka) : new Timed<>(null, 0);
            } catch (RuntimeException e) {
                pg.thenAccept(t -> {
                    if (t.value != null) {
                        t.value.stop();
                    }
                });
                throw e;
            }
            try {
                Timed<Postgres> p = pg.join();
                InfraStack stack = new InfraStack(broker.value, p.value, broker.millis, p.millis);
                stack.builder = this;
                return stack;
            } catch (CompletionException e) {
                if (broker.value != null) {
                    broker.value.stop();
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        /** The same broker settings on fixed ports, keeping its data (a restart). */
        KafkaBroker.Builder kafkaOn(int port, int controllerPort) {
            KafkaBroker.Builder b = KafkaBroker.builder(dir.resolve("kafka"))
                    .port(port)
                    .controllerPort(controllerPort)
                    .insecure(kafkaInsecure)
                    .freshData(false);
            kafkaProperties.forEach(b::property);
            return b;
        }

        private KafkaBroker startKafka() {
            KafkaBroker.Builder b = KafkaBroker.builder(dir.resolve("kafka"))
                    .port(kafkaPort)
                    .controllerPort(controllerPort)
                    .insecure(kafkaInsecure)
                    .freshData(!persistent);
            kafkaProperties.forEach(b::property);
            return b.start();
        }

        private static void runOnNewThread(Runnable r) {
            Thread t = new Thread(r, "afd-infra-postgres-start");
            t.setDaemon(true);
            t.start();
        }
    }

    private record Timed<T>(T value, long millis) {
        static <T> Timed<T> of(java.util.function.Supplier<T> s) {
            long t0 = System.nanoTime();
            T v = s.get();
            return new Timed<>(v, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** The broker, or null when started without Kafka. */
    public KafkaBroker kafka() {
        return kafka;
    }

    /**
     * A broker crash: SIGKILL, {@code downtime} without a broker, then a new one on the same ports and data (its
     * logins, ACLs, topics and committed offsets kept). Returns when it serves requests again.
     */
    public synchronized KafkaBroker crashAndRestartKafka(java.time.Duration downtime) {
        KafkaBroker old = kafka;
        if (old == null) {
            throw new IllegalStateException("no broker was started");
        }
        old.kill();
        try {
            Thread.sleep(downtime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kafka = builder.kafkaOn(old.port(), old.controllerPort()).start();
        return kafka;
    }

    /** PostgreSQL, or null when started without it. */
    public Postgres postgres() {
        return postgres;
    }

    /** Milliseconds the broker took to become ready (0 without Kafka). */
    public long kafkaStartMillis() {
        return kafkaMillis;
    }

    /** Milliseconds PostgreSQL took to become ready (0 without it). */
    public long postgresStartMillis() {
        return postgresMillis;
    }

    /** Stops the broker, then an embedded PostgreSQL. Idempotent. */
    public void stop() {
        RuntimeException first = null;
        if (kafka != null) {
            try {
                kafka.stop();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        if (postgres != null) {
            try {
                postgres.stop();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
