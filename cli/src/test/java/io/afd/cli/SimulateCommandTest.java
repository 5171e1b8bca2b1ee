package io.afd.cli;

import static io.afd.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @Test
    void simulateWritesMetricsAndPrintsASummary(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, """
                dataset: {kind: synthetic, clients: 6, maxSamplesPerClient: 60}
                model: mlp(in=60,hidden=32,classes=10)
                rounds: 3
                clientsPerRound: 3
                strategy: {policy: afd-multi, dropoutRate: 0.5}
                dgc: {enabled: true, momentum: 0.5}
                """);
        String res = run(
                "simulate",
                "--config",
                cfg.toString(),
                "--out",
                dir.resolve("out").toString());
        assertTrue(res.startsWith("0\n"), res);
        assertTrue(res.contains("final test accuracy"), res);
        assertTrue(res.contains("3/3"), res);
        assertEquals(4, Files.readAllLines(dir.resolve("out/metrics.csv")).size());
        assertTrue(Files.exists(dir.resolve("out/metrics.json")));
    }

    @Test
    void threadsChangeTheSpeedNotTheModel(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, """
                dataset: {kind: synthetic, clients: 6, maxSamplesPerClient: 60}
                model: mlp(in=60,hidden=32,classes=10)
                rounds: 2
                clientsPerRound: 4
                strategy: {policy: afd-multi, dropoutRate: 0.5}
                dgc: {enabled: true, momentum: 0.5}
                """);
        for (String threads : new String[] {"1", "3"}) {
            String res = run(
                    "simulate",
                    "--config",
                    cfg.toString(),
                    "--threads",
                    threads,
                    "--out",
                    dir.resolve("t" + threads).toString());
            assertTrue(res.startsWith("0\n"), res);
        }
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("t1/final-model.afdt")),
                Files.readAllBytes(dir.resolve("t3/final-model.afdt")));
        String bad = run("simulate", "--config", cfg.toString(), "--threads", "0");
        assertTrue(bad.startsWith("1\n"), bad);
        assertTrue(bad.contains("--threads must be >= 1"), bad);
    }

    @Test
    void badConfigFailsWithTheSettingNamed(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(
                cfg, "dataset: {kind: synthetic}\nmodel: mlp(in=60,hidden=32,classes=10)\nstrategy: {policy: afd}\n");
        String res = run(
                "simulate",
                "--config",
                cfg.toString(),
                "--out",
                dir.resolve("out").toString());
        assertTrue(res.startsWith("1\n"), res);
        assertTrue(res.contains("unknown policy 'afd'"), res);
        String missing = run("simulate", "--config", dir.resolve("nope.yaml").toString());
        assertTrue(missing.startsWith("1\n"), missing);
        assertTrue(missing.contains("nope.yaml"), missing);
    }
}
