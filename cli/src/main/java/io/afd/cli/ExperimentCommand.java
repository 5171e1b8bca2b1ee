package io.afd.cli;

import io.afd.core.experiment.Cell;
import io.afd.core.experiment.MatrixRunner;
import io.afd.core.experiment.MatrixSpec;
import io.afd.core.sim.RoundMetrics;
import io.afd.core.sim.Simulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code afd experiment}: runs an experiment matrix, resumable, one metrics directory per cell. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = {
            "Run an experiment matrix (policies x compression x seeds x settings, see "
                    + "examples/matrix-*.yaml) cell by cell with the in-process simulator. Resumable: cells whose "
                    + "metrics.json is complete are skipped, an interrupted cell is rerun from scratch. "
                    + "Then: afd report <out>."
        })
public final class ExperimentCommand implements Callable<Integer> {

    @Option(
            names = {"-m", "--matrix"},
            required = true,
            description = "Matrix YAML (see examples/matrix-*.yaml).")
    Path matrix;

    @Option(
            names = {"-o", "--out"},
            description = "Output directory (default: runs/<matrix name>).")
    Path out;

    @Option(names = "--list", description = "Only list the cells (and which are finished); run nothing.")
    boolean list;

    @Option(
            names = "--shard",
            paramLabel = "INDEX/COUNT",
            description = "Run only shard INDEX of COUNT (cells whose position modulo COUNT is INDEX), e.g. 0/8:"
                    + " one pod of a Kubernetes Indexed Job each (deploy/k8s/sweep). Then --merge.")
    String shard;

    @Option(
            names = "--merge",
            paramLabel = "DIR",
            arity = "1..*",
            description = "Run nothing: copy the cells the shards finished in these directories into --out, write"
                    + " its matrix.json, list what is missing. Then: afd report <out>.")
    List<Path> merge;

    @Option(
            names = {"-q", "--quiet"},
            description = "One line per cell, no per-round progress.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        MatrixSpec spec = MatrixSpec.load(matrix);
        Path dir = out != null ? out : Path.of("runs", spec.name());
        MatrixRunner runner = new MatrixRunner(spec, dir);
        List<Cell> cells = spec.cells();
        if (list) {
            for (Cell c : cells) {
                System.out.println(c.name() + (MatrixRunner.isFinished(runner.cellDir(c)) ? "  (finished)" : ""));
            }
            System.out.println(cells.size() + " cells");
            return 0;
        }
        if (merge != null) {
            if (shard != null) {
                throw new IllegalArgumentException("--merge puts shards together: it takes no --shard");
            }
            MatrixRunner.Merge m = runner.merge(
                    "bin/afd experiment --matrix " + matrix + " --out " + dir + " --merge "
                            + String.join(
                                    " ", merge.stream().map(Path::toString).toList()),
                    merge);
            System.out.printf(
                    Locale.ROOT,
                    "afd experiment: merged %d cells into %s (%d were there already), %d of %d missing%s%n"
                            + "Report: bin/afd report %s%n",
                    m.copied(),
                    dir,
                    m.present(),
                    m.missing().size(),
                    cells.size(),
                    m.missing().isEmpty() ? "" : ": " + String.join(", ", m.missing()),
                    dir);
            return m.missing().isEmpty() ? 0 : 3;
        }
        MatrixRunner.Shard part = shard == null ? MatrixRunner.Shard.ALL : MatrixRunner.Shard.parse(shard);
        String command =
                "bin/afd experiment --matrix " + matrix + " --out " + dir + (shard == null ? "" : " --shard " + part);
        Thread hook = new Thread(() -> System.err.println("\nafd experiment: interrupted; finished cells are kept in "
                + dir + ", the running one will be redone. Resume with: " + command));
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        MatrixRunner.Outcome o;
        try {
            o = runner.run(command, new Listener(cells.size()), part);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        System.out.printf(
                Locale.ROOT,
                "afd experiment: %d cells run, %d already finished, in %s. Results: %s%n"
                        + "Report: bin/afd report %s%n",
                o.ran(),
                o.skipped(),
                Progress.duration((System.nanoTime() - t0) / 1e9),
                dir,
                dir);
        return 0;
    }

    /** Progress: a line per cell (with the matrix ETA) and a bar per round. */
    private final class Listener implements MatrixRunner.Listener {
        private final int total;
        private int toRun;
        private int ran;
        private long runNanos;
        private long cellStart;
        private Progress bar;

        Listener(int total) {
            this.total = total;
        }

        @Override
        public void onMatrixStart(List<Cell> cells, int alreadyFinished) {
            toRun = cells.size() - alreadyFinished;
            System.err.printf(
                    Locale.ROOT,
                    "afd experiment: %s, %d cells%s, %d already finished, %d to run%n",
                    matrix,
                    cells.size(),
                    shard == null ? "" : " (shard " + shard + " of the matrix's " + total + ")",
                    alreadyFinished,
                    toRun);
        }

        @Override
        public void onCellSkipped(int index, Cell cell) {
            if (!quiet) {
                System.err.printf(
                        Locale.ROOT, "[%d/%d] %s: finished earlier, skipped%n", index + 1, total, cell.name());
            }
        }

        @Override
        public void onCellStart(int index, Cell cell) {
            cellStart = System.nanoTime();
            System.err.printf(
                    Locale.ROOT,
                    "[%d/%d] %s: %s, %s, %d rounds%n",
                    index + 1,
                    total,
                    cell.name(),
                    cell.config().model(),
                    cell.config().dataset().kind(),
                    cell.config().rounds());
            bar = new Progress(System.err, cell.config().rounds());
        }

        @Override
        public void onRound(int index, Cell cell, RoundMetrics m) {
            if (!quiet) {
                bar.step(
                        m.round() + 1,
                        String.format(
                                Locale.ROOT,
                                "acc %s down %s up %s",
                                Table.pct(m.testAccuracy()),
                                Table.bytes(m.bytesDownPerClient()),
                                Table.bytes(m.bytesUpPerClient())));
            }
        }

        @Override
        public void onCellDone(int index, Cell cell, Simulator.Result r) {
            long ns = System.nanoTime() - cellStart;
            runNanos += ns;
            ran++;
            double eta = (double) runNanos / ran * (toRun - ran) / 1e9;
            System.err.printf(
                    Locale.ROOT,
                    "[%d/%d] %s: done in %s, final accuracy %s; %d of %d to run left, eta %s%n",
                    index + 1,
                    total,
                    cell.name(),
                    Progress.duration(ns / 1e9),
                    Table.pct(r.last().testAccuracy()),
                    toRun - ran,
                    toRun,
                    Progress.duration(eta));
        }
    }
}
