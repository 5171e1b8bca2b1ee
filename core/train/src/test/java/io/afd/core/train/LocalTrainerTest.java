package io.afd.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.dgc.DgcConfig;
import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.nn.NativeThreads;
import io.afd.core.round.TrainConfig;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {
    /** Relative agreement of "sum of eta*u" and "w_end - w_start" in float32 over a few dozen steps. */
    private static final double DELTA_TOLERANCE = 1e-5;

    private static final ModelSpec MLP = ModelSpec.mlp(6, 3, 40, 30);
    private static final int N = 48;

    private static float[] features(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static int[] labels(float[] x) {
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = x[i * 6] + x[i * 6 + 1] > 0.3 ? 0 : x[i * 6 + 2] > 0 ? 1 : 2;
        }
        return y;
    }

    private static DgcConfig sparse(double s) {
        return new DgcConfig(0.9, 0, new double[0], s, 64, 0.01, 0.2, true);
    }

    @Test
    void sparsityZeroWithoutClippingIsPlainMomentumSgd() {
        float[] x = features(1);
        int[] y = labels(x);
        ParamSet w0 = MLP.init(3);
        SubModelLayout full = new SubModelLayout(MLP, Selection.full(MLP));
        TrainConfig cfg = new TrainConfig(2, 10, 0.05, DgcConfig.dense(0.9));
        ClientOptimizerState state = new ClientOptimizerState(MLP);
        LocalResult res = new LocalTrainer(new RuntimeCache(2)).train(full, w0, x, y, cfg, state, 0, 5, 77, false);

        // Reference: textbook momentum SGD, same batch order.
        ModelRuntime rt = ModelRuntime.create(MLP);
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, float[]> u = new LinkedHashMap<>();
        for (ParamSpec p : MLP.params()) {
            w.put(p.name(), w0.get(p.name()).data().clone());
            u.put(p.name(), new float[p.size()]);
        }
        SplittableRandom rnd = new SplittableRandom(77);
        int[] order = new int[N];
        for (int i = 0; i < N; i++) {
            order[i] = i;
        }
        Map<String, float[]> g = new HashMap<>();
        float m = 0.9f;
        float lr = 0.05f;
        // the trainer's ND4J setting: a fixed number of threads per operation (NativeThreads)
        try (NativeThreads.Scope ops = NativeThreads.clientTraining()) {
            for (int e = 0; e < 2; e++) {
                for (int i = N - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int s = 0; s < N; s += 10) {
                    int bs = Math.min(10, N - s);
                    float[] xb = new float[bs * 6];
                    int[] yb = new int[bs];
                    for (int i = 0; i < bs; i++) {
                        System.arraycopy(x, order[s + i] * 6, xb, i * 6, 6);
                        yb[i] = y[order[s + i]];
                    }
                    for (ParamSpec p : MLP.params()) {
                        rt.setParam(p.name(), w.get(p.name()));
                    }
                    rt.lossAndGradients(xb, yb, bs, g);
                    for (ParamSpec p : MLP.params()) {
                        float[] wb = w.get(p.name());
                        float[] ub = u.get(p.name());
                        float[] gb = g.get(p.name());
                        for (int i = 0; i < wb.length; i++) {
                            ub[i] = m * ub[i] + gb[i];
                            wb[i] -= lr * ub[i];
                        }
                    }
                }
            }
        }
        assertEquals(10, res.steps());
        for (ParamSpec p : MLP.params()) {
            assertArrayEquals(w.get(p.name()), res.localWeights().get(p.name()).data(), 0f, p.name());
            NamedTensor up = res.update().stream()
                    .filter(t -> t.name().equals(p.name()))
                    .findFirst()
                    .orElseThrow();
            float[] delta = up.toDense().data();
            float[] w0d = w0.get(p.name()).data();
            for (int i = 0; i < delta.length; i++) {
                double expect = w.get(p.name())[i] - w0d[i];
                assertEquals(expect, delta[i], DELTA_TOLERANCE * (1 + Math.abs(w0d[i])), p.name() + "[" + i + "]");
            }
            // masking at sparsity 0 clears the whole state
            for (float r : state.residual(p.name())) {
                assertEquals(0f, r);
            }
            for (float r : state.momentum(p.name())) {
                assertEquals(0f, r);
            }
        }
        assertTrue(res.trainLoss() > 0 && Double.isFinite(res.trainLoss()));
    }

    @Test
    void sentPlusResidualIsTheAccumulatedVelocityAndMaskingZeroesExactlyTheSentCoordinates() {
        float[] x = features(2);
        int[] y = labels(x);
        ParamSet w0 = MLP.init(4);
        SubModelLayout full = new SubModelLayout(MLP, Selection.full(MLP));
        // Reference run without sparsification and without masking: v_total = -update.
        DgcConfig noMask = new DgcConfig(0.9, 0, new double[0], 0, 0, 0.01, 0.2, false);
        ClientOptimizerState ref = new ClientOptimizerState(MLP);
        LocalResult r0 = new LocalTrainer(new RuntimeCache(2))
                .train(full, w0, x, y, new TrainConfig(1, 8, 0.05, noMask), ref, 0, 5, 9, false);
        ClientOptimizerState st = new ClientOptimizerState(MLP);
        LocalResult r1 = new LocalTrainer(new RuntimeCache(2))
                .train(full, w0, x, y, new TrainConfig(1, 8, 0.05, sparse(0.9)), st, 0, 5, 9, false);
        int sparseTensors = 0;
        for (NamedTensor t : r1.update()) {
            float[] negVTotal = r0.update().stream()
                    .filter(a -> a.name().equals(t.name()))
                    .findFirst()
                    .orElseThrow()
                    .toDense()
                    .data();
            float[] residual = st.residual(t.name());
            float[] mom = st.momentum(t.name());
            float[] refMom = ref.momentum(t.name());
            float[] sent = t.toDense().data();
            boolean[] isSent = new boolean[sent.length];
            if (t instanceof SparseTensor s) {
                sparseTensors++;
                for (int i : s.indices()) {
                    isSent[i] = true;
                }
                int k = io.afd.core.dgc.Sparsifier.targetCount(sent.length, 0.9);
                assertTrue(Math.abs(s.nnz() - k) <= 0.2 * k + 1, t.name() + " sent " + s.nnz() + " for k=" + k);
            } else {
                java.util.Arrays.fill(isSent, true);
            }
            for (int i = 0; i < sent.length; i++) {
                // -sent + residual == v_total, bit for bit: each coordinate is in exactly one of them
                assertEquals(negVTotal[i], sent[i] - residual[i], 0f, t.name() + "[" + i + "]");
                if (isSent[i]) {
                    assertEquals(0f, residual[i]);
                    assertEquals(0f, mom[i], "momentum masked at sent " + t.name() + "[" + i + "]");
                } else {
                    assertEquals(refMom[i], mom[i], 0f, "momentum kept at unsent " + t.name() + "[" + i + "]");
                }
            }
        }
        assertEquals(3, sparseTensors); // fc1/W (240), fc2/W (1200), out/W (90); biases are dense
    }

    @Test
    void residualLivesInGlobalCoordinatesAcrossSubModelChanges() {
        float[] x = features(3);
        int[] y = labels(x);
        ParamSet w0 = MLP.init(5);
        ClientOptimizerState st = new ClientOptimizerState(MLP);
        LocalTrainer trainer = new LocalTrainer(new RuntimeCache(4));
        TrainConfig cfg = new TrainConfig(1, 16, 0.05, sparse(0.9));
        Map<String, int[]> a = new LinkedHashMap<>();
        a.put("fc1", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        a.put("fc2", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        SubModelLayout la = new SubModelLayout(MLP, new Selection(a));
        trainer.train(la, la.extract(w0), x, y, cfg, st, 0, 3, 1, false);
        float[] afterA = st.residual("fc2/W").clone();
        Map<String, int[]> b = new LinkedHashMap<>();
        b.put("fc1", new int[] {20, 21, 22, 23, 24, 25, 26, 27, 28, 29});
        b.put("fc2", new int[] {20, 21, 22, 23, 24, 25, 26, 27, 28, 29});
        SubModelLayout lb = new SubModelLayout(MLP, new Selection(b));
        trainer.train(lb, lb.extract(w0), x, y, cfg, st, 1, 3, 2, false);
        float[] afterB = st.residual("fc2/W");
        int kept = 0;
        for (int i = 0; i < afterA.length; i++) {
            int row = i / 30;
            int col = i % 30;
            boolean inB = row >= 20 && row < 30 && col >= 20 && col < 30;
            if (!inB) {
                assertEquals(afterA[i], afterB[i], 0f, "residual outside sub-model B changed at " + i);
                if (afterA[i] != 0f) {
                    kept++;
                }
            }
        }
        assertTrue(kept > 0, "round A left residual outside B");
    }

    @Test
    void localGradientClippingBoundsTheStep() {
        float[] x = features(4);
        int[] y = labels(x);
        ParamSet w0 = MLP.init(6);
        SubModelLayout full = new SubModelLayout(MLP, Selection.full(MLP));
        double c = 1e-3;
        int clients = 4;
        DgcConfig cfg = new DgcConfig(0, c, new double[0], 0, 0, 0.01, 0.2, true);
        LocalResult r = new LocalTrainer(new RuntimeCache(2))
                .train(
                        full,
                        w0,
                        x,
                        y,
                        new TrainConfig(1, N, 0.5, cfg),
                        new ClientOptimizerState(MLP),
                        0,
                        clients,
                        1,
                        false);
        double sq = 0;
        for (NamedTensor t : r.update()) {
            for (float v : t.toDense().data()) {
                sq += (double) v * v;
            }
        }
        // one step, no momentum: |delta| = lr * min(|g|, c / sqrt(N))
        assertEquals(0.5 * c / Math.sqrt(clients), Math.sqrt(sq), 1e-7);
    }

    @Test
    void warmupScheduleFollowsThePaper() {
        DgcConfig d = DgcConfig.paper();
        assertEquals(0.75, d.sparsityForRound(0));
        assertEquals(0.9375, d.sparsityForRound(1));
        assertEquals(0.984375, d.sparsityForRound(2));
        assertEquals(0.996, d.sparsityForRound(3));
        assertEquals(0.999, d.sparsityForRound(4));
        assertEquals(0.999, d.sparsityForRound(400));
        Tensor unused = Tensor.zeros("x", 1);
        assertEquals(1, unused.size());
    }
}
