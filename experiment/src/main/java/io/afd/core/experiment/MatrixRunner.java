package io.afd.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.data.FederatedDataset;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.MetricsWriter;
import io.afd.core.sim.RoundMetrics;
import io.afd.core.sim.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Runs a matrix's cells one after another with the {@link Simulator}, each into
 * {@code <out>/<cell name>/} through a {@link MetricsWriter} ({@code metrics.csv},
 * {@code metrics.json}, {@code scoremaps.jsonl}, {@code final-model.afdt}).
 *
 * <p><b>Resumable.</b> A cell is finished when its {@code metrics.json} exists and parses as a
 * complete metrics document ({@link #isFinished(Path)}); finished cells are skipped.
 * {@code MetricsWriter} writes {@code metrics.json} only after the last round, so a cell that was
 * interrupted (its CSV exists but not its JSON, or its JSON is truncated) is deleted and rerun
 * from scratch. A finished cell whose recorded config differs from the matrix's (the matrix file
 * was edited; compared on the cell's {@code experiment.yaml}, which the runner writes into the cell
 * directory and which {@code afd simulate --config} can rerun alone) is an error rather than a
 * silent mix of old and new results.
 *
 * <p>{@code <out>/matrix.json} ({@link MatrixRecord}) is (re)written before the first cell runs. A
 * file lock on {@code <out>/.afd-experiment.lock} keeps two runners off the same directory.
 * Consecutive cells that share a dataset and seed share one loaded {@link FederatedDataset}.
 */
public final class MatrixRunner {

    /** Progress callbacks; all optional. {@code index} is the cell's 0-based position. */
    public interface Listener {
        default void onMatrixStart(List<Cell> cells, int alreadyFinished) {}

        default void onCellSkipped(int index, Cell cell) {}

        default void onCellStart(int index, Cell cell) {}

        default void onRound(int index, Cell cell, RoundMetrics metrics) {}

        default void onCellDone(int index, Cell cell, Simulator.Result result) {}
    }

    /** What a run did. */
    public record Outcome(int ran, int skipped) {}

    /**
     * One of {@code count} disjoint parts of a matrix: the cells whose index (in {@link MatrixSpec#cells()} order)
     * is {@code index} modulo {@code count}. Round-robin spreads each setting's cells over the shards, so shards take
     * about the same time. Shards run on separate machines (a Kubernetes Indexed Job, one pod per index) into
     * directories of their own, or into one shared directory; {@link #merge} puts them together for the report.
     */
    public record Shard(int index, int count) {
        public static final Shard ALL = new Shard(0, 1);

        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException(
                        "shard " + index + "/" + count + ": need 0 <= index < count (e.g. 0/4 .. 3/4)");
            }
        }

        /** {@code "i/n"}, e.g. {@code 2/8}. */
        public static Shard parse(String text) {
            String[] p = text.split("/", -1);
            try {
                if (p.length == 2) {
                    return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("shard '" + text + "': expected INDEX/COUNT, e.g. 0/4");
        }

        public boolean contains(int cellIndex) {
            return cellIndex % count == index;
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** What {@link #merge} found: cells copied, cells already in the output, cells no shard has finished. */
    public record Merge(int copied, int present, List<String> missing) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cell's experiment YAML, written into its directory before it runs. */
    public static final String EXPERIMENT_FILE = "experiment.yaml";

    /** Held (OS file lock) while a runner works on an output directory; released if the process dies. */
    public static final String LOCK_FILE = ".afd-experiment.lock";

    private final MatrixSpec spec;
    private final Path out;
    private ExperimentConfig.DatasetConfig cachedDataConfig;
    private long cachedSeed;
    private FederatedDataset cachedData;

    public MatrixRunner(MatrixSpec spec, Path out) {
        this.spec = spec;
        this.out = out;
    }

    /** The directory of a cell. */
    public Path cellDir(Cell c) {
        return out.resolve(c.name());
    }

    /** True when {@code dir/metrics.json} exists and is a complete metrics document. */
    public static boolean isFinished(Path dir) {
        return readFinished(dir) != null;
    }

    private static JsonNode readFinished(Path dir) {
        Path f = dir.resolve("metrics.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode d = JSON.readTree(f.toFile());
            if (d == null
                    || !d.path("config").isObject()
                    || !d.path("summary").isObject()
                    || !d.path("rounds").isArray()
                    || d.path("rounds").isEmpty()) {
                return null;
            }
            return d;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Runs every unfinished cell.
     *
     * @param command the command line, recorded in {@code matrix.json}
     */
    public Outcome run(String command, Listener listener) throws IOException {
        return run(command, listener, Shard.ALL);
    }

    /**
     * Runs every unfinished cell of {@code shard}; the cells of other shards are neither run nor touched. Shards
     * sharing one output directory each hold a lock of their own.
     */
    public Outcome run(String command, Listener listener, Shard shard) throws IOException {
        Files.createDirectories(out);
        String lockName = shard.count() == 1 ? LOCK_FILE : LOCK_FILE + "." + shard.index() + "-of-" + shard.count();
        try (FileChannel ch =
                FileChannel.open(out.resolve(lockName), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("another 'afd experiment' is running on " + out + " (it holds "
                        + out.resolve(lockName) + "); wait for it or use another --out");
            }
            try {
                return runLocked(command, listener, shard);
            } finally {
                lock.release();
            }
        }
    }

    private Outcome runLocked(String command, Listener listener, Shard shard) throws IOException {
        List<Cell> cells = spec.cells();
        List<Cell> mine = new ArrayList<>();
        int finished = 0;
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            if (!shard.contains(i)) {
                continue;
            }
            mine.add(c);
            JsonNode done = readFinished(cellDir(c));
            if (done != null) {
                checkSameConfig(c, done);
                finished++;
            }
        }
        MatrixRecord.of(spec, command).write(out.resolve(MatrixRecord.FILE));
        listener.onMatrixStart(mine, finished);
        int ran = 0;
        int skipped = 0;
        for (int i = 0; i < cells.size(); i++) {
            if (!shard.contains(i)) {
                continue;
            }
            Cell c = cells.get(i);
            Path dir = cellDir(c);
            if (isFinished(dir)) {
                skipped++;
                listener.onCellSkipped(i, c);
                continue;
            }
            deleteRecursively(dir);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(EXPERIMENT_FILE), experimentYaml(c), StandardCharsets.UTF_8);
            listener.onCellStart(i, c);
            Simulator.Result r = runCell(i, c, dir, listener);
            ran++;
            listener.onCellDone(i, c, r);
        }
        return new Outcome(ran, skipped);
    }

    /**
     * Puts shards' results together in this runner's output directory: every cell finished in one of
     * {@code shardDirs} and not yet here is copied (its recorded configuration must be this matrix's, or the merge
     * stops naming the cell), then {@code matrix.json} is written. Cells no shard finished are listed; {@code afd
     * report} reports what is there.
     */
    public Merge merge(String command, List<Path> shardDirs) throws IOException {
        Files.createDirectories(out);
        int copied = 0;
        int present = 0;
        List<String> missing = new ArrayList<>();
        for (Cell c : spec.cells()) {
            JsonNode here = readFinished(cellDir(c));
            if (here != null) {
                checkSameConfig(c, here);
                present++;
                continue;
            }
            Path from = null;
            for (Path d : shardDirs) {
                JsonNode done = readFinished(d.resolve(c.name()));
                if (done != null) {
                    checkSameConfig(c, done);
                    from = d.resolve(c.name());
                    break;
                }
            }
            if (from == null) {
                missing.add(c.name());
                continue;
            }
            Path to = cellDir(c);
            deleteRecursively(to);
            Path tmp = out.resolve(c.name() + ".merging");
            deleteRecursively(tmp);
            copyRecursively(from, tmp);
            Files.move(tmp, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            copied++;
        }
        MatrixRecord.of(spec, command).write(out.resolve(MatrixRecord.FILE));
        return new Merge(copied, present, List.copyOf(missing));
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private Simulator.Result runCell(int index, Cell c, Path dir, Listener listener) {
        ExperimentConfig cfg = c.config();
        FederatedDataset data = data(cfg);
        MetricsWriter writer = new MetricsWriter(dir);
        Simulator.Listener l = new Simulator.Listener() {
            @Override
            public void onStart(ExperimentConfig config, FederatedDataset d, ModelSpec model) {
                writer.onStart(config, d, model);
            }

            @Override
            public void onRound(RoundMetrics m, List<ScoreUpdate> u, Map<String, ScoreMap> maps) {
                writer.onRound(m, u, maps);
                listener.onRound(index, c, m);
            }
        };
        Simulator.Result r = new Simulator(cfg).run(data, l);
        writer.finish(r);
        return r;
    }

    private FederatedDataset data(ExperimentConfig cfg) {
        if (cachedData == null || !Objects.equals(cachedDataConfig, cfg.dataset()) || cachedSeed != cfg.seed()) {
            cachedData = null; // let the old one go before loading the next
            cachedData = DataLoader.load(cfg.dataset(), cfg.seed());
            cachedDataConfig = cfg.dataset();
            cachedSeed = cfg.seed();
        }
        return cachedData;
    }

    /** The cell's experiment as YAML, runnable on its own with {@code afd simulate --config}. */
    static String experimentYaml(Cell c) {
        return "# cell " + c.name()
                + " of an experiment matrix; rerun alone with: bin/afd simulate --config <this file>\n"
                + MatrixSpec.dump(c.experiment());
    }

    private void checkSameConfig(Cell c, JsonNode done) throws IOException {
        Path saved = cellDir(c).resolve(EXPERIMENT_FILE);
        if (Files.isRegularFile(saved)) {
            String old = Files.readString(saved, StandardCharsets.UTF_8);
            if (!old.equals(experimentYaml(c))) {
                throw new IllegalStateException("cell " + c.name() + ": " + saved + " differs from the matrix's "
                        + "experiment for this cell (was the matrix edited?); delete that directory to rerun it, "
                        + "or use another --out. Now:\n" + MatrixSpec.dump(c.experiment()));
            }
        }
        JsonNode want = JSON.valueToTree(c.config().describe());
        JsonNode got = done.path("config");
        for (var it = want.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            String w = want.get(k).asText();
            String g = got.path(k).asText();
            if (!w.equals(g)) {
                throw new IllegalStateException(
                        "cell " + c.name() + ": " + cellDir(c).resolve("metrics.json")
                                + " was produced with " + k + " = " + g + " but the matrix now says " + w
                                + "; delete that directory to rerun it, or use another --out");
            }
        }
    }

    private void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!dir.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())) {
            throw new IllegalStateException("refusing to delete " + dir + " outside " + out);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the partial cell " + dir, e);
        }
    }
}
