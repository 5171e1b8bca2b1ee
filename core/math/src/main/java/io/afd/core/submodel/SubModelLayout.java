package io.afd.core.submodel;

import io.afd.core.model.AxisBinding;
import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Shapes;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index map between a global model and one of its sub-models (Caldas et al. 2018, Federated
 * Dropout, arXiv 1812.07210; Bouacida et al. 2021, AFD, arXiv 2011.04050).
 *
 * <p>For every parameter tensor it holds {@code subToGlobal}: the flat global index of each flat
 * sub-model index (row-major), or {@code null} when the tensor is untouched by the selection. A
 * dropped unit removes its own row/filter and bias and, through the {@link AxisBinding}s, the
 * matching input slice of the next layer, including the {@code H*W} block per channel across the
 * conv-to-dense flatten. All work is plain Java array gathers and scatters.
 */
public final class SubModelLayout {
    private final ModelSpec global;
    private final ModelSpec sub;
    private final Selection selection;
    private final LinkedHashMap<String, int[]> maps = new LinkedHashMap<>();
    private final long subParams;
    private final Map<String, BitSet> masks = new java.util.concurrent.ConcurrentHashMap<>();

    public SubModelLayout(ModelSpec global, Selection selection) {
        selection.validate(global);
        this.global = global;
        this.selection = selection;
        this.sub = global.withWidths(selection.widths());
        long n = 0;
        for (ParamSpec p : global.params()) {
            maps.put(p.name(), buildMap(p));
            n += sub.param(p.name()).size();
        }
        this.subParams = n;
    }

    public ModelSpec global() {
        return global;
    }

    public ModelSpec sub() {
        return sub;
    }

    public Selection selection() {
        return selection;
    }

    /** Scalar parameters of the sub-model. */
    public long subParams() {
        return subParams;
    }

    /** Flat global index of each flat sub-model index of a tensor, or null for the identity. */
    public int[] map(String tensor) {
        if (!maps.containsKey(tensor)) {
            throw new IllegalArgumentException("no tensor " + tensor + " in " + global);
        }
        return maps.get(tensor);
    }

    public int subSize(String tensor) {
        return sub.param(tensor).size();
    }

    /** {@code out[i] = global[map[i]]}. */
    public void gather(String tensor, float[] globalValues, float[] out) {
        int[] m = map(tensor);
        if (m == null) {
            System.arraycopy(globalValues, 0, out, 0, out.length);
            return;
        }
        for (int i = 0; i < m.length; i++) {
            out[i] = globalValues[m[i]];
        }
    }

    /** {@code global[map[i]] = sub[i]}; other global coordinates are left alone. */
    public void scatter(String tensor, float[] subValues, float[] globalValues) {
        int[] m = map(tensor);
        if (m == null) {
            System.arraycopy(subValues, 0, globalValues, 0, subValues.length);
            return;
        }
        for (int i = 0; i < m.length; i++) {
            globalValues[m[i]] = subValues[i];
        }
    }

    /** The dense sub-model: each tensor gathered from the global weights. */
    public ParamSet extract(ParamSet globalWeights) {
        global.validate(globalWeights);
        ParamSet out = new ParamSet();
        for (ParamSpec p : sub.params()) {
            float[] d = new float[p.size()];
            gather(p.name(), globalWeights.get(p.name()).data(), d);
            out.put(new Tensor(p.name(), p.shape(), d));
        }
        return out;
    }

    /**
     * Maps a sub-model-shaped update (dense or sparse tensors) to global coordinates.
     *
     * @return the update scattered into zero global tensors, and per tensor the mask of global
     *     coordinates the sub-model covers
     */
    public Restored restore(List<? extends NamedTensor> update) {
        Map<String, NamedTensor> byName = new LinkedHashMap<>();
        for (NamedTensor t : update) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor " + t.name() + " in update");
            }
        }
        ParamSet values = new ParamSet();
        LinkedHashMap<String, BitSet> masks = new LinkedHashMap<>();
        for (ParamSpec gp : global.params()) {
            NamedTensor t = byName.remove(gp.name());
            if (t == null) {
                throw new IllegalArgumentException("update lacks tensor " + gp.name());
            }
            checkSubShape(t);
            float[] out = new float[gp.size()];
            int[] m = maps.get(gp.name());
            if (t instanceof SparseTensor s) {
                int[] idx = s.indices();
                float[] val = s.values();
                for (int i = 0; i < idx.length; i++) {
                    out[m == null ? idx[i] : m[idx[i]]] = val[i];
                }
            } else {
                scatter(gp.name(), ((Tensor) t).data(), out);
            }
            BitSet mask = (BitSet) coverage(gp.name()).clone();
            values.put(new Tensor(gp.name(), gp.shape(), out));
            masks.put(gp.name(), mask);
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException("update has unknown tensors " + byName.keySet());
        }
        return new Restored(values, masks);
    }

    /** Global coordinates of a tensor the sub-model covers (cached; callers must not modify it). */
    private BitSet coverage(String tensor) {
        return masks.computeIfAbsent(tensor, name -> {
            int size = global.param(name).size();
            int[] m = maps.get(name);
            BitSet mask = new BitSet(size);
            if (m == null) {
                mask.set(0, size);
                return mask;
            }
            // map is ascending: set runs of consecutive indices at once
            int i = 0;
            while (i < m.length) {
                int j = i + 1;
                while (j < m.length && m[j] == m[j - 1] + 1) {
                    j++;
                }
                mask.set(m[i], m[j - 1] + 1);
                i = j;
            }
            return mask;
        });
    }

    /** Throws unless the tensor has this layout's sub-model shape. */
    public void checkSubShape(NamedTensor t) {
        int[] expect = sub.param(t.name()).shape();
        if (!Arrays.equals(expect, t.shape())) {
            throw new IllegalArgumentException("tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                    + " but selection " + selection.id() + " needs " + Arrays.toString(expect));
        }
    }

    /** An update in global coordinates and the coordinates it covers. */
    public record Restored(ParamSet values, Map<String, BitSet> masks) {}

    private int[] buildMap(ParamSpec p) {
        if (p.bindings().isEmpty()) {
            return null;
        }
        int[] shape = p.shape();
        int rank = shape.length;
        int[] strides = Shapes.strides(shape);
        // Per axis: the global offsets (index * stride) of the kept positions along it.
        int[][] offsets = new int[rank][];
        boolean identity = true;
        for (int a = 0; a < rank; a++) {
            int[] keptPositions = null;
            for (AxisBinding b : p.bindings()) {
                if (b.axis() == a) {
                    int[] units = selection.kept(b.layer());
                    if (units.length != global.units(b.layer())) {
                        identity = false;
                    }
                    keptPositions = new int[units.length * b.block()];
                    for (int u = 0; u < units.length; u++) {
                        for (int j = 0; j < b.block(); j++) {
                            keptPositions[u * b.block() + j] = units[u] * b.block() + j;
                        }
                    }
                }
            }
            if (keptPositions == null) {
                keptPositions = new int[shape[a]];
                Arrays.setAll(keptPositions, i -> i);
            }
            offsets[a] = new int[keptPositions.length];
            for (int i = 0; i < keptPositions.length; i++) {
                offsets[a][i] = keptPositions[i] * strides[a];
            }
        }
        if (identity) {
            return null;
        }
        int n = 1;
        for (int[] o : offsets) {
            n *= o.length;
        }
        int[] map = new int[n];
        fill(offsets, 0, 0, map, new int[] {0});
        return map;
    }

    private static void fill(int[][] offsets, int axis, int base, int[] map, int[] pos) {
        int[] o = offsets[axis];
        if (axis == offsets.length - 1) {
            int p = pos[0];
            for (int value : o) {
                map[p++] = base + value;
            }
            pos[0] = p;
            return;
        }
        for (int value : o) {
            fill(offsets, axis + 1, base + value, map, pos);
        }
    }

    @Override
    public String toString() {
        return "SubModelLayout[" + global + " -> " + sub + ", " + selection + "]";
    }
}
