package io.afd.core.nn;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MLP and multinomial logistic regression with hand-written backpropagation over ND4J matrix
 * products (BLAS gemm). For these small dense nets SameDiff's per-op graph bookkeeping costs more
 * than the arithmetic; direct ops are an order of magnitude faster (docs/adr/0002). Softmax and
 * cross-entropy run in Java on the {@code n x classes} logits.
 */
public final class DenseRuntime implements ModelRuntime {
    private final ModelSpec spec;
    private final List<String> layers = new ArrayList<>();
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    public DenseRuntime(ModelSpec spec) {
        if (spec.kind() == ModelSpec.Kind.CNN) {
            throw new IllegalArgumentException("DenseRuntime runs mlp and logreg, not " + spec);
        }
        this.spec = spec;
        layers.addAll(spec.droppableLayers());
        layers.add("out");
        for (ParamSpec p : spec.params()) {
            int[] s = p.shape();
            params.put(
                    p.name(),
                    s.length == 1 ? Nd4j.zeros(DataType.FLOAT, 1, s[0]) : Nd4j.zeros(DataType.FLOAT, s[0], s[1]));
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void setParams(ParamSet ps) {
        for (ParamSpec p : spec.params()) {
            setParam(p.name(), ps.get(p.name()).data());
        }
    }

    @Override
    public void setParam(String name, float[] values) {
        INDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (a.length() != values.length) {
            throw new IllegalArgumentException(
                    "parameter " + name + " has " + a.length() + " values, got " + values.length);
        }
        a.data().setData(values);
    }

    @Override
    public ParamSet getParams() {
        ParamSet ps = new ParamSet();
        for (ParamSpec p : spec.params()) {
            ps.put(new Tensor(p.name(), p.shape(), params.get(p.name()).data().asFloat()));
        }
        return ps;
    }

    /** Pre-activations of every layer (the last is the logits). */
    private List<INDArray> forward(INDArray x) {
        List<INDArray> z = new ArrayList<>(layers.size());
        INDArray a = x;
        for (int l = 0; l < layers.size(); l++) {
            String layer = layers.get(l);
            INDArray zl = a.mmul(params.get(layer + "/W")).addiRowVector(params.get(layer + "/b"));
            z.add(zl);
            if (l < layers.size() - 1) {
                a = relu(zl);
            }
        }
        return z;
    }

    private static INDArray relu(INDArray z) {
        float[] v = z.data().asFloat();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] = 0;
            }
        }
        return Nd4j.create(v, z.shape(), 'c');
    }

    @Override
    public double lossAndGradients(float[] x, int[] labels, int n, Map<String, float[]> grads) {
        INDArray xin = input(x, n);
        List<INDArray> z = forward(xin);
        int classes = spec.numClasses();
        float[] logits = z.get(z.size() - 1).data().asFloat();
        float[] dl = new float[logits.length];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " out of range [0," + classes + ")");
            }
            loss += Softmax.rowGradient(logits, i * classes, classes, labels[i], n, dl);
        }
        INDArray dz = Nd4j.create(dl, new long[] {n, classes}, 'c');
        for (int l = layers.size() - 1; l >= 0; l--) {
            String layer = layers.get(l);
            INDArray aPrev = l == 0 ? xin : relu(z.get(l - 1));
            put(grads, layer + "/W", aPrev.transpose().mmul(dz));
            put(grads, layer + "/b", dz.sum(0));
            if (l > 0) {
                INDArray da = dz.mmul(params.get(layer + "/W").transpose());
                float[] d = da.data().asFloat();
                float[] zp = z.get(l - 1).data().asFloat();
                for (int i = 0; i < d.length; i++) {
                    if (zp[i] <= 0) {
                        d[i] = 0;
                    }
                }
                dz = Nd4j.create(d, da.shape(), 'c');
            }
        }
        return loss / n;
    }

    private static void put(Map<String, float[]> grads, String name, INDArray g) {
        float[] src = g.dup('c').data().asFloat();
        float[] buf = grads.get(name);
        if (buf == null || buf.length != src.length) {
            grads.put(name, src);
        } else {
            System.arraycopy(src, 0, buf, 0, src.length);
        }
    }

    @Override
    public float[] logits(float[] x, int n) {
        List<INDArray> z = forward(input(x, n));
        return z.get(z.size() - 1).dup('c').data().asFloat();
    }

    private INDArray input(float[] x, int n) {
        int d = spec.inputSize();
        if (x.length != n * d) {
            throw new IllegalArgumentException("expected " + n + "x" + d + " features, got " + x.length);
        }
        return Nd4j.create(x, new long[] {n, d}, 'c');
    }
}
