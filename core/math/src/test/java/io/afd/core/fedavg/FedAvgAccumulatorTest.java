package io.afd.core.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FedAvgAccumulatorTest {
    /** Fixed-point rounding of each n·delta (2^-28) relative to a double reference. */
    private static final double FIXED_POINT_TOLERANCE = 1e-6;

    private static final ModelSpec LOGREG = ModelSpec.logReg(2, 2);
    private static final ModelSpec MLP = ModelSpec.mlp(5, 3, 8, 6);

    private static List<Tensor> constant(ModelSpec spec, float value) {
        List<Tensor> l = new ArrayList<>();
        for (ParamSpec p : spec.params()) {
            float[] d = new float[p.size()];
            Arrays.fill(d, value);
            l.add(new Tensor(p.name(), p.shape(), d));
        }
        return l;
    }

    @Test
    void twoClientsHandComputed() {
        ParamSet w = new ParamSet(List.of(
                new Tensor("out/W", new int[] {2, 2}, new float[] {1, 2, 3, 4}),
                new Tensor("out/b", new int[] {2}, new float[] {0, -1})));
        FedAvgAccumulator acc = new FedAvgAccumulator(LOGREG);
        Selection all = Selection.full(LOGREG);
        acc.add(all, constant(LOGREG, 1f), 1); // n=1, delta +1
        acc.add(all, constant(LOGREG, -1f), 3); // n=3, delta -1
        // mean delta = (1*1 + 3*(-1)) / 4 = -0.5
        ParamSet out = acc.apply(w);
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, out.get("out/W").data(), 0f);
        assertArrayEquals(new float[] {-0.5f, -1.5f}, out.get("out/b").data(), 0f);
        assertEquals(4, acc.totalSamples());
        assertEquals(2, acc.contributions());
    }

    @Test
    void eachCoordinateIsAveragedOverTheClientsThatCoveredIt() {
        ParamSet w = MLP.init(1);
        Map<String, int[]> a = new LinkedHashMap<>();
        a.put("fc1", new int[] {0, 1, 2, 3});
        a.put("fc2", new int[] {0, 1, 2});
        Map<String, int[]> b = new LinkedHashMap<>();
        b.put("fc1", new int[] {2, 3, 4, 5});
        b.put("fc2", new int[] {0, 1, 2});
        Selection sa = new Selection(a);
        Selection sb = new Selection(b);
        SubModelLayout la = new SubModelLayout(MLP, sa);
        SubModelLayout lb = new SubModelLayout(MLP, sb);
        FedAvgAccumulator acc = new FedAvgAccumulator(MLP);
        acc.add(sa, constant(la.sub(), 2f), 1);
        acc.add(sb, constant(lb.sub(), -4f), 3);
        ParamSet out = acc.apply(w);
        // fc1/b: units 0,1 only A (+2); 2,3 both ((2*1 - 4*3)/4 = -2.5); 4,5 only B (-4); 6,7 nobody.
        float[] b0 = w.get("fc1/b").data();
        float[] b1 = out.get("fc1/b").data();
        float[] expect = {2, 2, -2.5f, -2.5f, -4, -4, 0, 0};
        for (int i = 0; i < 8; i++) {
            assertEquals(b0[i] + expect[i], b1[i], 0f, "fc1/b[" + i + "]");
        }
        // fc2/W [8,6]: rows 6,7 and columns 3..5 were never covered: unchanged bits.
        float[] w0 = w.get("fc2/W").data();
        float[] w1 = out.get("fc2/W").data();
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 6; c++) {
                if (r >= 6 || c >= 3) {
                    assertEquals(Float.floatToRawIntBits(w0[r * 6 + c]), Float.floatToRawIntBits(w1[r * 6 + c]));
                }
            }
        }
        // out/b is always covered by both: -2.5
        assertEquals(w.get("out/b").data()[0] - 2.5f, out.get("out/b").data()[0], 0f);
    }

    private static List<NamedTensor> randomUpdate(SubModelLayout l, SplittableRandom r) {
        List<NamedTensor> up = new ArrayList<>();
        for (ParamSpec p : l.sub().params()) {
            if (r.nextBoolean()) {
                float[] d = new float[p.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (r.nextGaussian() * 0.01);
                }
                up.add(new Tensor(p.name(), p.shape(), d));
            } else {
                int nnz = Math.max(1, p.size() / 5);
                int[] idx = r.ints(0, p.size()).distinct().limit(nnz).sorted().toArray();
                float[] val = new float[idx.length];
                for (int i = 0; i < val.length; i++) {
                    val[i] = (float) (r.nextGaussian() * 0.1);
                }
                up.add(new SparseTensor(p.name(), p.shape(), idx, val));
            }
        }
        return up;
    }

    private record Contribution(Selection s, List<NamedTensor> up, long n) {}

    @Test
    void anyArrivalOrderGivesTheSameBitsAndMatchesADoubleReference() {
        ParamSet w = MLP.init(2);
        SplittableRandom r = new SplittableRandom(5);
        List<Contribution> cs = new ArrayList<>();
        for (int k = 0; k < 40; k++) { // more distinct selections than are kept pending: exercises folding
            Map<String, int[]> m = new LinkedHashMap<>();
            m.put("fc1", r.ints(0, 8).distinct().limit(4).sorted().toArray());
            m.put("fc2", r.ints(0, 6).distinct().limit(3).sorted().toArray());
            Selection s = new Selection(m);
            cs.add(new Contribution(s, randomUpdate(new SubModelLayout(MLP, s), r), 1 + r.nextInt(500)));
        }
        ParamSet first = null;
        for (long seed = 0; seed < 5; seed++) {
            List<Contribution> order = new ArrayList<>(cs);
            Collections.shuffle(order, new Random(seed));
            FedAvgAccumulator acc = new FedAvgAccumulator(MLP);
            order.forEach(c -> acc.add(c.s(), c.up(), c.n()));
            ParamSet out = acc.apply(w);
            if (first == null) {
                first = out;
            } else {
                assertTrue(first.bitEquals(out), "order " + seed + " changed the result");
            }
        }
        // Reference in double.
        for (ParamSpec p : MLP.params()) {
            double[] num = new double[p.size()];
            double[] den = new double[p.size()];
            for (Contribution c : cs) {
                SubModelLayout l = new SubModelLayout(MLP, c.s());
                NamedTensor t = c.up().stream()
                        .filter(x -> x.name().equals(p.name()))
                        .findFirst()
                        .orElseThrow();
                float[] d = t.toDense().data();
                int[] map = l.map(p.name());
                for (int i = 0; i < d.length; i++) {
                    int g = map == null ? i : map[i];
                    num[g] += (double) d[i] * c.n();
                    den[g] += c.n();
                }
            }
            float[] w0 = w.get(p.name()).data();
            float[] got = first.get(p.name()).data();
            for (int i = 0; i < w0.length; i++) {
                double expect = den[i] == 0 ? w0[i] : w0[i] + num[i] / den[i];
                assertEquals(expect, got[i], FIXED_POINT_TOLERANCE, p.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void rejectedUpdatesLeaveTheAccumulatorUnchanged() {
        ParamSet w = MLP.init(3);
        Selection full = Selection.full(MLP);
        SplittableRandom r = new SplittableRandom(9);
        List<NamedTensor> good = randomUpdate(new SubModelLayout(MLP, full), r);
        FedAvgAccumulator acc = new FedAvgAccumulator(MLP);
        acc.add(full, good, 10);
        ParamSet before = acc.apply(w);

        List<NamedTensor> nan = new ArrayList<>(good);
        float[] d = new float[MLP.param("out/b").size()];
        d[1] = Float.NaN;
        nan.set(nan.size() - 1, new Tensor("out/b", new int[] {3}, d));
        assertEquals(
                "non_finite",
                assertThrows(UpdateRejectedException.class, () -> acc.add(full, nan, 5))
                        .reason());

        List<NamedTensor> inf = new ArrayList<>(good);
        inf.set(0, new SparseTensor("fc1/W", MLP.param("fc1/W").shape(), new int[] {3}, new float[] {
            Float.POSITIVE_INFINITY
        }));
        assertEquals(
                "non_finite",
                assertThrows(UpdateRejectedException.class, () -> acc.add(full, inf, 5))
                        .reason());

        List<NamedTensor> shape = new ArrayList<>(good);
        shape.set(0, Tensor.zeros("fc1/W", 5, 7));
        assertEquals(
                "wrong_shape",
                assertThrows(UpdateRejectedException.class, () -> acc.add(full, shape, 5))
                        .reason());

        List<NamedTensor> missing = new ArrayList<>(good.subList(1, good.size()));
        assertEquals(
                "wrong_shape",
                assertThrows(UpdateRejectedException.class, () -> acc.add(full, missing, 5))
                        .reason());

        assertEquals(
                "bad_sample_count",
                assertThrows(UpdateRejectedException.class, () -> acc.add(full, good, 0))
                        .reason());
        List<NamedTensor> huge = new ArrayList<>(good);
        huge.set(huge.size() - 1, new Tensor("out/b", new int[] {3}, new float[] {1e9f, 0, 0}));
        assertEquals(
                "out_of_range",
                assertThrows(UpdateRejectedException.class, () -> acc.add(full, huge, 5))
                        .reason());
        Map<String, int[]> bad = new LinkedHashMap<>();
        bad.put("fc1", new int[] {0, 99});
        bad.put("fc2", new int[] {0});
        assertEquals(
                "wrong_selection",
                assertThrows(UpdateRejectedException.class, () -> acc.add(new Selection(bad), good, 5))
                        .reason());

        assertTrue(before.bitEquals(acc.apply(w)));
        assertEquals(1, acc.contributions());
    }

    @Test
    void noContributionKeepsTheModel() {
        ParamSet w = MLP.init(4);
        assertTrue(w.bitEquals(new FedAvgAccumulator(MLP).apply(w)));
    }
}
