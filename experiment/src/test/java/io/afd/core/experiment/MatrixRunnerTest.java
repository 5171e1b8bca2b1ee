package io.afd.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.sim.RoundMetrics;
import io.afd.core.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixRunnerTest {

    static final String TINY = MatrixSpecTest.BASE + """
            policies: [fedavg, afd-single]
            compression: [none, dgc]
            seeds: [1]
            """;

    /** Records what the runner did. */
    static final class Recorder implements MatrixRunner.Listener {
        final List<String> started = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        int rounds;
        int finishedAtStart = -1;

        @Override
        public void onMatrixStart(List<Cell> cells, int alreadyFinished) {
            finishedAtStart = alreadyFinished;
        }

        @Override
        public void onCellSkipped(int index, Cell cell) {
            skipped.add(cell.name());
        }

        @Override
        public void onCellStart(int index, Cell cell) {
            started.add(cell.name());
        }

        @Override
        public void onRound(int index, Cell cell, RoundMetrics metrics) {
            rounds++;
        }

        @Override
        public void onCellDone(int index, Cell cell, Simulator.Result result) {
            assertEquals(cell.config().rounds(), result.rounds().size());
        }
    }

    @Test
    void runsEveryCellThenResumesSkippingFinishedOnesAndRerunningBrokenOnes(@TempDir Path out) throws Exception {
        MatrixSpec spec = MatrixSpec.parse(TINY, "tiny.yaml", "tiny");
        assertEquals(4, spec.cells().size());
        MatrixRunner runner = new MatrixRunner(spec, out);

        Recorder first = new Recorder();
        MatrixRunner.Outcome o1 = runner.run("afd experiment --matrix tiny.yaml", first);
        assertEquals(new MatrixRunner.Outcome(4, 0), o1);
        assertEquals(0, first.finishedAtStart);
        assertEquals(4 * 3, first.rounds);
        for (Cell c : spec.cells()) {
            Path d = out.resolve(c.name());
            assertTrue(Files.size(d.resolve("metrics.csv")) > 0, c.name());
            assertTrue(Files.size(d.resolve("metrics.json")) > 0, c.name());
            assertTrue(Files.exists(d.resolve("scoremaps.jsonl")), c.name());
            assertEquals(4, Files.readAllLines(d.resolve("metrics.csv")).size(), c.name());
            assertTrue(MatrixRunner.isFinished(d));
            // the cell's own experiment file parses back to the same config
            assertEquals(
                    c.config().describe(),
                    io.afd.core.sim.ExperimentConfig.load(d.resolve("experiment.yaml"))
                            .describe());
        }
        MatrixRecord rec = MatrixRecord.read(out.resolve("matrix.json"));
        assertEquals(
                spec.cells().stream().map(Cell::name).toList(),
                rec.cells().stream().map(MatrixRecord.CellInfo::name).toList());
        assertEquals("afd experiment --matrix tiny.yaml", rec.command());
        assertEquals(TINY, rec.sourceText());

        // second run: nothing to do, files untouched
        Path json0 = out.resolve(spec.cells().get(0).name()).resolve("metrics.json");
        FileTime t0 = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(json0, t0);
        Recorder second = new Recorder();
        assertEquals(new MatrixRunner.Outcome(0, 4), runner.run("again", second));
        assertEquals(4, second.finishedAtStart);
        assertEquals(0, second.rounds);
        assertTrue(second.started.isEmpty());
        assertEquals(t0, Files.getLastModifiedTime(json0));

        // an interrupted cell (csv but no json) and a truncated json are rerun from scratch
        Cell gone = spec.cells().get(1);
        Cell torn = spec.cells().get(3);
        Files.delete(out.resolve(gone.name()).resolve("metrics.json"));
        Path tornJson = out.resolve(torn.name()).resolve("metrics.json");
        String text = Files.readString(tornJson);
        Files.writeString(tornJson, text.substring(0, text.length() / 2));
        Files.writeString(out.resolve(gone.name()).resolve("stale.txt"), "left over");
        assertFalse(MatrixRunner.isFinished(out.resolve(gone.name())));
        assertFalse(MatrixRunner.isFinished(out.resolve(torn.name())));

        Recorder third = new Recorder();
        assertEquals(new MatrixRunner.Outcome(2, 2), runner.run("again", third));
        assertEquals(List.of(gone.name(), torn.name()), third.started);
        assertEquals(2 * 3, third.rounds);
        assertTrue(MatrixRunner.isFinished(out.resolve(gone.name())));
        assertTrue(MatrixRunner.isFinished(out.resolve(torn.name())));
        assertFalse(
                Files.exists(out.resolve(gone.name()).resolve("stale.txt")), "rerun starts from an empty directory");
        assertEquals(t0, Files.getLastModifiedTime(json0));
    }

    @Test
    void secondRunnerOnTheSameDirectoryIsRefused(@TempDir Path out) throws Exception {
        String one = MatrixSpecTest.BASE.replace("rounds: 3", "rounds: 1") + "policies: [fedavg]\n";
        MatrixSpec spec = MatrixSpec.parse(one, "one.yaml", "one");
        List<String> inner = new ArrayList<>();
        new MatrixRunner(spec, out).run("x", new MatrixRunner.Listener() {
            @Override
            public void onCellStart(int index, Cell cell) {
                IllegalStateException e = assertThrows(
                        IllegalStateException.class,
                        () -> new MatrixRunner(spec, out).run("y", new MatrixRunner.Listener() {}));
                inner.add(e.getMessage());
            }
        });
        assertEquals(1, inner.size());
        assertTrue(inner.get(0).contains("another 'afd experiment' is running on " + out), inner.get(0));
        // the lock is released at the end: a later run works
        assertEquals(
                new MatrixRunner.Outcome(0, 1), new MatrixRunner(spec, out).run("z", new MatrixRunner.Listener() {}));
    }

    @Test
    void editedMatrixDoesNotSilentlyMixWithOldResults(@TempDir Path out) throws Exception {
        String one = MatrixSpecTest.BASE.replace("rounds: 3", "rounds: 2") + "policies: [fedavg]\n";
        new MatrixRunner(MatrixSpec.parse(one, "one.yaml", "one"), out).run("x", new MatrixRunner.Listener() {});
        MatrixSpec edited = MatrixSpec.parse(one.replace("learningRate: 0.05", "learningRate: 0.1"), "one.yaml", "one");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> new MatrixRunner(edited, out).run("x", new MatrixRunner.Listener() {}));
        assertTrue(
                e.getMessage().contains("synthetic-fedavg-none-d0-s1")
                        && e.getMessage().contains("learningRate: 0.1"),
                e.getMessage());
        // an edit outside ExperimentConfig.describe() is caught too
        MatrixSpec edited2 = MatrixSpec.parse(one.replace("denseBelow: 100", "denseBelow: 200"), "one.yaml", "one");
        e = assertThrows(
                IllegalStateException.class,
                () -> new MatrixRunner(edited2, out).run("x", new MatrixRunner.Listener() {}));
        assertTrue(e.getMessage().contains("experiment.yaml differs"), e.getMessage());
    }
}
