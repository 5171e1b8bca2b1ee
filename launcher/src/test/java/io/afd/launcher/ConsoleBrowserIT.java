package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.data.FederatedDataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.edge.Fleet;
import io.afd.edge.OrchestratorApi;
import io.afd.infra.testing.SharedInfra;
import io.afd.protocol.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser against the real suite: Debian's Chromium driven by playwright-core from npm
 * ({@code src/test/console/console-test.mjs}). It signs in (a wrong token first), creates an experiment from the form
 * starting from a template, starts it, watches rounds advance and the accuracy chart gain points, and opens the score
 * maps, the model versions (downloading one), the clients with the updates the aggregator rejected (the test puts
 * garbage on every topic first) and a phone-sized view. The screenshots are kept in {@code target/console-screenshots}.
 */
class ConsoleBrowserIT {
    private static final String YAML = SuiteEndToEndIT.YAML;

    /** The browser: {@code AFD_CHROMIUM}, else Debian's. */
    static Path chromium() {
        String env = System.getenv("AFD_CHROMIUM");
        Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
        assertTrue(
                Files.isExecutable(p),
                p
                        + " is missing: install Debian's chromium (apt-get install chromium; .ci/run does) or set AFD_CHROMIUM");
        return p;
    }

    /** The test script and playwright-core from npm, installed once into target/console-test. */
    static Path script() throws IOException, InterruptedException {
        Path src = Path.of("src", "test", "console").toAbsolutePath();
        Path dir = Path.of("target", "console-test").toAbsolutePath();
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "console-test.mjs")) {
            Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(dir.toFile())
                    .inheritIO()
                    .start();
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm install did not finish in 5 minutes");
            assertEquals(
                    0,
                    npm.exitValue(),
                    "npm install playwright-core failed (is npm installed and the registry reachable?)");
        }
        return dir.resolve("console-test.mjs");
    }

    @Test
    void anOperatorSignsInCreatesAndFollowsAnExperimentInTheBrowser() throws Exception {
        Path browser = chromium();
        Path script = script();
        SharedInfra infra = SharedInfra.get();
        String db = infra.createUniqueDatabase("console");
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "console");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
        try (SuiteLauncher suite = SuiteLauncher.start(
                infra.kafkaAdmin(),
                infra.jdbcUrl(db),
                infra.username(),
                infra.password(),
                SigningKey.generate().seedText(),
                infra.issuer(),
                PortRange.freeBase(15),
                Path.of("target", "console-logs"))) {
            OrchestratorApi api = new OrchestratorApi(suite.url("orchestrator"), suite.token("admin"));
            try (Fleet fleet = Fleet.start(data, api, null, Path.of("target", "console-keys", db), (c, o, ms) -> {})) {
                // garbage on every topic: the clients view must show the aggregator's rejections with their reasons
                Garbage.everywhere(infra.kafkaAdmin(), data.numClients());
                ProcessBuilder pb = new ProcessBuilder("node", script.toString()).inheritIO();
                pb.environment().put("AFD_CONSOLE_URL", suite.url("orchestrator"));
                pb.environment().put("AFD_TOKEN", suite.token("admin"));
                pb.environment().put("AFD_EXPERIMENT", "console-e2e");
                pb.environment().put("AFD_YAML", YAML);
                pb.environment().put("AFD_SCREENSHOTS", shots.toString());
                pb.environment().put("AFD_CHROMIUM", browser.toString());
                Process node = pb.start();
                boolean done = node.waitFor(8, TimeUnit.MINUTES);
                if (!done) {
                    node.destroyForcibly();
                }
                assertTrue(done, "the browser test did not finish in 8 minutes");
                assertEquals(0, node.exitValue(), "the browser test failed (see its output above)");
            }
            assertEquals(
                    "COMPLETED", api.experiment("console-e2e").path("status").asText());
        }
        for (String f : List.of(
                "experiments.png", "round-live.png", "experiment.png", "scoremaps.png", "clients.png", "phone.png")) {
            assertTrue(Files.size(shots.resolve(f)) > 10_000, f + " is missing or empty");
        }
    }
}
