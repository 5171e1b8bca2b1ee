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
 * Forward and backward passes of a {@link ModelSpec} on ND4J SameDiff (see docs/adr/0002). The
 * graph is built once per architecture (a sub-model of the same widths reuses it); parameters are
 * copied in from plain Java tensors and gradients copied out, so optimizers, DGC and aggregation
 * stay in Java arrays. Not thread-safe: use one runtime per thread.
 */
public final class ModelRuntime {
    private static final String X = "x";
    private static final String Y = "y";
    private static final String LOGITS = "logits";
    private static final String LOSS = "loss";

    private final ModelSpec spec;
    private final SameDiff sd;
    private final List<String> paramNames;
    private final Map<String, INDArray> paramArrays = new LinkedHashMap<>();

    public ModelRuntime(ModelSpec spec) {
        this.spec = spec;
        this.paramNames = spec.paramNames();
        this.sd = SameDiff.create();
        build();
    }

    public ModelSpec spec() {
        return spec;
    }

    private void build() {
        Map<String, SDVariable> v = new HashMap<>();
        for (ParamSpec p : spec.params()) {
            INDArray arr = Nd4j.zeros(DataType.FLOAT, toLong(p.shape()));
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
                Conv2DConfig conv = Conv2DConfig.builder().kH(ModelSpec.KERNEL).kW(ModelSpec.KERNEL).sH(1).sW(1)
                        .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NCHW)
                        .weightsFormat(WeightsFormat.OIYX).build();
                Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                        .paddingMode(PaddingMode.VALID).isNHWC(false).build();
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
    public void setParams(ParamSet params) {
        for (String name : paramNames) {
            setParam(name, params.get(name).data());
        }
    }

    /** Copies one tensor's values into the graph. */
    public void setParam(String name, float[] values) {
        INDArray arr = paramArrays.get(name);
        if (arr == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (arr.length() != values.length) {
            throw new IllegalArgumentException("parameter " + name + " has " + arr.length() + " values, got "
                    + values.length);
        }
        arr.data().setData(values);
    }

    /** Reads the weights back out of the graph. */
    public ParamSet getParams() {
        ParamSet ps = new ParamSet();
        for (ParamSpec p : spec.params()) {
            ps.put(new Tensor(p.name(), p.shape(), paramArrays.get(p.name()).data().asFloat()));
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
    public double lossAndGradients(float[] x, int[] labels, int n, Map<String, float[]> grads) {
        Map<String, INDArray> ph = placeholders(x, labels, n);
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, List.of(LOSS), paramNames);
        for (String name : paramNames) {
            INDArray g = og.getGradients().get(name);
            float[] buf = grads.get(name);
            float[] src = g.dup('c').data().asFloat();
            if (buf == null || buf.length != src.length) {
                grads.put(name, src);
            } else {
                System.arraycopy(src, 0, buf, 0, src.length);
            }
        }
        return og.getOutputs().get(LOSS).getDouble(0);
    }

    /** Logits, {@code n x numClasses} row-major. */
    public float[] logits(float[] x, int n) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(X, Nd4j.create(x, xShape(n)));
        INDArray out = sd.output(ph, LOGITS).get(LOGITS);
        return out.dup('c').data().asFloat();
    }

    /** Loss and accuracy over a labelled set, in batches. */
    public Evaluation evaluate(float[] features, int[] labels, int batchSize) {
        int n = labels.length;
        int d = spec.inputSize();
        int classes = spec.numClasses();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] xb = new float[b * d];
            System.arraycopy(features, start * d, xb, 0, b * d);
            float[] lg = logits(xb, b);
            for (int i = 0; i < b; i++) {
                int off = i * classes;
                float max = Float.NEGATIVE_INFINITY;
                int arg = 0;
                for (int c = 0; c < classes; c++) {
                    if (lg[off + c] > max) {
                        max = lg[off + c];
                        arg = c;
                    }
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(lg[off + c] - max);
                }
                int yi = labels[start + i];
                lossSum += Math.log(sum) - (lg[off + yi] - max);
                if (arg == yi) {
                    correct++;
                }
            }
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, n);
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
        ph.put(Y, Nd4j.create(oneHot, new long[]{n, classes}));
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

    /** Mean loss and accuracy over {@code samples} examples. */
    public record Evaluation(double loss, double accuracy, int samples) {
    }
}
