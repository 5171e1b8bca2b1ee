package io.afd.cli;

import static io.afd.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code afd experiment} and {@code afd report} on a tiny matrix (2 policies x 2 compressions, 3 rounds). */
class ExperimentReportCommandTest {

    static final String TINY = """
            name: tiny
            base:
              dataset: {kind: synthetic, clients: 4, maxSamplesPerClient: 40}
              model: mlp(in=60,hidden=16,classes=10)
              rounds: 3
              clientsPerRound: 2
              train: {epochs: 1, batchSize: 10, learningRate: 0.05}
              dgc: {momentum: 0.5, denseBelow: 100}
            policies: [fedavg, afd-single]
            compression: [none, dgc]
            seeds: [1]
            """;
    static final List<String> CELLS = List.of(
            "synthetic-fedavg-none-d0-s1",
            "synthetic-fedavg-dgc-d0-s1",
            "synthetic-afd-single-none-d0.25-s1",
            "synthetic-afd-single-dgc-d0.25-s1");

    @TempDir
    static Path tmp;

    static Path out;
    static String firstRun;

    @BeforeAll
    static void runTheMatrixOnce() throws Exception {
        Path m = tmp.resolve("tiny.yaml");
        Files.writeString(m, TINY);
        out = tmp.resolve("runs");
        firstRun = run("experiment", "--matrix", m.toString(), "--out", out.toString());
    }

    @Test
    void experimentRunsEveryCellWithProgressAndResumes() throws Exception {
        assertTrue(firstRun.startsWith("0\n"), firstRun);
        assertTrue(firstRun.contains("4 cells, 0 already finished, 4 to run"), firstRun);
        assertTrue(firstRun.contains("[4/4] synthetic-afd-single-dgc-d0.25-s1: done"), firstRun);
        assertTrue(firstRun.contains("3/3 acc"), firstRun);
        assertTrue(firstRun.contains("4 cells run, 0 already finished"), firstRun);
        for (String c : CELLS) {
            assertTrue(Files.size(out.resolve(c).resolve("metrics.json")) > 0, c);
        }
        String again = run("experiment", "--matrix", tmp.resolve("tiny.yaml").toString(), "--out", out.toString());
        assertTrue(again.startsWith("0\n"), again);
        assertTrue(again.contains("0 cells run, 4 already finished"), again);
        assertTrue(again.contains("[1/4] synthetic-fedavg-none-d0-s1: finished earlier, skipped"), again);
        String list =
                run("experiment", "--matrix", tmp.resolve("tiny.yaml").toString(), "--out", out.toString(), "--list");
        assertTrue(list.contains("synthetic-afd-single-dgc-d0.25-s1  (finished)") && list.contains("4 cells"), list);
    }

    @Test
    void reportHasEveryCellTablesAndNonEmptyPngs() throws Exception {
        Path rep = tmp.resolve("report-ok");
        String res = run("report", out.toString(), "--out", rep.toString());
        assertTrue(res.startsWith("0\n"), res);
        String html = Files.readString(rep.resolve("index.html"));
        for (String c : CELLS) {
            assertTrue(html.contains(c), c);
        }
        assertTrue(html.contains("Time to target, slow-mobile"), html);
        assertTrue(html.contains("Final test accuracy"), html);
        assertTrue(html.contains("Bytes per client per round"), html);
        assertTrue(html.contains("bin/afd experiment --matrix"), "the producing command is shown");
        assertTrue(html.contains("policies: [fedavg, afd-single]"), "the matrix is shown");
        String md = Files.readString(rep.resolve("results.md"));
        assertTrue(md.contains("| afd-single + dgc"), md);
        List<Path> pngs;
        try (Stream<Path> s = Files.list(rep.resolve("fig"))) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        // round, bytes, 2 profiles; heatmaps: 2 AFD cells x 1 layer
        assertEquals(4 + 2, pngs.size(), pngs.toString());
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G'};
        for (Path p : pngs) {
            byte[] b = Files.readAllBytes(p);
            assertTrue(b.length > 2000, p + " is " + b.length + " bytes");
            assertArrayEquals(magic, Arrays.copyOf(b, 4), p.toString());
            // embedded (index.html is self-contained), named by its file in fig/
            String embedded = "src=\"data:image/png;base64,"
                    + java.util.Base64.getEncoder().encodeToString(b) + "\" data-file=\"fig/" + p.getFileName() + "\"";
            assertTrue(html.contains(embedded), p.toString());
        }
    }

    @Test
    void targetCanBeOverriddenAtReportTime() throws Exception {
        Path rep = tmp.resolve("report-50");
        String res = run("report", out.toString(), "--out", rep.toString(), "--target-fraction", "0.5");
        assertTrue(res.startsWith("0\n"), res);
        String html = Files.readString(rep.resolve("index.html"));
        assertTrue(
                html.contains("(50 % of FedAvg/none&#39;s final mean accuracy)")
                        || html.contains("(50 % of FedAvg/none's final mean accuracy)"),
                html);
        assertTrue(html.contains("--target-fraction 0.5"), "the report command is shown");
        String bad = run("report", out.toString(), "--out", rep.toString(), "--target-fraction", "1.5");
        assertTrue(bad.startsWith("1\n") && bad.contains("--target-fraction must be in (0,1]"), bad);
    }

    @Test
    void corruptMetricsFileIsNamedInTheError() throws Exception {
        Path copy = tmp.resolve("corrupt");
        copyTree(out, copy);
        Path bad = copy.resolve("synthetic-afd-single-none-d0.25-s1").resolve("metrics.json");
        String text = Files.readString(bad);
        Files.writeString(bad, text.substring(0, text.length() / 3));
        String res = run("report", copy.toString());
        assertTrue(res.startsWith("1\n"), res);
        assertTrue(res.contains("afd: " + bad), res);
        assertTrue(res.contains("corrupt or incomplete"), res);
    }

    @Test
    void badMatrixNamesFileAndKey() throws Exception {
        Path m = tmp.resolve("bad.yaml");
        Files.writeString(m, TINY.replace("compression: [none, dgc]", "compression: [none, dgc+q4]"));
        String res = run(
                "experiment",
                "--matrix",
                m.toString(),
                "--out",
                tmp.resolve("bad-out").toString());
        assertTrue(res.startsWith("1\n"), res);
        assertTrue(res.contains(m + ": compression[1]: unknown compression 'dgc+q4'"), res);
        String missing = run("report", tmp.resolve("nowhere").toString());
        assertTrue(missing.startsWith("1\n") && missing.contains("matrix.json not found"), missing);
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
