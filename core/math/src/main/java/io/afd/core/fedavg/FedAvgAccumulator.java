package io.afd.core.fedavg;

import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sub-model-aware, order-independent federated averaging (McMahan et al., "Communication-Efficient
 * Learning of Deep Networks from Decentralized Data", AISTATS 2017, arXiv 1602.05629).
 *
 * <p>Clients send weight deltas in sub-model coordinates. For every global coordinate i the new
 * weight is {@code w_i + sum_k n_k·delta_k,i / sum_{k covering i} n_k}, where client k covers i when
 * its selection kept i; coordinates no client covered keep their value.
 *
 * <p><b>Exactness.</b> Each contribution {@code n_k·delta} is rounded once to a fixed-point long
 * with {@value #FRACTION_BITS} fraction bits and summed in 64-bit integers, which is associative:
 * the same updates in any order give the same bits, and memory does not grow with the number of
 * clients (one long per coordinate, plus the coverage of distinct selections, folded into counts
 * past {@value #MAX_PENDING_SELECTIONS} of them). Values with {@code |n_k·delta| > 2^20} are
 * rejected, which bounds every sum below 2^63 for up to 2^15 clients per round.
 */
public final class FedAvgAccumulator {
    /** Fixed-point resolution of each n_k·delta contribution: 2^-28 (about 3.7e-9). */
    public static final int FRACTION_BITS = 28;
    /** Largest accepted |n_k·delta|. */
    public static final double MAX_WEIGHTED_ABS = 1 << 20;
    /** Largest number of contributions per round (keeps sums below 2^63). */
    public static final int MAX_CONTRIBUTIONS = 1 << 15;

    static final int MAX_PENDING_SELECTIONS = 16;
    private static final double SCALE = 1L << FRACTION_BITS;

    private final ModelSpec global;
    private final Map<String, long[]> sums = new LinkedHashMap<>();
    /** Coverage weight per coordinate, for selections folded out of {@link #pending}. */
    private final Map<String, long[]> folded = new HashMap<>();
    /** Sum of n_k per distinct selection not yet folded. */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

    private final Map<String, SubModelLayout> layoutCache = new HashMap<>();
    private int contributions;
    private long totalSamples;

    public FedAvgAccumulator(ModelSpec global) {
        this.global = global;
        for (ParamSpec p : global.params()) {
            sums.put(p.name(), new long[p.size()]);
        }
    }

    public ModelSpec global() {
        return global;
    }

    public int contributions() {
        return contributions;
    }

    public long totalSamples() {
        return totalSamples;
    }

    /**
     * Adds one client's update. The update is fully validated before anything changes: a rejected
     * update leaves the accumulator as it was.
     *
     * @param selection  the selection the client trained (its sub-model)
     * @param update     weight deltas in sub-model coordinates, one tensor per parameter
     * @param numSamples the client's sample count n_k (> 0)
     * @throws UpdateRejectedException with a reason code when the update is not acceptable
     */
    public void add(Selection selection, List<? extends NamedTensor> update, long numSamples) {
        if (numSamples <= 0 || numSamples > (1L << 31)) {
            throw new UpdateRejectedException(
                    "bad_sample_count", "sample count must be in [1, 2^31], got " + numSamples);
        }
        if (contributions >= MAX_CONTRIBUTIONS) {
            throw new UpdateRejectedException("round_full", "round already has " + contributions + " contributions");
        }
        SubModelLayout layout;
        try {
            layout = layout(selection);
        } catch (IllegalArgumentException e) {
            throw new UpdateRejectedException("wrong_selection", e.getMessage());
        }
        Map<String, NamedTensor> byName = new HashMap<>();
        for (NamedTensor t : update) {
            if (byName.put(t.name(), t) != null) {
                throw new UpdateRejectedException("wrong_shape", "duplicate tensor " + t.name());
            }
        }
        if (!byName.keySet().equals(sums.keySet())) {
            throw new UpdateRejectedException(
                    "wrong_shape",
                    "update tensors " + byName.keySet() + " do not match model tensors " + sums.keySet());
        }
        double limit = MAX_WEIGHTED_ABS / numSamples;
        for (NamedTensor t : byName.values()) {
            try {
                layout.checkSubShape(t);
            } catch (IllegalArgumentException e) {
                throw new UpdateRejectedException("wrong_shape", e.getMessage());
            }
            float[] vals = t instanceof SparseTensor s ? s.values() : ((Tensor) t).data();
            for (int i = 0; i < vals.length; i++) {
                float x = vals[i];
                if (!Float.isFinite(x)) {
                    throw new UpdateRejectedException(
                            "non_finite",
                            "tensor " + t.name() + " has a non-finite value (" + x + ") at position " + i);
                }
                if (Math.abs(x) > limit) {
                    throw new UpdateRejectedException(
                            "out_of_range",
                            "tensor " + t.name() + " value " + x + " exceeds the accepted magnitude " + limit
                                    + " for n=" + numSamples);
                }
            }
        }
        // Accept: accumulate.
        for (NamedTensor t : byName.values()) {
            long[] sum = sums.get(t.name());
            int[] map = layout.map(t.name());
            if (t instanceof SparseTensor s) {
                int[] idx = s.indices();
                float[] val = s.values();
                for (int j = 0; j < idx.length; j++) {
                    int g = map == null ? idx[j] : map[idx[j]];
                    sum[g] += fixed(val[j], numSamples);
                }
            } else {
                float[] val = ((Tensor) t).data();
                for (int j = 0; j < val.length; j++) {
                    if (val[j] != 0f) {
                        int g = map == null ? j : map[j];
                        sum[g] += fixed(val[j], numSamples);
                    }
                }
            }
        }
        pending.computeIfAbsent(selection.id(), k -> new Pending(selection)).samples += numSamples;
        if (pending.size() > MAX_PENDING_SELECTIONS) {
            foldOldest();
        }
        contributions++;
        totalSamples += numSamples;
    }

    /**
     * The averaged model: {@code globalWeights} plus the coverage-weighted mean delta. The inputs are
     * not modified. With no contributions the weights come back unchanged (copied).
     */
    public ParamSet apply(ParamSet globalWeights) {
        global.validate(globalWeights);
        ParamSet out = new ParamSet();
        for (ParamSpec p : global.params()) {
            float[] w = globalWeights.get(p.name()).data();
            long[] sum = sums.get(p.name());
            long[] cover = coverage(p.name());
            float[] nw = w.clone();
            for (int i = 0; i < nw.length; i++) {
                long c = cover[i];
                if (c > 0 && sum[i] != 0) {
                    nw[i] = (float) (w[i] + (sum[i] / SCALE) / c);
                }
            }
            out.put(new Tensor(p.name(), p.shape(), nw));
        }
        return out;
    }

    /** Total coverage weight (sum of n_k of covering clients) per coordinate of a tensor. */
    long[] coverage(String tensor) {
        long[] c = folded.containsKey(tensor) ? folded.get(tensor).clone() : new long[sums.get(tensor).length];
        for (Pending p : pending.values()) {
            addCoverage(layout(p.selection), tensor, p.samples, c);
        }
        return c;
    }

    private void foldOldest() {
        Iterator<Pending> it = pending.values().iterator();
        Pending p = it.next();
        it.remove();
        SubModelLayout layout = layout(p.selection);
        for (String tensor : sums.keySet()) {
            long[] c = folded.computeIfAbsent(tensor, k -> new long[sums.get(k).length]);
            addCoverage(layout, tensor, p.samples, c);
        }
        layoutCache.remove(p.selection.id());
    }

    private static void addCoverage(SubModelLayout layout, String tensor, long samples, long[] c) {
        int[] map = layout.map(tensor);
        if (map == null) {
            for (int i = 0; i < c.length; i++) {
                c[i] += samples;
            }
        } else {
            for (int g : map) {
                c[g] += samples;
            }
        }
    }

    private SubModelLayout layout(Selection s) {
        SubModelLayout l = layoutCache.get(s.id());
        if (l == null) {
            if (layoutCache.size() > 2 * MAX_PENDING_SELECTIONS) {
                layoutCache.clear();
            }
            l = new SubModelLayout(global, s);
            layoutCache.put(s.id(), l);
        }
        return l;
    }

    private static long fixed(float value, long n) {
        return Math.round((double) value * n * SCALE);
    }

    private static final class Pending {
        final Selection selection;
        long samples;

        Pending(Selection selection) {
            this.selection = selection;
        }
    }

    @Override
    public String toString() {
        return "FedAvgAccumulator[" + global + ", contributions=" + contributions + ", samples=" + totalSamples
                + ", selections=" + pending.size() + "+" + (folded.isEmpty() ? 0 : "folded") + "]";
    }
}
