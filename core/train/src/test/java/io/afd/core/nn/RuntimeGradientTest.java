package io.afd.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.tensor.ParamSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RuntimeGradientTest {
    /** Two float32 backprop implementations agree to this (absolute, gradients are O(0.1)). */
    private static final double IMPL_TOLERANCE = 2e-5;
    /** Central finite differences in double-step float32: loose but catches wrong formulas. */
    private static final double FD_TOLERANCE = 2e-2;

    private static float[] randomX(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void denseRuntimeMatchesSameDiffOnMlpAndLogReg() {
        for (ModelSpec spec : List.of(ModelSpec.mlp(7, 4, 9, 5), ModelSpec.logReg(7, 4))) {
            ParamSet w = spec.init(11);
            // non-zero biases so the bias path is exercised
            for (ParamSpec p : spec.params()) {
                if (p.shape().length == 1) {
                    float[] b = w.get(p.name()).data();
                    for (int i = 0; i < b.length; i++) {
                        b[i] = 0.1f * (i - 1);
                    }
                }
            }
            int n = 6;
            float[] x = randomX(n, 7, 1);
            int[] y = {0, 1, 2, 3, 1, 0};
            ModelRuntime dense = new DenseRuntime(spec);
            ModelRuntime sd = new SameDiffRuntime(spec);
            dense.setParams(w);
            sd.setParams(w);
            Map<String, float[]> g1 = new HashMap<>();
            Map<String, float[]> g2 = new HashMap<>();
            double l1 = dense.lossAndGradients(x, y, n, g1);
            double l2 = sd.lossAndGradients(x, y, n, g2);
            assertEquals(l2, l1, IMPL_TOLERANCE, spec + " loss");
            for (ParamSpec p : spec.params()) {
                float[] a = g1.get(p.name());
                float[] b = g2.get(p.name());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], IMPL_TOLERANCE, spec + " " + p.name() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void cnnGradientMatchesFiniteDifferences() {
        ModelSpec spec = ModelSpec.cnn(1, 8, 8, 3, 4, 6, 3);
        ParamSet w = spec.init(5);
        ModelRuntime rt = ModelRuntime.create(spec);
        int n = 4;
        float[] x = randomX(n, 64, 2);
        int[] y = {0, 1, 2, 1};
        rt.setParams(w);
        Map<String, float[]> g = new HashMap<>();
        rt.lossAndGradients(x, y, n, g);
        SplittableRandom r = new SplittableRandom(3);
        for (ParamSpec p : spec.params()) {
            float[] data = w.get(p.name()).data();
            for (int t = 0; t < 4; t++) {
                int i = r.nextInt(data.length);
                float orig = data[i];
                float h = 1e-2f;
                data[i] = orig + h;
                rt.setParam(p.name(), data);
                double lp = rt.lossAndGradients(x, y, n, new HashMap<>());
                data[i] = orig - h;
                rt.setParam(p.name(), data);
                double lm = rt.lossAndGradients(x, y, n, new HashMap<>());
                data[i] = orig;
                rt.setParam(p.name(), data);
                double fd = (lp - lm) / (2 * h);
                assertEquals(
                        fd, g.get(p.name())[i], FD_TOLERANCE * Math.max(1, Math.abs(fd)), p.name() + "[" + i + "]");
            }
        }
    }
}
