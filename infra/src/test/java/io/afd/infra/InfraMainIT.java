package io.afd.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `up` forks a real background JVM that owns a broker and PostgreSQL; `status`, `env`, `down`. */
class InfraMainIT {

    @TempDir
    Path dir;

    private record Result(int rc, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new InfraMain(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
        Result r = new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.print(r.out);
        System.out.print(r.err);
        return r;
    }

    @Test
    void upStatusEnvDownRoundTrip() throws Exception {
        String d = dir.toString();
        long t0 = System.nanoTime();
        Result up = run("up", "--dir", d, "--kafka-port", "0", "--timeout", "90");
        System.out.println("[measure] InfraMain up (background JVM, Kafka + PostgreSQL): "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(0, up.rc, up.err + "\n" + Procs.tail(dir.resolve("serve.log"), 40));
        assertTrue(up.out.contains("Kafka bootstrap servers : 127.0.0.1:"), up.out);
        assertTrue(up.out.contains("PostgreSQL JDBC URL     : jdbc:postgresql://"), up.out);

        InfraState state = InfraState.read(dir).orElseThrow();
        long servePid = state.getLong("servePid");
        long kafkaPid = state.getLong("kafkaPid");
        try {
            assertEquals("running", state.get("state"));
            assertTrue(ProcessHandle.of(servePid).isPresent(), "serve process not alive");
            assertTrue(ProcessHandle.of(kafkaPid).isPresent(), "broker not alive");
            assertTrue(
                    ProcessHandle.current().children().noneMatch(p -> p.pid() == kafkaPid),
                    "broker must not be our child");
            // secure by default: the super user's password file, owner-only; a service login from kafka-login
            Path adminFile = Path.of(state.get("kafkaAdminPasswordFile"));
            assertEquals(
                    "rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(
                            java.nio.file.Files.getPosixFilePermissions(adminFile)));
            Result login = run("kafka-login", "--dir", d, "--service", "aggregator");
            assertEquals(0, login.rc, login.out);
            String password = login.out
                    .lines()
                    .filter(l -> l.startsWith("export AFD_KAFKA_PASSWORD="))
                    .findFirst()
                    .orElseThrow()
                    .replaceAll(".*='(.*)'", "$1");
            io.afd.kafka.KafkaConnection aggregator = io.afd.kafka.KafkaConnection.scram(
                    state.get("kafkaBootstrap"), io.afd.kafka.KafkaLogin.scram("afd-aggregator", password));
            try (Admin admin = Admin.create(aggregator.clientProperties())) {
                admin.listTopics().names().get(20, TimeUnit.SECONDS);
            }
            assertEquals(null, Postgres.ping(state.get("jdbcUrl"), state.get("username"), state.get("password")));

            Result status = run("status", "--dir", d);
            assertEquals(0, status.rc, status.out);
            assertTrue(
                    status.out.contains(state.get("kafkaBootstrap")) && status.out.contains(state.get("jdbcUrl")),
                    status.out);

            Result env = run("env", "--dir", d);
            assertEquals(0, env.rc);
            assertTrue(env.out.contains("export AFD_KAFKA_BOOTSTRAP='" + state.get("kafkaBootstrap") + "'"), env.out);
            assertTrue(env.out.contains("export QUARKUS_DATASOURCE_JDBC_URL='" + state.get("jdbcUrl") + "'"), env.out);

            Result again = run("up", "--dir", d, "--kafka-port", "0");
            assertEquals(0, again.rc);
            assertTrue(again.out.contains("already running"), again.out);
            assertEquals(servePid, InfraState.read(dir).orElseThrow().getLong("servePid"));
        } finally {
            long s0 = System.nanoTime();
            Result down = run("down", "--dir", d);
            System.out.println("[measure] InfraMain down: " + (System.nanoTime() - s0) / 1_000_000 + " ms");
            assertEquals(0, down.rc, down.err);
        }
        assertFalse(ProcessHandle.of(servePid).map(ProcessHandle::isAlive).orElse(false), "serve still alive");
        assertTrue(waitGone(kafkaPid), "broker still alive");
        assertFalse(Files.exists(dir.resolve(InfraState.FILE)));
        assertTrue(
                Files.readString(dir.resolve("serve.log")).contains("stopped in"),
                Procs.tail(dir.resolve("serve.log"), 30));
        assertEquals(InfraMain.NOT_RUNNING, run("status", "--dir", d).rc);
        assertEquals(0, run("down", "--dir", d).rc); // idempotent
    }

    @Test
    void rejectsBadOptions() {
        assertEquals(InfraMain.USAGE, run("up", "--pg", "sqlite").rc);
        assertEquals(InfraMain.USAGE, run("up", "--kafka-port", "70000").rc);
        assertEquals(InfraMain.USAGE, run("frobnicate").rc);
        assertEquals(InfraMain.OK, run("--help").rc);
    }

    @Test
    void stateFileRoundTripsStringsAndNumbers() {
        InfraState s = InfraState.empty()
                .with("a", "x\"y\\z\n")
                .with("n", 42L)
                .with("p", "0123")
                .with("b", true);
        InfraState back = InfraState.parse(s.toJson());
        assertEquals("x\"y\\z\n", back.get("a"));
        assertEquals(42L, back.getLong("n"));
        assertEquals("0123", back.get("p"));
        assertTrue(s.toJson().contains("\"p\": \"0123\""), "strings stay strings");
        assertEquals("true", back.get("b"));
        assertEquals("", back.get("missing"));
    }

    private static boolean waitGone(long pid) {
        return ProcessHandle.of(pid)
                .map(h -> Procs.waitFor(h, Duration.ofSeconds(20)))
                .orElse(true);
    }
}
