package io.afd.core.nn;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward and backward passes of a {@link ModelSpec} on ND4J SameDiff (see docs/adr/0002); used for
 * the CNN family, where conv and pooling dominate. The
 * graph is built once per architecture (a sub-model of the same widths reuses it); parameters are
 * copied in from plain Java tensors and gradients copied out, so optimizers, DGC and aggregation
 * stay in Java arrays. Not thread-safe: use one runtime per thread.
 */
public final class SameDiffRuntime implements ModelRuntime {
    private static final String X = "x";
    private static final String Y = "y";
    private static final String LOGITS = "logits";
    private static final String LOSS = "loss";

    private final ModelSpec spec;
    private final SameDiff sd;
    private final List<String> paramNames;
    private final Map<String, INDArray> paramArrays = new LinkedHashMap<>();

    public SameDiffRuntime(ModelSpec spec) {
        this.spec = spec;
        this.paramNames = spec.paramNames();
        this.sd = SameDiff.create();
        build();
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    private void build() {
        Map<String, SDVariable> v = new HashMap<>();
        for (ParamSpec p : spec.params()) {
            INDArray arr = Nd4j.zeros(DataType.FLOAT, toLong(graphShape(p.shape())));
            paramArrays.put(p.name(), arr);
            v.put(p.name(), sd.var(p.name(), arr));
        }
        int[] in = spec.inputShape();
        long[] xShape = new long[in.length + 1];
        xShape[0] = -1;
        for (int i = 0; i < in.length; i++) {
            xShape[i + 1] = in[i];
        }
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, xShape);
        SDVariable y = sd.placeHolder(Y, DataType.FLOAT, -1, spec.numClasses());
        SDVariable h;
        switch (spec.kind()) {
            case CNN -> {
                Conv2DConfig conv = Conv2DConfig.builder()
                        .kH(ModelSpec.KERNEL)
                        .kW(ModelSpec.KERNEL)
                        .sH(1)
                        .sW(1)
                        .paddingMode(PaddingMode.SAME)
                        .dataFormat(Conv2DConfig.NCHW)
                        .weightsFormat(WeightsFormat.YXIO)
                        .build();
                Pooling2DConfig pool = Pooling2DConfig.builder()
                        .kH(2)
                        .kW(2)
                        .sH(2)
                        .sW(2)
                        .paddingMode(PaddingMode.VALID)
                        .isNHWC(false)
                        .build();
                SDVariable c1 = sd.nn().relu(sd.cnn().conv2d(x, v.get("conv1/W"), v.get("conv1/b"), conv), 0);
                SDVariable p1 = sd.cnn().maxPooling2d(c1, pool);
                SDVariable c2 = sd.nn().relu(sd.cnn().conv2d(p1, v.get("conv2/W"), v.get("conv2/b"), conv), 0);
                SDVariable p2 = sd.cnn().maxPooling2d(c2, pool);
                long flat = (long) spec.units("conv2") * (in[1] / 4) * (in[2] / 4);
                SDVariable f = p2.reshape(-1, flat);
                h = sd.nn().relu(f.mmul(v.get("fc1/W")).add(v.get("fc1/b")), 0);
            }
            case MLP -> {
                h = x;
                for (String layer : spec.droppableLayers()) {
                    h = sd.nn().relu(h.mmul(v.get(layer + "/W")).add(v.get(layer + "/b")), 0);
                }
            }
            case LOGREG -> h = x;
            default -> throw new IllegalStateException();
        }
        SDVariable logits = h.mmul(v.get("out/W")).add(LOGITS, v.get("out/b"));
        sd.loss().softmaxCrossEntropy(LOSS, y, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables(LOSS);
    }

    /** Copies weights into the graph. Names and shapes must match the spec. */
    @Override
    public void setParams(ParamSet params) {
        for (String name : paramNames) {
            setParam(name, params.get(name).data());
        }
    }

    /** Copies one tensor's values into the graph. */
    @Override
    public void setParam(String name, float[] values) {
        INDArray arr = paramArrays.get(name);
        if (arr == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (arr.length() != values.length) {
            throw new IllegalArgumentException(
                    "parameter " + name + " has " + arr.length() + " values, got " + values.length);
        }
        int[] shape = spec.param(name).shape();
        arr.data().setData(shape.length == 4 ? oiyxToYxio(values, shape) : values);
    }

    /** Conv weights live as [out, in, kH, kW] in the suite and as [kH, kW, in, out] in the graph. */
    private static int[] graphShape(int[] shape) {
        return shape.length == 4 ? new int[] {shape[2], shape[3], shape[1], shape[0]} : shape;
    }

    private static float[] oiyxToYxio(float[] v, int[] s) {
        return convertConvLayout(v, s, true);
    }

    private static float[] yxioToOiyx(float[] v, int[] s) {
        return convertConvLayout(v, s, false);
    }

    /** Copies conv weights between [out, in, kH, kW] (shape {@code s}) and [kH, kW, in, out]. */
    private static float[] convertConvLayout(float[] v, int[] s, boolean toYxio) {
        int o = s[0];
        int in = s[1];
        int kh = s[2];
        int kw = s[3];
        float[] out = new float[v.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < in; b++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        int oiyx = ((a * in + b) * kh + y) * kw + x;
                        int yxio = ((y * kw + x) * in + b) * o + a;
                        if (toYxio) {
                            out[yxio] = v[oiyx];
                        } else {
                            out[oiyx] = v[yxio];
                        }
                    }
                }
            }
        }
        return out;
    }

    private float[] toSuiteLayout(String name, float[] graphValues) {
        int[] shape = spec.param(name).shape();
        return shape.length == 4 ? yxioToOiyx(graphValues, shape) : graphValues;
    }

    /** Reads the weights back out of the graph. */
    @Override
    public ParamSet getParams() {
        ParamSet ps = new ParamSet();
        for (ParamSpec p : spec.params()) {
            ps.put(new Tensor(
                    p.name(),
                    p.shape(),
                    toSuiteLayout(p.name(), paramArrays.get(p.name()).data().asFloat())));
        }
        return ps;
    }

    /**
     * Mean softmax cross-entropy over a batch and its gradient for every parameter.
     *
     * @param x      {@code n * inputSize} features, sample-major
     * @param labels {@code n} class indices
     * @param n      batch size
     * @param grads  output: gradient values by parameter name; arrays are allocated when absent or
     *               of the wrong size, else overwritten
     * @return the batch's mean loss
     */
    @Override
    public double lossAndGradients(float[] x, int[] labels, int n, Map<String, float[]> grads) {
        Map<String, INDArray> ph = placeholders(x, labels, n);
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, List.of(LOSS), paramNames);
        for (String name : paramNames) {
            INDArray g = og.getGradients().get(name);
            float[] buf = grads.get(name);
            float[] src = toSuiteLayout(name, g.dup('c').data().asFloat());
            if (buf == null || buf.length != src.length) {
                grads.put(name, src);
            } else {
                System.arraycopy(src, 0, buf, 0, src.length);
            }
        }
        return og.getOutputs().get(LOSS).getDouble(0);
    }

    /** Logits, {@code n x numClasses} row-major. */
    @Override
    public float[] logits(float[] x, int n) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(X, Nd4j.create(x, xShape(n)));
        INDArray out = sd.output(ph, LOGITS).get(LOGITS);
        return out.dup('c').data().asFloat();
    }

    private Map<String, INDArray> placeholders(float[] x, int[] labels, int n) {
        int classes = spec.numClasses();
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("label " + c + " out of range [0," + classes + ")");
            }
            oneHot[i * classes + c] = 1f;
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(X, Nd4j.create(x, xShape(n)));
        ph.put(Y, Nd4j.create(oneHot, new long[] {n, classes}));
        return ph;
    }

    private long[] xShape(int n) {
        int[] in = spec.inputShape();
        long[] s = new long[in.length + 1];
        s[0] = n;
        for (int i = 0; i < in.length; i++) {
            s[i + 1] = in[i];
        }
        return s;
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }
}
