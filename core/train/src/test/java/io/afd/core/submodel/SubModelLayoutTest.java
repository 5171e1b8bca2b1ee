package io.afd.core.submodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.model.ModelSpec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SubModelLayoutTest {
    /** Float32 forward passes of the same network through different graphs agree to this. */
    private static final float FORWARD_TOLERANCE = 1e-5f;

    private static final ModelSpec SMALL_CNN = ModelSpec.cnn(1, 8, 8, 4, 6, 10, 3);
    private static final ModelSpec SMALL_MLP = ModelSpec.mlp(7, 3, 9, 5);

    static Selection randomSelection(ModelSpec spec, double d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, int[]> m = new LinkedHashMap<>();
        for (String layer : spec.droppableLayers()) {
            int n = spec.units(layer);
            int k = Selection.keepCount(n, d);
            int[] perm = new int[n];
            Arrays.setAll(perm, i -> i);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int[] kept = Arrays.copyOf(perm, k);
            Arrays.sort(kept);
            m.put(layer, kept);
        }
        return new Selection(m);
    }

    @Test
    void leafCnnHasThePublishedParameterCount() {
        assertEquals(6_603_710L, ModelSpec.leafCnn(62).numParams());
    }

    @Test
    void restoreOfExtractEqualsWeightsOnTheMaskBitForBit() {
        for (ModelSpec spec : List.of(SMALL_CNN, SMALL_MLP)) {
            for (long seed = 0; seed < 20; seed++) {
                ParamSet w = spec.init(seed);
                Selection s = randomSelection(spec, 0.1 * (seed % 9), seed);
                SubModelLayout layout = new SubModelLayout(spec, s);
                ParamSet sub = layout.extract(w);
                layout.sub().validate(sub);
                SubModelLayout.Restored r = layout.restore(sub.list());
                for (Tensor t : w) {
                    float[] back = r.values().get(t.name()).data();
                    BitSet mask = r.masks().get(t.name());
                    assertEquals(sub.get(t.name()).data().length, mask.cardinality(), t.name());
                    for (int i = 0; i < back.length; i++) {
                        if (mask.get(i)) {
                            assertEquals(
                                    Float.floatToRawIntBits(t.data()[i]),
                                    Float.floatToRawIntBits(back[i]),
                                    spec + " " + t.name() + "[" + i + "]");
                        } else {
                            assertEquals(0f, back[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void flattenBoundaryKeepsWholeChannelBlocks() {
        // conv2 unit j owns rows [j*4, j*4+4) of fc1/W (spatial 2x2 after two pools of 8x8).
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("conv1", new int[] {0, 1, 2, 3});
        m.put("conv2", new int[] {1, 4});
        m.put("fc1", new int[] {0, 9});
        SubModelLayout layout = new SubModelLayout(SMALL_CNN, new Selection(m));
        int[] map = layout.map("fc1/W");
        // sub fc1/W is [2*4, 2]; global is [6*4, 10]
        int[] expectRows = {4, 5, 6, 7, 16, 17, 18, 19};
        assertEquals(16, map.length);
        for (int r = 0; r < 8; r++) {
            assertEquals(expectRows[r] * 10, map[r * 2], "row " + r + " col 0");
            assertEquals(expectRows[r] * 10 + 9, map[r * 2 + 1], "row " + r + " col 9");
        }
        // conv2/W [2, 4, 5, 5] keeps output filters 1 and 4 and all input channels
        assertEquals(1 * 4 * 25, layout.map("conv2/W")[0]);
        assertEquals(4 * 4 * 25, layout.map("conv2/W")[100]);
        // conv1 keeps everything: identity
        assertEquals(null, layout.map("conv1/W"));
        assertArrayEquals(new int[] {2, 4, 5, 5}, layout.sub().param("conv2/W").shape());
    }

    @Test
    void sparseRestoreMapsIndicesToGlobalCoordinates() {
        Selection s = randomSelection(SMALL_MLP, 0.5, 3);
        SubModelLayout layout = new SubModelLayout(SMALL_MLP, s);
        ParamSet w = SMALL_MLP.init(1);
        ParamSet sub = layout.extract(w);
        List<io.afd.core.tensor.NamedTensor> sparse = new java.util.ArrayList<>();
        for (Tensor t : sub) {
            sparse.add(new SparseTensor(t.name(), t.shape(), new int[] {0, t.data().length - 1}, new float[] {
                t.data()[0], t.data()[t.data().length - 1]
            }));
        }
        SubModelLayout.Restored r = layout.restore(sparse);
        for (Tensor t : sub) {
            int[] m = layout.map(t.name());
            int first = m == null ? 0 : m[0];
            int last = m == null ? t.data().length - 1 : m[m.length - 1];
            float[] g = r.values().get(t.name()).data();
            assertEquals(t.data()[0], g[first]);
            assertEquals(t.data()[t.data().length - 1], g[last]);
        }
    }

    @Test
    void subModelForwardEqualsFullForwardWithDroppedUnitsZeroed() {
        for (ModelSpec spec : List.of(SMALL_CNN, SMALL_MLP)) {
            ParamSet w = spec.init(42);
            Selection s = randomSelection(spec, 0.5, 7);
            SubModelLayout layout = new SubModelLayout(spec, s);
            ParamSet sub = layout.extract(w);
            // Zero every dropped unit's weights and bias in a copy of the full model.
            ParamSet zeroed = w.copy();
            SubModelLayout.Restored kept = layout.restore(sub.list());
            for (Tensor t : zeroed) {
                BitSet mask = kept.masks().get(t.name());
                boolean ownUnits = spec.param(t.name()).bindings().stream()
                        .anyMatch(b ->
                                b.layer().equals(t.name().substring(0, t.name().indexOf('/'))));
                if (ownUnits) {
                    for (int i = 0; i < t.data().length; i++) {
                        if (!mask.get(i)) {
                            t.data()[i] = 0f;
                        }
                    }
                }
            }
            int n = 5;
            float[] x = new float[n * spec.inputSize()];
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
            ModelRuntime full = ModelRuntime.create(spec);
            full.setParams(zeroed);
            ModelRuntime small = ModelRuntime.create(layout.sub());
            small.setParams(sub);
            float[] a = full.logits(x, n);
            float[] b = small.logits(x, n);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], FORWARD_TOLERANCE, spec + " logit " + i);
            }
        }
    }

    @Test
    void rejectsWrongShapesAndUnknownTensors() {
        Selection s = randomSelection(SMALL_MLP, 0.5, 3);
        SubModelLayout layout = new SubModelLayout(SMALL_MLP, s);
        ParamSet sub = layout.extract(SMALL_MLP.init(1));
        List<Tensor> bad = new java.util.ArrayList<>(sub.list());
        bad.set(0, Tensor.zeros("fc1/W", 7, 9));
        assertThrows(IllegalArgumentException.class, () -> layout.restore(bad));
        List<Tensor> missing = new java.util.ArrayList<>(sub.list());
        missing.remove(0);
        assertThrows(IllegalArgumentException.class, () -> layout.restore(missing));
        Map<String, int[]> outOfRange = new LinkedHashMap<>();
        outOfRange.put("fc1", new int[] {0, 9});
        outOfRange.put("fc2", new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> new SubModelLayout(SMALL_MLP, new Selection(outOfRange)));
    }

    @Test
    void selectionIdIsStableAndRoundTrips() {
        Selection s = randomSelection(SMALL_CNN, 0.5, 11);
        Selection back = Selection.parse(s.canonical());
        assertEquals(s, back);
        assertEquals(s.id(), back.id());
        assertFalse(s.id().equals(randomSelection(SMALL_CNN, 0.5, 12).id()));
        assertTrue(s.id().matches("[0-9a-f]{16}"));
        assertEquals(1, Selection.keepCount(3, 0.9));
        assertEquals(16, Selection.keepCount(32, 0.5));
        assertEquals(24, Selection.keepCount(32, 0.25));
    }
}
