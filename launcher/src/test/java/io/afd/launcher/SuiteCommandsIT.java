package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.infra.Layout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The README's standing-suite commands, run as written through {@code bin/afd}: {@code up}, {@code status}, a
 * {@code fleet} run, {@code down}, and a second {@code up} that still has the first run's experiment and clients.
 */
class SuiteCommandsIT {
    private static final Path REPO = Layout.repoRoot().orElseThrow();
    private static final Path DIR = REPO.resolve("launcher/target/suite-it");
    private static final String DB = "afd_suite_it_" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String out) {}

    private static Result afd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("bin/afd").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AFD_SUITE_DIR", DIR.toString());
        env.put("AFD_AUTH_DIR", DIR.resolve("auth").toString());
        env.put("AFD_SUITE_DB", DB);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/afd " + String.join(" ", args) + " did not finish:\n" + out);
        }
        System.out.println("$ bin/afd " + String.join(" ", args) + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void upFleetDownAndUpAgainKeepTheExperiments() throws Exception {
        String base = Integer.toString(PortRange.freeBase(20));
        String config =
                REPO.resolve("launcher/src/test/resources/suite-it.yaml").toString();
        Result up = afd("up", "--base-port", base);
        assertEquals(0, up.code(), up.out());
        assertTrue(up.out().contains("The suite is up") && up.out().contains("bin/afd token --role"), up.out());
        assertEquals(0, afd("status").code());
        assertEquals(0, afd("up", "--base-port", base).code(), "a second up finds it running");

        Result fleet = afd("fleet", "--config", config, "--clients", "4", "--experiment-id", "suite-it-1");
        assertEquals(0, fleet.code(), fleet.out());
        assertTrue(fleet.out().contains("COMPLETED"), fleet.out());

        Result down = afd("down");
        assertEquals(0, down.code(), down.out());
        assertEquals(3, afd("status").code(), "down means not running");

        assertEquals(0, afd("up", "--base-port", base).code());
        String url = "http://127.0.0.1:" + base;
        String viewer = afd("token", "--role", "viewer").out().trim();
        JsonNode exp = get(url + "/api/experiments/suite-it-1", viewer);
        assertEquals("COMPLETED", exp.path("status").asText(), exp.toString());
        JsonNode clients = get(url + "/api/clients", viewer);
        assertEquals(4, clients.size(), clients.toString());

        // the same clients (keys and Kafka logins kept in the suite's key directory) run a second experiment
        Result again = afd("fleet", "--config", config, "--clients", "4", "--experiment-id", "suite-it-2");
        assertEquals(0, again.code(), again.out());
        assertEquals(
                exp.path("lastAccuracy").asDouble(),
                get(url + "/api/experiments/suite-it-2", viewer)
                        .path("lastAccuracy")
                        .asDouble(),
                "same config, same clients, same bits");

        // one edge client as its own process: an admin registers it, it enrols its own key, then serves
        String admin = afd("token", "--role", "admin").out().trim();
        HttpResponse<String> reg = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/api/clients"))
                                .header("Authorization", "Bearer " + admin)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"id\":\"client-00009\",\"numSamples\":100}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(201, reg.statusCode(), reg.body());
        String token = JSON.readTree(reg.body()).path("enrolmentToken").asText();
        Result enrol = afd("client", "enrol", "--id", "client-00009", "--token", token);
        assertEquals(0, enrol.code(), enrol.out());
        assertTrue(Files.isRegularFile(DIR.resolve("edge-keys/client-00009.kafka")), "its Kafka login is kept");
        ProcessBuilder run = new ProcessBuilder(
                        REPO.resolve("bin/afd").toString(), "client", "run", "--id", "client-00009", "--config", config)
                .directory(REPO.toFile())
                .redirectErrorStream(true);
        run.environment().put("AFD_SUITE_DIR", DIR.toString());
        Process client = run.start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream()))) {
            String line;
            boolean serving = false;
            while (!serving && (line = lines.readLine()) != null) {
                System.out.println("client-00009: " + line);
                serving = line.contains("reading afd.tasks.client-00009");
            }
            assertTrue(serving, "the client started");
            // and it joined its own consumer group, logged in as itself (asked as the broker's super user)
            io.afd.kafka.KafkaConnection superUser = io.afd.kafka.KafkaConnection.scram(
                    "127.0.0.1:" + (Integer.parseInt(base) + 19),
                    io.afd.kafka.KafkaLogin.scram(
                            "admin",
                            Files.readString(DIR.resolve("infra/kafka/admin.password"))
                                    .trim()));
            try (var kafka = org.apache.kafka.clients.admin.Admin.create(superUser.clientProperties())) {
                int members = 0;
                long end = System.nanoTime() + 60_000_000_000L;
                while (members == 0 && System.nanoTime() < end) {
                    try {
                        members = kafka.describeConsumerGroups(List.of("afd.edge.client-00009"))
                                .all()
                                .get()
                                .get("afd.edge.client-00009")
                                .members()
                                .size();
                    } catch (java.util.concurrent.ExecutionException notYet) {
                        // GroupIdNotFoundException until the client has joined
                    }
                    Thread.sleep(500);
                }
                assertEquals(1, members, "client-00009 is a member of its own group");
            }
        } finally {
            client.destroy();
            client.waitFor(20, TimeUnit.SECONDS);
        }
        assertEquals(0, afd("down").code());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        afd("down");
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + DB);
        } catch (java.sql.SQLException e) {
            // an embedded PostgreSQL: its data are under target/ and go with it
        }
        if (Files.exists(DIR)) {
            try (var paths = Files.walk(DIR)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
