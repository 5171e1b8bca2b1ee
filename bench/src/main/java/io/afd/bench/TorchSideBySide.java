package io.afd.bench;

import io.afd.core.dgc.DgcConfig;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.TrainConfig;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.train.ClientOptimizerState;
import io.afd.core.train.LocalResult;
import io.afd.core.train.LocalTrainer;
import io.afd.core.train.RuntimeCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bin/bench-torch}: the same local training through the simulator's trainer ({@link LocalTrainer}: momentum
 * SGD, DGC off) and through PyTorch ({@code torch_side_by_side.py} with Debian's {@code python3-torch}), on the same
 * data, batch size, epochs and thread count, for logistic regression, the MLP 60-200-200-10 and the LEAF CNN. Prints
 * a Markdown table: seconds, samples/s, and the simulator's speed relative to PyTorch's. Each side runs once for
 * warm-up and then {@code repeats} times; the best time counts (the machine's other load only slows a run down).
 *
 * <pre>TorchSideBySide PYTHON SCRIPT WORKDIR [--quick]</pre>
 */
public final class TorchSideBySide {
    private TorchSideBySide() {}

    record Work(String name, ModelSpec spec, String torchSpec, int n, int batch, int epochs, double lr) {}

    public static void main(String[] args) throws Exception {
        String python = args[0];
        Path script = Path.of(args[1]);
        Path dir = Path.of(args[2]);
        boolean quick = args.length > 3 && args[3].equals("--quick");
        Files.createDirectories(dir);
        int threads = 2; // the simulator trains with 2 ND4J threads per client (NativeThreads)
        int repeats = quick ? 1 : 3;
        List<Work> work = List.of(
                new Work(
                        "logistic regression 60x10",
                        ModelSpec.logReg(60, 10),
                        "logreg:60:10",
                        quick ? 1_000 : 3_000,
                        10,
                        quick ? 1 : 5,
                        0.05),
                new Work(
                        "MLP 60-200-200-10",
                        ModelSpec.mlp(60, 10, 200, 200),
                        "mlp:60:200x200:10",
                        quick ? 1_000 : 3_000,
                        10,
                        quick ? 1 : 5,
                        0.05),
                new Work(
                        "LEAF CNN 32-64-2048, 62 classes",
                        ModelSpec.leafCnn(62),
                        "cnn:32:64:2048:62",
                        quick ? 128 : 640,
                        64,
                        1,
                        0.01));
        List<String> rows = new ArrayList<>();
        for (Work w : work) {
            int d = w.spec().inputSize();
            SplittableRandom rnd = new SplittableRandom(7);
            float[] x = new float[w.n() * d];
            int[] y = new int[w.n()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 0.5);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextInt(w.spec().numClasses());
            }
            Path xf = dir.resolve("x.f32");
            Path yf = dir.resolve("y.i32");
            write(xf, x, y, yf);
            double sim = Double.MAX_VALUE;
            double simLoss = 0;
            for (int r = 0; r <= repeats; r++) {
                long t0 = System.nanoTime();
                LocalResult res = train(w, x, y);
                double s = (System.nanoTime() - t0) / 1e9;
                if (r > 0) {
                    sim = Math.min(sim, s);
                }
                simLoss = res.trainLoss();
            }
            double torch = Double.MAX_VALUE;
            double torchLoss = 0;
            for (int r = 0; r <= repeats; r++) {
                Process p = new ProcessBuilder(
                                python,
                                script.toString(),
                                w.torchSpec(),
                                xf.toString(),
                                yf.toString(),
                                Integer.toString(w.n()),
                                Integer.toString(w.batch()),
                                Integer.toString(w.epochs()),
                                Double.toString(w.lr()),
                                "0.9",
                                Integer.toString(threads))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("PyTorch run failed for " + w.name() + ": " + out);
                }
                double s = Double.parseDouble(out.replaceAll(".*\"seconds\": ([0-9.eE+-]+).*", "$1"));
                torchLoss = Double.parseDouble(out.replaceAll(".*\"loss\": ([0-9.eE+-]+).*", "$1"));
                if (r > 0) {
                    torch = Math.min(torch, s);
                }
            }
            long samples = (long) w.n() * w.epochs();
            rows.add(String.format(
                    Locale.ROOT,
                    "| %s | %d x %d, batch %d | %.2f | %.2f | %.0f | %.0f | %.2fx | %.3f / %.3f |",
                    w.name(),
                    w.epochs(),
                    w.n(),
                    w.batch(),
                    sim,
                    torch,
                    samples / sim,
                    samples / torch,
                    torch / sim,
                    simLoss,
                    torchLoss));
            System.err.println("done: " + w.name());
        }
        System.out.println();
        System.out.println("Same work, " + threads + " threads each, best of " + repeats + " after a warm-up run:");
        System.out.println();
        System.out.println("| model | epochs x samples | simulator (s) | PyTorch (s) | simulator samples/s"
                + " | PyTorch samples/s | simulator speed vs PyTorch | mean train loss (sim / torch) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static LocalResult train(Work w, float[] x, int[] y) {
        ModelSpec spec = w.spec();
        SubModelLayout full = new SubModelLayout(spec, Selection.full(spec));
        DgcConfig plain = new DgcConfig(0.9, 0, new double[0], 0, 0, 0.01, 0.2, false);
        return new LocalTrainer(new RuntimeCache(2))
                .train(
                        full,
                        full.extract(spec.init(1)),
                        x,
                        y,
                        new TrainConfig(w.epochs(), w.batch(), w.lr(), plain),
                        new ClientOptimizerState(spec),
                        0,
                        1,
                        3,
                        false);
    }

    private static void write(Path xf, float[] x, int[] y, Path yf) throws IOException {
        ByteBuffer bx = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bx.asFloatBuffer().put(x);
        Files.write(xf, bx.array());
        ByteBuffer by = ByteBuffer.allocate(y.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        by.asIntBuffer().put(y);
        Files.write(yf, by.array());
    }
}
