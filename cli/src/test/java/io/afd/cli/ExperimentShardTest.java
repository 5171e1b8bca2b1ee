package io.afd.cli;

import static io.afd.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code afd experiment --shard i/n} and {@code --merge}: a matrix run as shards (in directories of their own, or in
 * one shared directory) and merged has every cell of the unsharded run with the same per-round results, bit for bit.
 */
class ExperimentShardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path matrix;
    static Path whole;

    @BeforeAll
    static void runTheWholeMatrix() throws Exception {
        matrix = tmp.resolve("tiny.yaml");
        Files.writeString(matrix, ExperimentReportCommandTest.TINY);
        whole = tmp.resolve("whole");
        assertTrue(run("experiment", "--matrix", matrix.toString(), "--out", whole.toString(), "-q")
                .startsWith("0\n"));
    }

    /** Each round's results of a cell: everything but the wall-clock times. */
    private static List<String> rounds(Path cell) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : JSON.readTree(cell.resolve("metrics.json").toFile()).path("rounds")) {
            var o = r.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) o)
                    .remove(List.of("trainMillis", "computeMillisMax", "wallMillis"));
            out.add(o.toString());
        }
        return out;
    }

    private static void assertSameCells(Path merged) throws Exception {
        for (String c : ExperimentReportCommandTest.CELLS) {
            assertTrue(Files.exists(merged.resolve(c).resolve("metrics.json")), c + " merged");
            assertEquals(rounds(whole.resolve(c)), rounds(merged.resolve(c)), c + ": the same rounds, bit for bit");
        }
    }

    @Test
    void shardsInTheirOwnDirectoriesMergeIntoTheWholeMatrix() throws Exception {
        List<String> dirs = new ArrayList<>();
        int cellsRun = 0;
        for (int i = 0; i < 3; i++) {
            Path d = tmp.resolve("shard-" + i);
            dirs.add(d.toString());
            String r =
                    run("experiment", "--matrix", matrix.toString(), "--out", d.toString(), "--shard", i + "/3", "-q");
            assertTrue(r.startsWith("0\n"), r);
            assertTrue(r.contains("(shard " + i + "/3 of the matrix's 4)"), r);
            try (var s = Files.list(d)) {
                cellsRun += (int)
                        s.filter(p -> Files.exists(p.resolve("metrics.json"))).count();
            }
        }
        assertEquals(4, cellsRun, "the shards are disjoint and cover the matrix (round-robin: 2, 1, 1)");

        Path merged = tmp.resolve("merged");
        List<String> args = new ArrayList<>(
                List.of("experiment", "--matrix", matrix.toString(), "--out", merged.toString(), "--merge"));
        args.addAll(dirs);
        String m = run(args.toArray(String[]::new));
        assertTrue(m.startsWith("0\n"), m);
        assertTrue(m.contains("merged 4 cells"), m);
        assertTrue(m.contains("0 of 4 missing"), m);
        assertSameCells(merged);
        String report =
                run("report", merged.toString(), "--out", tmp.resolve("report").toString());
        assertTrue(report.startsWith("0\n"), report);
    }

    @Test
    void shardsCanShareOneDirectoryAndAMissingShardIsNamed() throws Exception {
        Path shared = tmp.resolve("shared");
        String first =
                run("experiment", "--matrix", matrix.toString(), "--out", shared.toString(), "--shard", "0/2", "-q");
        assertTrue(first.startsWith("0\n"), first);

        // only shard 0 ran: merging it alone reports the other shard's cells as missing (exit 3)
        Path partial = tmp.resolve("partial");
        String m = run(
                "experiment", "--matrix", matrix.toString(), "--out", partial.toString(), "--merge", shared.toString());
        assertTrue(m.startsWith("3\n"), m);
        assertTrue(m.contains("2 of 4 missing: synthetic-fedavg-dgc-d0-s1, synthetic-afd-single-dgc-d0.25-s1"), m);

        String second =
                run("experiment", "--matrix", matrix.toString(), "--out", shared.toString(), "--shard", "1/2", "-q");
        assertTrue(second.startsWith("0\n"), second);
        assertSameCells(shared);
    }

    @Test
    void aBadShardIsRefusedWithTheExpectedForm() {
        for (String bad : List.of("2/2", "-1/3", "1", "a/b", "0/0")) {
            String r = run(
                    "experiment",
                    "--matrix",
                    matrix.toString(),
                    "--out",
                    tmp.resolve("bad").toString(),
                    "--shard",
                    bad);
            assertFalse(r.startsWith("0\n"), bad + ": " + r);
            assertTrue(r.contains("shard"), bad + ": " + r);
        }
    }
}
