package io.afd.bench;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.tensor.NamedTensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks of this module through the JMH Runner API and prints a Markdown table with
 * the targets.
 *
 * <pre>
 * java -Xmx3g -jar bench/target/afd-bench.jar [--quick] [--out FILE] [REGEX]
 * </pre>
 * {@code REGEX} selects benchmarks by name (JMH include, e.g. {@code Dgc} or {@code SubModel.*extract});
 * {@code --quick} runs 1 warm-up and 3 measurement iterations of 1 s instead of each class's own
 * settings; {@code --out} also writes the table to a file.
 */
public final class BenchMain {
    private static final String PKG = "io.afd.bench.";

    /** Upper bounds in ms/op, by benchmark ({@code Class.method}) and optionally parameter. */
    private static final Map<String, Double> TARGETS_MS = Map.of(
            "DgcEncodeBench.encode[shape=full]", 10.0,
            "SubModelBench.extract", 10.0,
            "SubModelBench.restore", 10.0,
            "FedAvgBench.add", 1.0);

    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false;
        Path out = null;
        String regex = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick", "-q" -> quick = true;
                case "--out", "-o" -> {
                    if (i + 1 >= args.length) {
                        usage("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    usage(null);
                }
                default -> {
                    if (args[i].startsWith("-") || regex != null) {
                        usage("unexpected argument " + args[i]);
                    }
                    regex = args[i];
                }
            }
        }

        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(regex == null ? PKG.replace(".", "\\.") + ".*" : regex)
                .shouldFailOnError(false); // a failing benchmark is reported, the rest still run
        if (quick) {
            opts.warmupIterations(1)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        Instant start = Instant.now();
        double loadBefore = loadAverage();
        Collection<RunResult> results;
        try {
            results = new Runner(opts.build()).run();
        } catch (NoBenchmarksException e) {
            usage("no benchmark matches '" + regex + "'");
            return;
        }
        Duration took = Duration.between(start, Instant.now());
        String load =
                String.format(Locale.ROOT, "1-min load average %.1f before, %.1f after", loadBefore, loadAverage());

        List<String> failed = failed(results, regex);
        String table = report(results, failed, quick, took, load);
        System.out.println();
        System.out.println(table);
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, table, StandardCharsets.UTF_8);
            System.out.println("Wrote " + out);
        }
        if (results.isEmpty() || !failed.isEmpty()) {
            System.exit(1); // nothing matched, or a benchmark threw; missed targets do not fail the run
        }
    }

    private static void usage(String error) {
        String text = """
                usage: bench [--quick] [--out FILE] [REGEX]
                  REGEX      run only benchmarks whose name matches (e.g. Dgc, SubModel, FedAvg.*add, Codec, Train)
                  --quick    1 warm-up + 3 measurement iterations of 1 s each
                  --out FILE also write the Markdown table to FILE""";
        if (error != null) {
            System.err.println(error);
            System.err.println(text);
            System.exit(2);
        }
        System.out.println(text);
        System.exit(0);
    }

    // ------------------------------------------------------------------ report

    /** Benchmarks of this module. */
    private static final List<Class<?>> BENCHMARKS = List.of(
            CodecBench.class,
            DgcEncodeBench.class,
            EnvelopeSignBench.class,
            FedAvgBench.class,
            SubModelBench.class,
            TrainBench.class);

    /** Selected benchmark methods that produced no result (JMH logged their exception). */
    static List<String> failed(Collection<RunResult> results, String regex) {
        Pattern include = Pattern.compile(regex == null ? ".*" : regex);
        Set<String> ran =
                results.stream().map(r -> r.getParams().getBenchmark()).collect(Collectors.toSet());
        List<String> failed = new ArrayList<>();
        for (Class<?> c : BENCHMARKS) {
            for (Method m : c.getDeclaredMethods()) {
                String full = c.getName() + "." + m.getName();
                if (m.isAnnotationPresent(Benchmark.class)
                        && include.matcher(full).find()
                        && !ran.contains(full)) {
                    failed.add(full.substring(PKG.length()));
                }
            }
        }
        failed.sort(null);
        return failed;
    }

    /** System load average over the last minute (other processes skew every number here). */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String report(
            Collection<RunResult> results, List<String> failed, boolean quick, Duration took, String load) {
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((RunResult r) -> shortName(r.getParams()))
                .thenComparing(r -> paramText(r.getParams())));
        StringBuilder sb = new StringBuilder();
        sb.append("## AFD core benchmarks (JMH, LEAF CNN 62 classes, ")
                .append(String.format(Locale.ROOT, "%,d", Fixtures.SPEC.numParams()))
                .append(" params)\n\n");
        sb.append(String.format(
                Locale.ROOT,
                "%s; Java %s; %d CPUs; %s; %s mode; %d s wall.%n%n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        Instant.now().atOffset(ZoneOffset.UTC).withNano(0)),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                load,
                quick ? "quick (1x1 s warm-up, 3x1 s measurement)" : "full",
                took.toSeconds()));
        sb.append("| Benchmark | Parameter | Mean | Error (99.9 %) | Unit | Target | Result |\n");
        sb.append("|---|---|---:|---:|---|---:|---|\n");
        int pass = 0;
        int miss = 0;
        for (RunResult r : sorted) {
            BenchmarkParams bp = r.getParams();
            Result<?> res = r.getPrimaryResult();
            String name = shortName(bp);
            String param = paramText(bp);
            double score = res.getScore();
            double err = res.getScoreError();
            String unit = res.getScoreUnit();
            Double target = target(name, param);
            double scoreMs = toMs(score, unit);
            String verdict = "";
            String targetText = "";
            if (target != null) {
                targetText = "<= " + fmt(target) + " ms";
                if (Double.isNaN(scoreMs)) {
                    verdict = "?";
                } else if (scoreMs <= target) {
                    verdict = "PASS";
                    pass++;
                } else {
                    verdict = String.format(Locale.ROOT, "MISS (x%.2f)", scoreMs / target);
                    miss++;
                }
            }
            row(sb, name, param, fmt(score), fmt(err), unit, targetText, verdict);
            if (name.startsWith("TrainBench.") && bp.getParam("batch") != null && !Double.isNaN(scoreMs)) {
                int batch = Integer.parseInt(bp.getParam("batch"));
                double sps = batch * 1000.0 / scoreMs;
                double spsErr = Double.isNaN(err) ? Double.NaN : sps * toMs(err, unit) / scoreMs;
                row(sb, name + " (samples/s)", param, fmt(sps), fmt(spsErr), "samples/s", "", "");
            }
        }
        for (String name : failed) {
            Double target = TARGETS_MS.keySet().stream()
                    .filter(k -> k.startsWith(name))
                    .findFirst()
                    .map(TARGETS_MS::get)
                    .orElse(null);
            row(
                    sb,
                    name,
                    "all",
                    "—",
                    "—",
                    "",
                    target == null ? "" : "<= " + fmt(target) + " ms",
                    "FAILED (exception, see log above)");
        }
        sb.append('\n');
        if (pass + miss > 0) {
            sb.append(String.format(Locale.ROOT, "Targets: %d PASS, %d MISS (mean against target).%n", pass, miss));
        }
        if (!failed.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "Failed: %s.%n", String.join(", ", failed)));
        }
        if (pass + miss > 0 || !failed.isEmpty()) {
            sb.append('\n');
        }
        boolean dgc = sorted.stream().anyMatch(r -> shortName(r.getParams()).startsWith("DgcEncodeBench"));
        boolean codec = sorted.stream().anyMatch(r -> shortName(r.getParams()).startsWith("CodecBench"));
        if (dgc || codec) {
            sb.append(sizes(dgc, codec));
        }
        return sb.toString();
    }

    /** Encoded sizes, recomputed here from the same seeded inputs the benchmarks use. */
    private static String sizes(boolean dgc, boolean codec) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Encoded | Values sent | Bytes | vs float32 model |\n|---|---:|---:|---:|\n");
        double full = 4.0 * Fixtures.SPEC.numParams();
        if (dgc) {
            for (String shape : List.of("full", "dropout0.5")) {
                ModelSpec spec = Fixtures.updateSpec(shape);
                Map<String, float[]> residual = Fixtures.residual(spec, Fixtures.SEED + 1);
                List<NamedTensor> update = Fixtures.sparsify(spec, residual, Fixtures.SPARSITY, Fixtures.SEED);
                byte[] blob = TensorCodec.encode(update, CodecSpec.SPARSE_F32);
                sb.append(String.format(
                        Locale.ROOT,
                        "| DGC 99.9 %% sparse-f32, %s update (%,d params) | %,d | %,d | %.2f %% |%n",
                        shape,
                        spec.numParams(),
                        Fixtures.sentValues(update),
                        blob.length,
                        100.0 * blob.length / full));
            }
        }
        if (codec) {
            var model = Fixtures.SPEC.init(Fixtures.SEED).list();
            for (String c : List.of("float32", "float16", "q8")) {
                byte[] blob = TensorCodec.encode(model, CodecSpec.parse(c));
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s, whole model | %,d | %,d | %.2f %% |%n",
                        c,
                        Fixtures.SPEC.numParams(),
                        blob.length,
                        100.0 * blob.length / full));
            }
        }
        return sb.append('\n').toString();
    }

    private static void row(StringBuilder sb, String... cells) {
        sb.append('|');
        for (String c : cells) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append('\n');
    }

    private static Double target(String name, String param) {
        Double t = TARGETS_MS.get(name + "[" + param + "]");
        return t != null ? t : TARGETS_MS.get(name);
    }

    static String shortName(BenchmarkParams bp) {
        String b = bp.getBenchmark();
        return b.startsWith(PKG) ? b.substring(PKG.length()) : b;
    }

    static String paramText(BenchmarkParams bp) {
        Map<String, String> m = new TreeMap<>();
        for (String k : bp.getParamsKeys()) {
            m.put(k, bp.getParam(k));
        }
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static double toMs(double v, String unit) {
        TimeUnit tu = switch (unit) {
            case "ns/op" -> TimeUnit.NANOSECONDS;
            case "us/op" -> TimeUnit.MICROSECONDS;
            case "ms/op" -> TimeUnit.MILLISECONDS;
            case "s/op" -> TimeUnit.SECONDS;
            default -> null;
        };
        if (tu == null) {
            return Double.NaN;
        }
        return v * tu.toNanos(1) / 1e6;
    }

    /** Three significant digits, no exponent for the usual ranges. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        } else if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        } else if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        } else if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.3f", v);
        } else if (a >= 0.001) {
            return String.format(Locale.ROOT, "%.4f", v);
        } else if (a == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
