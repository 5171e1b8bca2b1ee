package io.afd.bench;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.dgc.Sparsifier;
import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.scoremap.Sampling;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inputs shared by the benchmarks and by {@link BenchMain}'s size report: the LEAF FEMNIST CNN
 * (62 classes, 6,603,710 parameters), a dropout-0.5 selection, DGC residuals and their sparse
 * encodings. Everything is seeded, so every fork sees the same data.
 */
public final class Fixtures {
    /** The LEAF FEMNIST CNN: conv 32 - conv 64 - fc 2048 - 62 classes. */
    public static final ModelSpec SPEC = ModelSpec.leafCnn(62);
    /** Dropout rate of the benchmarked sub-model, on every droppable layer. */
    public static final double DROPOUT = 0.5;
    /** DGC final sparsity (fraction withheld). */
    public static final double SPARSITY = 0.999;
    /** DGC paper settings: denseBelow 1024, sampleRatio 0.01, tolerance 0.2. */
    public static final DgcConfig DGC = DgcConfig.paper();

    public static final long SEED = 20240611L;

    private Fixtures() {}

    /**
     * Dropout {@code rate} on every droppable layer: per layer, {@link Selection#keepCount} units
     * drawn uniformly without replacement (partial Fisher-Yates), sorted.
     */
    public static Selection dropoutSelection(ModelSpec spec, double rate, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, int[]> kept = new LinkedHashMap<>();
        for (String layer : spec.droppableLayers()) {
            int n = spec.units(layer);
            kept.put(layer, Sampling.uniform(n, Selection.keepCount(n, rate), rnd));
        }
        return new Selection(kept);
    }

    /** The benchmarked selection: dropout 0.5 on conv1, conv2 and fc1 of the LEAF CNN. */
    public static Selection selection() {
        return dropoutSelection(SPEC, DROPOUT, SEED);
    }

    /**
     * A DGC velocity residual per tensor of {@code spec}: Gaussian with a per-tensor scale, like the
     * accumulated {@code eta * u} of a few local steps.
     */
    public static Map<String, float[]> residual(ModelSpec spec, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParamSpec p : spec.params()) {
            float[] v = new float[p.size()];
            double scale = 1e-3 * (0.5 + rnd.nextDouble());
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() * scale);
            }
            out.put(p.name(), v);
        }
        return out;
    }

    /**
     * What {@code LocalTrainer} sends at a sparsity: per tensor, {@link Sparsifier#selectWithValues} on
     * the residual, the selected values negated into a {@link SparseTensor}; tensors under
     * {@code denseBelow} elements go dense. The residual is not modified (the trainer would zero the
     * sent coordinates; that is a separate write pass and not part of the encode path).
     */
    public static List<NamedTensor> sparsify(
            ModelSpec spec, Map<String, float[]> residual, double sparsity, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<NamedTensor> update = new ArrayList<>(spec.params().size());
        for (ParamSpec p : spec.params()) {
            float[] v = residual.get(p.name());
            if (p.size() < DGC.denseBelow()) {
                float[] d = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = -v[i];
                }
                update.add(new Tensor(p.name(), p.shape(), d));
            } else {
                Sparsifier.Selected sel =
                        Sparsifier.selectWithValues(v, sparsity, DGC.sampleRatio(), DGC.tolerance(), rnd);
                float[] val = sel.values();
                for (int j = 0; j < val.length; j++) {
                    val[j] = -val[j];
                }
                update.add(new SparseTensor(p.name(), p.shape(), sel.indices(), val));
            }
        }
        return update;
    }

    /** Sparsify and encode with {@link CodecSpec#SPARSE_F32}: the full uplink DGC encode path. */
    public static byte[] dgcEncode(ModelSpec spec, Map<String, float[]> residual, double sparsity, long seed) {
        return TensorCodec.encode(sparsify(spec, residual, sparsity, seed), CodecSpec.SPARSE_F32);
    }

    /** Shape of the DGC-encoded update: "full" = the global model, "dropout0.5" = the sub-model. */
    public static ModelSpec updateSpec(String shape) {
        return switch (shape) {
            case "full" -> SPEC;
            case "dropout0.5" -> new SubModelLayout(SPEC, selection()).sub();
            default -> throw new IllegalArgumentException("unknown update shape " + shape);
        };
    }

    /** Non-zero values of an update (sparse nnz plus dense non-zeros). */
    public static long sentValues(List<? extends NamedTensor> update) {
        long n = 0;
        for (NamedTensor t : update) {
            if (t instanceof SparseTensor s) {
                n += s.nnz();
            } else {
                for (float x : ((Tensor) t).data()) {
                    if (x != 0f) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
