package io.afd.core.experiment;

import io.afd.core.model.ModelSpec;
import io.afd.core.sim.RoundMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The numbers of a report, computed from a matrix output directory: curves averaged over seeds,
 * final accuracy, bytes, modelled time ({@link TimeModel}), time to a target accuracy with speed-ups
 * versus FedAvg, and a check of the issue's targets. No charts here (see the CLI's report command).
 *
 * <p><b>Target accuracy</b> per setting: {@code report.targetAccuracy} if the matrix sets it, else
 * {@code report.targetFraction} (default 0.95) times the mean over seeds of the final accuracy of
 * the setting's reference series, FedAvg without compression.
 *
 * <p><b>Time to target</b> of a run: the modelled time at the end of the first round whose test
 * accuracy is at least the target. <b>Speed-up</b> of a series: for each seed where both it and the
 * reference reached the target, reference time / its time; the table shows the mean ± std of these
 * paired ratios (runs with the same seed share data partition, initial model and client sampling).
 */
public final class Analysis {

    /** X axis of a curve. */
    public enum XAxis {
        ROUND,
        BYTES,
        TIME
    }

    /**
     * Mean (± std) over seeds of a y value at each round.
     *
     * @param x     x at each point (mean over seeds)
     * @param mean  mean y
     * @param std   std of y over seeds
     * @param seeds number of seeds
     */
    public record Curve(double[] x, double[] mean, double[] std, int seeds) {}

    /**
     * Time to target for one series and profile.
     *
     * @param reached seeds that reached the target
     * @param seeds   seeds run
     * @param rounds  rounds to target (1-based count) over reaching seeds
     * @param seconds modelled seconds to target over reaching seeds
     * @param speedup paired speed-up versus the reference
     */
    public record TimeToTarget(int reached, int seeds, Stat rounds, Stat seconds, Stat speedup) {}

    /**
     * One of the issue's targets, evaluated on one setting.
     *
     * @param target  what is checked
     * @param setting the setting
     * @param status  {@code met}, {@code missed} or {@code n/a}
     * @param detail  the measured numbers
     */
    public record TargetCheck(String target, String setting, String status, String detail) {}

    private final Path dir;
    private final MatrixRecord matrix;
    private final Map<String, CellResult> results = new LinkedHashMap<>();
    private final List<String> missing = new ArrayList<>();
    private final Map<String, Double> refCompute = new LinkedHashMap<>();

    private Analysis(Path dir, MatrixRecord matrix) {
        this.dir = dir;
        this.matrix = matrix;
    }

    /**
     * Reads {@code dir/matrix.json} and every finished cell's {@code metrics.json}. Cells without
     * metrics.json are listed by {@link #missing()}; a corrupt or incomplete metrics.json is an
     * error naming the file.
     */
    public static Analysis load(Path dir) {
        return load(dir, null);
    }

    /**
     * As {@link #load(Path)}, with the matrix's report settings replaced (e.g. another target).
     *
     * @param report replacement report settings, or null to keep the matrix's
     */
    public static Analysis load(Path dir, MatrixSpec.ReportSettings report) {
        MatrixRecord m = MatrixRecord.read(dir.resolve(MatrixRecord.FILE));
        if (report != null) {
            m = new MatrixRecord(
                    m.name(),
                    m.description(),
                    m.source(),
                    m.sourceText(),
                    m.command(),
                    m.created(),
                    m.computeMode(),
                    m.profiles(),
                    report,
                    m.cells());
        }
        Analysis a = new Analysis(dir, m);
        for (MatrixRecord.CellInfo c : m.cells()) {
            Path cd = dir.resolve(c.name());
            if (Files.exists(cd.resolve("metrics.json"))) {
                a.results.put(c.name(), CellResult.read(c, cd));
            } else {
                a.missing.add(c.name());
            }
        }
        if (a.results.isEmpty()) {
            throw new IllegalArgumentException("no finished cells under " + dir + " (none of the "
                    + m.cells().size() + " cells in " + dir.resolve(MatrixRecord.FILE) + " has a metrics.json)");
        }
        return a;
    }

    public Path dir() {
        return dir;
    }

    public MatrixRecord matrix() {
        return matrix;
    }

    public Map<String, CellResult> results() {
        return results;
    }

    public List<String> missing() {
        return missing;
    }

    /** Settings with at least one finished cell, in matrix order. */
    public List<String> settings() {
        Set<String> s = new LinkedHashSet<>();
        results.values().forEach(r -> s.add(r.info().setting()));
        return List.copyOf(s);
    }

    /** Series of a setting with at least one finished cell, in matrix order. */
    public List<Cell.SeriesKey> series(String setting) {
        Set<Cell.SeriesKey> s = new LinkedHashSet<>();
        results.values().stream()
                .filter(r -> r.info().setting().equals(setting))
                .forEach(r -> s.add(r.info().series()));
        return List.copyOf(s);
    }

    /** True when a setting has more than one non-zero dropout rate (labels then show the rate). */
    public boolean severalRates(String setting) {
        return series(setting).stream()
                        .mapToDouble(Cell.SeriesKey::dropoutRate)
                        .filter(r -> r > 0)
                        .distinct()
                        .count()
                > 1;
    }

    public List<CellResult> cells(Cell.SeriesKey k) {
        return results.values().stream()
                .filter(r -> r.info().series().equals(k))
                .toList();
    }

    /** A finished cell's config value as text (e.g. {@code model}, {@code partition}). */
    public String settingValue(String setting, String key) {
        return results.values().stream()
                .filter(r -> r.info().setting().equals(setting))
                .findFirst()
                .map(r -> r.config().path(key).asText(""))
                .orElse("");
    }

    /** Non-IID: any partition but iid, or Synthetic(α,β) (heterogeneous by construction). */
    public boolean nonIid(String setting) {
        return settingValue(setting, "dataset").equals("synthetic")
                || !settingValue(setting, "partition").equals("iid");
    }

    /** FedAvg without compression, the reference of a setting (null if the matrix has none). */
    public Cell.SeriesKey reference(String setting) {
        Cell.SeriesKey k = new Cell.SeriesKey(setting, "fedavg", "none", 0);
        return cells(k).isEmpty() ? null : k;
    }

    // ---- time model ----

    /** Training-FLOPs ratio of a cell's sub-model to the full model. */
    public static double flopsRatio(CellResult c) {
        ModelSpec full = ModelSpec.parse(c.config().path("model").asText());
        return TimeModel.flopsRatio(full, c.info().dropoutRate());
    }

    /** {@code C_ref} of a setting in seconds (see {@link TimeModel}). */
    public double referenceComputeSeconds(String setting) {
        return refCompute.computeIfAbsent(setting, s -> {
            Cell.SeriesKey ref = reference(s);
            List<CellResult> runs = ref != null
                    ? cells(ref)
                    : results.values().stream()
                            .filter(r -> r.info().setting().equals(s))
                            .toList();
            double[] ratios = runs.stream().mapToDouble(Analysis::flopsRatio).toArray();
            return TimeModel.referenceComputeSeconds(
                    runs.stream().map(CellResult::rounds).toList(), ratios);
        });
    }

    /** A round's compute seconds (before the profile's computeScale). */
    public double computeSeconds(CellResult c, int round) {
        return switch (matrix.computeMode()) {
            case MEASURED -> c.rounds().get(round).computeMillisMax() / 1000.0;
            case REFERENCE -> referenceComputeSeconds(c.info().setting()) * flopsRatio(c);
        };
    }

    public double[] cumulativeSeconds(CellResult c, BandwidthProfile p) {
        return TimeModel.cumulativeSeconds(c.rounds(), p, i -> computeSeconds(c, i));
    }

    /** Modelled seconds of one round, averaged over the run's rounds. */
    public Stat roundSeconds(Cell.SeriesKey k, BandwidthProfile p) {
        double[] v = cells(k).stream()
                .mapToDouble(c -> {
                    double[] t = cumulativeSeconds(c, p);
                    return t[t.length - 1] / t.length;
                })
                .toArray();
        return Stat.of(v);
    }

    // ---- curves ----

    /** Test accuracy against rounds, cumulative bytes per client, or modelled time (needs a profile). */
    public Curve accuracyCurve(Cell.SeriesKey k, XAxis axis, BandwidthProfile p) {
        List<CellResult> cs = cells(k);
        int n = cs.stream().mapToInt(c -> c.rounds().size()).max().orElse(0);
        List<double[]> xs = new ArrayList<>();
        for (CellResult c : cs) {
            xs.add(
                    switch (axis) {
                        case ROUND ->
                            c.rounds().stream().mapToDouble(r -> r.round() + 1).toArray();
                        case BYTES -> TimeModel.cumulativeBytes(c.rounds());
                        case TIME -> cumulativeSeconds(c, p);
                    });
        }
        List<Double> x = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> std = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Double> xv = new ArrayList<>();
            List<Double> yv = new ArrayList<>();
            for (int j = 0; j < cs.size(); j++) {
                if (i < cs.get(j).rounds().size()) {
                    double a = cs.get(j).rounds().get(i).testAccuracy();
                    if (!Double.isNaN(a)) {
                        xv.add(xs.get(j)[i]);
                        yv.add(a);
                    }
                }
            }
            if (yv.isEmpty()) {
                continue;
            }
            Stat sx = Stat.of(xv.stream().mapToDouble(Double::doubleValue).toArray());
            Stat sy = Stat.of(yv.stream().mapToDouble(Double::doubleValue).toArray());
            x.add(sx.mean());
            mean.add(sy.mean());
            std.add(sy.std());
        }
        return new Curve(unbox(x), unbox(mean), unbox(std), cs.size());
    }

    private static double[] unbox(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- tables ----

    public Stat finalAccuracy(Cell.SeriesKey k) {
        return Stat.of(cells(k).stream().mapToDouble(CellResult::finalAccuracy).toArray());
    }

    /**
     * Seed-paired comparison of final accuracies (same seed = same data split and client sampling):
     * {@code {seeds where a is ahead of b, seeds present in both}}.
     */
    public int[] pairedWins(Cell.SeriesKey a, Cell.SeriesKey b) {
        Map<Long, Double> bySeed = new LinkedHashMap<>();
        for (CellResult c : cells(b)) {
            bySeed.put(c.info().seed(), c.finalAccuracy());
        }
        int ahead = 0;
        int both = 0;
        for (CellResult c : cells(a)) {
            Double other = bySeed.get(c.info().seed());
            if (other != null) {
                both++;
                if (c.finalAccuracy() > other) {
                    ahead++;
                }
            }
        }
        return new int[] {ahead, both};
    }

    /** Rounds averaged by {@link #tailAccuracy}. */
    public static final int TAIL_ROUNDS = 5;

    /** Mean over seeds of each cell's mean accuracy over its last {@link #TAIL_ROUNDS} evaluated rounds. */
    public Stat tailAccuracy(Cell.SeriesKey k) {
        return Stat.of(
                cells(k).stream().mapToDouble(c -> c.tailAccuracy(TAIL_ROUNDS)).toArray());
    }

    public Stat bestAccuracy(Cell.SeriesKey k) {
        return Stat.of(cells(k).stream().mapToDouble(CellResult::bestAccuracy).toArray());
    }

    /** Mean over rounds (then seeds) of the download per client per round, bytes. */
    public Stat bytesDown(Cell.SeriesKey k) {
        return Stat.of(cells(k).stream()
                .mapToDouble(c -> c.rounds().stream()
                        .mapToDouble(RoundMetrics::bytesDownPerClient)
                        .average()
                        .orElse(0))
                .toArray());
    }

    /** Mean over rounds (then seeds) of the upload per client per round, bytes. */
    public Stat bytesUp(Cell.SeriesKey k) {
        return Stat.of(cells(k).stream()
                .mapToDouble(c -> c.rounds().stream()
                        .mapToDouble(RoundMetrics::bytesUpPerClient)
                        .average()
                        .orElse(0))
                .toArray());
    }

    /** Upload per client in the last round (DGC at its final sparsity once warm-up is over), bytes. */
    public Stat lastBytesUp(Cell.SeriesKey k) {
        return Stat.of(
                cells(k).stream().mapToDouble(c -> c.last().bytesUpPerClient()).toArray());
    }

    /** Dense float32 size of the full model, bytes. */
    public double denseBytes(Cell.SeriesKey k) {
        return cells(k).get(0).last().denseBytes();
    }

    /** Dense float32 full model / last-round upload, per seed. */
    public Stat finalUploadReduction(Cell.SeriesKey k) {
        return Stat.of(cells(k).stream()
                .mapToDouble(c -> c.last().denseBytes() / c.last().bytesUpPerClient())
                .toArray());
    }

    /** Sparsity applied in the last round (the same for every seed). */
    public double lastSparsity(Cell.SeriesKey k) {
        return cells(k).get(0).last().sparsity();
    }

    /** The target accuracy of a setting (NaN when neither set nor derivable). */
    public double target(String setting) {
        if (!Double.isNaN(matrix.report().targetAccuracy())) {
            return matrix.report().targetAccuracy();
        }
        Cell.SeriesKey ref = reference(setting);
        return ref == null
                ? Double.NaN
                : matrix.report().targetFraction() * finalAccuracy(ref).mean();
    }

    /** Index of the first round reaching {@code target}, or -1. */
    static int firstReaching(CellResult c, double target) {
        for (int i = 0; i < c.rounds().size(); i++) {
            double a = c.rounds().get(i).testAccuracy();
            if (!Double.isNaN(a) && a >= target) {
                return i;
            }
        }
        return -1;
    }

    public TimeToTarget timeToTarget(Cell.SeriesKey k, BandwidthProfile p) {
        double target = target(k.setting());
        List<CellResult> cs = cells(k);
        if (Double.isNaN(target)) {
            return new TimeToTarget(0, cs.size(), Stat.EMPTY, Stat.EMPTY, Stat.EMPTY);
        }
        Cell.SeriesKey ref = reference(k.setting());
        Map<Long, Double> refTime = new LinkedHashMap<>();
        if (ref != null) {
            for (CellResult r : cells(ref)) {
                int i = firstReaching(r, target);
                if (i >= 0) {
                    refTime.put(r.info().seed(), cumulativeSeconds(r, p)[i]);
                }
            }
        }
        List<Double> rounds = new ArrayList<>();
        List<Double> secs = new ArrayList<>();
        List<Double> speed = new ArrayList<>();
        for (CellResult c : cs) {
            int i = firstReaching(c, target);
            if (i < 0) {
                continue;
            }
            double t = cumulativeSeconds(c, p)[i];
            rounds.add((double) i + 1);
            secs.add(t);
            Double rt = refTime.get(c.info().seed());
            if (rt != null) {
                speed.add(rt / t);
            }
        }
        return new TimeToTarget(
                secs.size(), cs.size(), Stat.of(unbox(rounds)), Stat.of(unbox(secs)), Stat.of(unbox(speed)));
    }

    /** The profile the 57x target is checked on: {@code slow-mobile} if present, else the first. */
    public BandwidthProfile targetProfile() {
        return matrix.profiles().stream()
                .filter(p -> p.name().equals("slow-mobile"))
                .findFirst()
                .orElse(matrix.profiles().get(0));
    }

    /** The issue's three targets, per setting. */
    public List<TargetCheck> targetChecks() {
        MatrixSpec.ReportSettings rs = matrix.report();
        List<TargetCheck> out = new ArrayList<>();
        BandwidthProfile p = targetProfile();
        for (String s : settings()) {
            Cell.SeriesKey ref = reference(s);
            List<Cell.SeriesKey> series = series(s);
            // 1. AFD + DGC: speed-up and accuracy
            String t1 = String.format(
                    Locale.ROOT,
                    "AFD + DGC reaches the target >= %.0fx faster (%s) and ends " + "<= %.1f pt below FedAvg",
                    rs.speedupTarget(),
                    p.name(),
                    100 * rs.accuracyTolerance());
            List<Cell.SeriesKey> afdDgc = series.stream()
                    .filter(k -> k.policy().startsWith("afd") && k.compression().startsWith("dgc"))
                    .toList();
            if (ref == null || afdDgc.isEmpty()) {
                out.add(new TargetCheck(
                        t1,
                        s,
                        "n/a",
                        ref == null ? "no FedAvg/none reference in the matrix" : "no AFD + DGC series in the matrix"));
            } else {
                double refAcc = finalAccuracy(ref).mean();
                double refRound = roundSeconds(ref, p).mean();
                Cell.SeriesKey best = null;
                double bestSpeed = -1;
                StringBuilder sb = new StringBuilder();
                boolean met = false;
                for (Cell.SeriesKey k : afdDgc) {
                    TimeToTarget tt = timeToTarget(k, p);
                    double acc = finalAccuracy(k).mean();
                    double sp =
                            tt.speedup().isEmpty() ? Double.NaN : tt.speedup().mean();
                    boolean ok =
                            !Double.isNaN(sp) && sp >= rs.speedupTarget() && acc >= refAcc - rs.accuracyTolerance();
                    met |= ok;
                    if (!Double.isNaN(sp) && sp > bestSpeed) {
                        bestSpeed = sp;
                        best = k;
                    }
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    // the speed-up if this series needed exactly as many rounds as FedAvg: the per-round bound
                    double perRound = refRound / roundSeconds(k, p).mean();
                    sb.append(String.format(
                            Locale.ROOT,
                            "%s: %s, final %.2f %% (%+.2f pt), %.1fx per round",
                            k.label(severalRates(s)),
                            Double.isNaN(sp) ? "target not reached" : String.format(Locale.ROOT, "%.1fx", sp),
                            100 * acc,
                            100 * (acc - refAcc),
                            perRound));
                }
                out.add(new TargetCheck(
                        t1,
                        s,
                        met ? "met" : "missed",
                        String.format(
                                Locale.ROOT,
                                "FedAvg/none final %.2f %%; best speed-up: %s. Per series: %s",
                                100 * refAcc,
                                best == null
                                        ? "none (no AFD + DGC run reached the target)"
                                        : String.format(
                                                Locale.ROOT, "%.1fx (%s)", bestSpeed, best.label(severalRates(s))),
                                sb)));
            }
            // 2. AFD above random FD at the same rate and compression
            String t2 = "AFD final accuracy above random FD (same rate and compression, mean over seeds)"
                    + (nonIid(s) ? "" : " [IID setting: the issue asks this on non-IID data]");
            for (String afd : List.of("afd-single", "afd-multi")) {
                List<String> parts = new ArrayList<>();
                int wins = 0;
                int total = 0;
                for (Cell.SeriesKey k : series) {
                    if (!k.policy().equals(afd)) {
                        continue;
                    }
                    Cell.SeriesKey fd = new Cell.SeriesKey(s, "random-fd", k.compression(), k.dropoutRate());
                    if (cells(fd).isEmpty()) {
                        continue;
                    }
                    double d = finalAccuracy(k).mean() - finalAccuracy(fd).mean();
                    double dTail = tailAccuracy(k).mean() - tailAccuracy(fd).mean();
                    total++;
                    if (d > 0) {
                        wins++;
                    }
                    int[] paired = pairedWins(k, fd);
                    parts.add(String.format(
                            Locale.ROOT,
                            "%s%s: %+.2f pt, last-%d mean %+.2f pt, ahead on %d of %d seeds",
                            k.compression(),
                            severalRates(s) ? " @" + MatrixSpec.rate(k.dropoutRate()) : "",
                            100 * d,
                            TAIL_ROUNDS,
                            100 * dTail,
                            paired[0],
                            paired[1]));
                }
                if (total == 0) {
                    continue;
                }
                out.add(new TargetCheck(
                        t2 + ": " + afd,
                        s,
                        wins == total ? "met" : "missed",
                        String.format(
                                Locale.ROOT, "%d of %d above random FD (%s)", wins, total, String.join("; ", parts))));
            }
            // 3. Upload compression at the final sparsity
            String t3 = String.format(
                    Locale.ROOT,
                    "DGC upload >= %.0fx smaller than dense float32 at the final sparsity",
                    rs.uploadCompressionTarget());
            Cell.SeriesKey pure = new Cell.SeriesKey(s, "fedavg", "dgc", 0);
            List<Cell.SeriesKey> dgc = series.stream()
                    .filter(k -> k.compression().startsWith("dgc"))
                    .toList();
            if (dgc.isEmpty()) {
                out.add(new TargetCheck(t3, s, "n/a", "no DGC series in the matrix"));
            } else {
                Cell.SeriesKey k = cells(pure).isEmpty() ? dgc.get(0) : pure;
                Stat red = finalUploadReduction(k);
                double sp = lastSparsity(k);
                double maxRed = dgc.stream()
                        .mapToDouble(x -> finalUploadReduction(x).mean())
                        .max()
                        .orElse(0);
                out.add(new TargetCheck(
                        t3,
                        s,
                        red.mean() >= rs.uploadCompressionTarget() ? "met" : "missed",
                        String.format(
                                Locale.ROOT,
                                "%s: %.1fx (last-round upload %.0f B vs %.0f B dense, sparsity %.4f)"
                                        + "; largest over DGC series incl. dropout: %.1fx",
                                k.label(false),
                                red.mean(),
                                lastBytesUp(k).mean(),
                                denseBytes(k),
                                sp,
                                maxRed)));
            }
        }
        return out;
    }
}
