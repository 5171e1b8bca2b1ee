package io.afd.core.model;

import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Shapes;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An architecture: what tensors a model has, which layers are droppable, and how wide each is.
 *
 * <p>Three families are supported:
 * <ul>
 *   <li>{@code cnn}: the LEAF FEMNIST CNN (Caldas et al., "LEAF: A Benchmark for Federated
 *       Settings", arXiv 1812.01097): conv5x5(c1, SAME) - relu - maxpool2 - conv5x5(c2, SAME) -
 *       relu - maxpool2 - flatten (NCHW, channel-major) - dense(fc) - relu - dense(classes). With
 *       c1=32, c2=64, fc=2048 and 62 classes it has 6,603,710 parameters. Droppable: conv1, conv2, fc1.</li>
 *   <li>{@code mlp}: dense hidden layers with relu, then a dense output. Droppable: every hidden layer.</li>
 *   <li>{@code logreg}: multinomial logistic regression (one dense layer). Nothing is droppable.</li>
 * </ul>
 *
 * <p>Tensor layouts: conv weights {@code [out, in, kH, kW]} (OIYX), dense weights {@code [in, out]},
 * biases {@code [out]}. Parameter names are {@code <layer>/W} and {@code <layer>/b}.
 *
 * <p>A sub-model is the same family with narrower droppable layers ({@link #withWidths(Map)}).
 * Specs print and parse as e.g. {@code cnn(in=1x28x28,c1=32,c2=64,fc=2048,classes=62)},
 * {@code mlp(in=60,hidden=200x200,classes=10)}, {@code logreg(in=60,classes=10)}.
 */
public final class ModelSpec {

    /** Model family. */
    public enum Kind {
        LOGREG,
        MLP,
        CNN
    }

    /** Conv kernel size of the CNN family. */
    public static final int KERNEL = 5;

    private final Kind kind;
    private final int[] inputShape;
    private final int numClasses;
    private final LinkedHashMap<String, Integer> widths;
    private final List<ParamSpec> params;

    private ModelSpec(Kind kind, int[] inputShape, int numClasses, LinkedHashMap<String, Integer> widths) {
        this.kind = kind;
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
        this.widths = widths;
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
        widths.forEach((layer, w) -> {
            if (w < 1) {
                throw new IllegalArgumentException("layer " + layer + " needs at least one unit, got " + w);
            }
        });
        for (int d : inputShape) {
            if (d < 1) {
                throw new IllegalArgumentException("input dimensions must be >= 1, got " + Arrays.toString(inputShape));
            }
        }
        this.params = buildParams();
        long n = 0;
        for (ParamSpec p : params) {
            long size = 1;
            for (int d : p.shape()) {
                size = mul(size, d);
            }
            n = add(n, size);
        }
        if (n > MAX_PARAMETERS) {
            throw new IllegalArgumentException("model has at least " + n + " parameters; at most " + MAX_PARAMETERS
                    + " (ModelSpec.MAX_PARAMETERS, 200 MB of float32)");
        }
    }

    /**
     * Largest model the suite accepts, in parameters (200 MB as float32; the LEAF CNN has 6.6 M). Every
     * service and the simulator hold several copies of a model, so a larger one is refused where it is
     * named (experiment creation, any request carrying an architecture) instead of exhausting a heap.
     */
    public static final long MAX_PARAMETERS = 50_000_000L;

    private static long mul(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long add(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /** CNN on {@code [channels, height, width]} inputs; height and width must be divisible by 4. */
    public static ModelSpec cnn(int channels, int height, int width, int c1, int c2, int fc, int classes) {
        if (height % 4 != 0 || width % 4 != 0) {
            throw new IllegalArgumentException(
                    "cnn input height and width must be divisible by 4, got " + height + "x" + width);
        }
        LinkedHashMap<String, Integer> w = new LinkedHashMap<>();
        w.put("conv1", c1);
        w.put("conv2", c2);
        w.put("fc1", fc);
        return new ModelSpec(Kind.CNN, new int[] {channels, height, width}, classes, w);
    }

    /** The LEAF FEMNIST CNN (32, 64, 2048) on 28x28x1 inputs. */
    public static ModelSpec leafCnn(int classes) {
        return cnn(1, 28, 28, 32, 64, 2048, classes);
    }

    public static ModelSpec mlp(int inputDim, int classes, int... hidden) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("an mlp needs at least one hidden layer (use logreg otherwise)");
        }
        LinkedHashMap<String, Integer> w = new LinkedHashMap<>();
        for (int i = 0; i < hidden.length; i++) {
            w.put("fc" + (i + 1), hidden[i]);
        }
        return new ModelSpec(Kind.MLP, new int[] {inputDim}, classes, w);
    }

    public static ModelSpec logReg(int inputDim, int classes) {
        return new ModelSpec(Kind.LOGREG, new int[] {inputDim}, classes, new LinkedHashMap<>());
    }

    public Kind kind() {
        return kind;
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public int inputSize() {
        return Shapes.size(inputShape);
    }

    public int numClasses() {
        return numClasses;
    }

    /** Droppable layers in forward order. */
    public List<String> droppableLayers() {
        return List.copyOf(widths.keySet());
    }

    /** Number of units of a droppable layer. */
    public int units(String layer) {
        Integer w = widths.get(layer);
        if (w == null) {
            throw new IllegalArgumentException("no droppable layer " + layer + " in " + this);
        }
        return w;
    }

    public Map<String, Integer> widths() {
        return java.util.Collections.unmodifiableMap(widths);
    }

    /** Every parameter tensor in a fixed order. */
    public List<ParamSpec> params() {
        return params;
    }

    public ParamSpec param(String name) {
        for (ParamSpec p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter " + name + " in " + this);
    }

    public long numParams() {
        long n = 0;
        for (ParamSpec p : params) {
            n += p.size();
        }
        return n;
    }

    /** The same family with some droppable layers narrowed (layers not named keep their width). */
    public ModelSpec withWidths(Map<String, Integer> newWidths) {
        LinkedHashMap<String, Integer> w = new LinkedHashMap<>(widths);
        newWidths.forEach((layer, units) -> {
            if (!w.containsKey(layer)) {
                throw new IllegalArgumentException("no droppable layer " + layer + " in " + this);
            }
            w.put(layer, units);
        });
        return new ModelSpec(kind, inputShape, numClasses, w);
    }

    /**
     * Multiply-accumulate operations of one forward pass for one sample (conv and dense layers).
     * Backward costs about twice this; used to scale measured compute time to sub-models.
     */
    public long forwardMacsPerSample() {
        long macs = 0;
        switch (kind) {
            case CNN -> {
                int h = inputShape[1];
                int w = inputShape[2];
                long c0 = inputShape[0];
                long c1 = widths.get("conv1");
                long c2 = widths.get("conv2");
                macs += (long) h * w * c1 * c0 * KERNEL * KERNEL;
                macs += (long) (h / 2) * (w / 2) * c2 * c1 * KERNEL * KERNEL;
                long flat = c2 * (h / 4) * (w / 4);
                long fc = widths.get("fc1");
                macs += flat * fc + fc * numClasses;
            }
            case MLP, LOGREG -> {
                long in = inputSize();
                for (int units : widths.values()) {
                    macs += in * units;
                    in = units;
                }
                macs += in * numClasses;
            }
        }
        return macs;
    }

    /**
     * Seeded Glorot-uniform weights and zero biases. Pure Java so that the same seed gives the same
     * bits in every process (simulator and distributed suite alike).
     */
    public ParamSet init(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ParamSet ps = new ParamSet();
        for (ParamSpec p : params) {
            float[] data = new float[p.size()];
            int[] s = p.shape();
            if (s.length > 1) {
                long fanIn;
                long fanOut;
                if (s.length == 4) {
                    long rf = (long) s[2] * s[3];
                    fanIn = s[1] * rf;
                    fanOut = s[0] * rf;
                } else {
                    fanIn = s[0];
                    fanOut = s[1];
                }
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
                }
            }
            ps.put(new Tensor(p.name(), s, data));
        }
        return ps;
    }

    /** Throws if the parameter set does not have exactly this spec's names and shapes. */
    public void validate(ParamSet ps) {
        if (ps.size() != params.size()) {
            throw new IllegalArgumentException(
                    "expected " + params.size() + " tensors " + paramNames() + ", got " + ps.names());
        }
        for (ParamSpec p : params) {
            if (!ps.contains(p.name())) {
                throw new IllegalArgumentException("missing tensor " + p.name());
            }
            int[] got = ps.get(p.name()).shape();
            if (!Arrays.equals(got, p.shape())) {
                throw new IllegalArgumentException("tensor " + p.name() + " has shape " + Arrays.toString(got)
                        + ", expected " + Arrays.toString(p.shape()));
            }
        }
    }

    public List<String> paramNames() {
        return params.stream().map(ParamSpec::name).toList();
    }

    private List<ParamSpec> buildParams() {
        List<ParamSpec> out = new ArrayList<>();
        switch (kind) {
            case CNN -> {
                int c0 = inputShape[0];
                int c1 = widths.get("conv1");
                int c2 = widths.get("conv2");
                int fc = widths.get("fc1");
                // saturated, not overflowed: an input this large is refused as too many parameters
                int spatial = (int) Math.min(Integer.MAX_VALUE, mul(inputShape[1] / 4, inputShape[2] / 4));
                int flat = (int) Math.min(Integer.MAX_VALUE, mul(c2, spatial));
                out.add(new ParamSpec(
                        "conv1/W", new int[] {c1, c0, KERNEL, KERNEL}, List.of(new AxisBinding(0, "conv1", 1))));
                out.add(new ParamSpec("conv1/b", new int[] {c1}, List.of(new AxisBinding(0, "conv1", 1))));
                out.add(new ParamSpec(
                        "conv2/W",
                        new int[] {c2, c1, KERNEL, KERNEL},
                        List.of(new AxisBinding(0, "conv2", 1), new AxisBinding(1, "conv1", 1))));
                out.add(new ParamSpec("conv2/b", new int[] {c2}, List.of(new AxisBinding(0, "conv2", 1))));
                out.add(new ParamSpec(
                        "fc1/W",
                        new int[] {flat, fc},
                        List.of(new AxisBinding(0, "conv2", spatial), new AxisBinding(1, "fc1", 1))));
                out.add(new ParamSpec("fc1/b", new int[] {fc}, List.of(new AxisBinding(0, "fc1", 1))));
                out.add(new ParamSpec("out/W", new int[] {fc, numClasses}, List.of(new AxisBinding(0, "fc1", 1))));
                out.add(new ParamSpec("out/b", new int[] {numClasses}, List.of()));
            }
            case MLP, LOGREG -> {
                int in = inputSize();
                String prev = null;
                for (Map.Entry<String, Integer> e : widths.entrySet()) {
                    String layer = e.getKey();
                    int units = e.getValue();
                    List<AxisBinding> wb = new ArrayList<>();
                    if (prev != null) {
                        wb.add(new AxisBinding(0, prev, 1));
                    }
                    wb.add(new AxisBinding(1, layer, 1));
                    out.add(new ParamSpec(layer + "/W", new int[] {in, units}, wb));
                    out.add(new ParamSpec(layer + "/b", new int[] {units}, List.of(new AxisBinding(0, layer, 1))));
                    in = units;
                    prev = layer;
                }
                out.add(new ParamSpec(
                        "out/W",
                        new int[] {in, numClasses},
                        prev == null ? List.of() : List.of(new AxisBinding(0, prev, 1))));
                out.add(new ParamSpec("out/b", new int[] {numClasses}, List.of()));
            }
        }
        return List.copyOf(out);
    }

    /** Parses the {@link #toString()} form. */
    public static ModelSpec parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        int open = s.indexOf('(');
        if (open < 0 || !s.endsWith(")")) {
            throw new IllegalArgumentException("model spec must look like kind(key=value,...): " + text);
        }
        String kindName = s.substring(0, open);
        Map<String, String> kv = new LinkedHashMap<>();
        String body = s.substring(open + 1, s.length() - 1);
        if (!body.isEmpty()) {
            for (String part : body.split(",")) {
                String[] p = part.split("=", 2);
                if (p.length != 2) {
                    throw new IllegalArgumentException("bad model spec entry '" + part + "' in " + text);
                }
                kv.put(p[0], p[1]);
            }
        }
        try {
            return switch (kindName) {
                case "cnn" -> {
                    int[] in = dims(kv.getOrDefault("in", "1x28x28"));
                    if (in.length != 3) {
                        throw new IllegalArgumentException("cnn input must be CxHxW");
                    }
                    yield cnn(
                            in[0],
                            in[1],
                            in[2],
                            intOf(kv, "c1", 32),
                            intOf(kv, "c2", 64),
                            intOf(kv, "fc", 2048),
                            intOf(kv, "classes", 62));
                }
                case "mlp" ->
                    mlp(
                            Integer.parseInt(req(kv, "in")),
                            intOf(kv, "classes", 10),
                            dims(kv.getOrDefault("hidden", "200")));
                case "logreg" -> logReg(Integer.parseInt(req(kv, "in")), intOf(kv, "classes", 10));
                default ->
                    throw new IllegalArgumentException("unknown model kind '" + kindName + "' (cnn, mlp, logreg)");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in model spec " + text + ": " + e.getMessage(), e);
        }
    }

    private static String req(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model spec needs " + key + "=...");
        }
        return v;
    }

    private static int intOf(Map<String, String> kv, String key, int dflt) {
        return kv.containsKey(key) ? Integer.parseInt(kv.get(key)) : dflt;
    }

    private static int[] dims(String s) {
        return Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    private static String dimsToString(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            sb.append(i == 0 ? "" : "x").append(d[i]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CNN ->
                "cnn(in=" + dimsToString(inputShape) + ",c1=" + widths.get("conv1") + ",c2=" + widths.get("conv2")
                        + ",fc=" + widths.get("fc1") + ",classes=" + numClasses + ")";
            case MLP ->
                "mlp(in=" + inputShape[0] + ",hidden="
                        + dimsToString(widths.values().stream()
                                .mapToInt(Integer::intValue)
                                .toArray())
                        + ",classes=" + numClasses + ")";
            case LOGREG -> "logreg(in=" + inputShape[0] + ",classes=" + numClasses + ")";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && m.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}
