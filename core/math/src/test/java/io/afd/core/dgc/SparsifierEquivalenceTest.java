package io.afd.core.dgc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.model.ModelSpec;
import io.afd.core.model.ParamSpec;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast {@link Sparsifier} selects exactly what {@link ReferenceSparsifier} (the implementation it
 * replaced) selects, consumes the same randomness, and the sparse-f32 blobs of whole-model updates
 * keep the bytes they had before (golden SHA-256 values recorded with the reference implementation).
 */
class SparsifierEquivalenceTest {
    private static final double[] SPARSITIES = {
        0, 0.1, 0.5, 0.75, 0.9375, 0.984375, 0.996, 0.999, 0.9999, 0.99999, 0.999999
    };
    private static final double[] SAMPLE_RATIOS = {0.01, 0.001, 0.05, 0.3, 1.0};
    private static final double[] TOLERANCES = {0.2, 0, 0.05, 1.0, 2.0};
    private static final int[] SIZES = {
        0, 1, 2, 3, 10, 100, 999, 1000, 1023, 1024, 1500, 1999, 2000, 2001, 2047, 5000, 20_000, 100_003, 262_144
    };

    /** Ways to fill a vector, chosen to reach every branch: in tolerance, too many, too few, ties. */
    private enum Kind {
        GAUSSIAN,
        SPARSE_ZEROS, // most entries exactly +0.0 or -0.0
        TIES, // small integers: many values equal to the threshold
        CONSTANT,
        SPIKES, // tiny noise plus a few huge values the sample misses
        PERIODIC, // a pattern aligned with the sample stride
        LOG_UNIFORM, // magnitudes over 80 binary orders, subnormals included
        ALL_ZERO,
        NON_FINITE // Gaussian with a few infinities and NaNs
    }

    @Test
    void selectsTheSameCoordinatesAsTheReferenceOnManyVectors() {
        SplittableRandom meta = new SplittableRandom(13);
        int cases = 0;
        for (int n : SIZES) {
            for (Kind kind : Kind.values()) {
                int reps = n > 50_000 ? 2 : 4;
                for (int rep = 0; rep < reps; rep++) {
                    float[] v = fill(kind, n, meta.nextLong());
                    for (double s : SPARSITIES) {
                        double ratio = SAMPLE_RATIOS[meta.nextInt(SAMPLE_RATIOS.length)];
                        double tol = TOLERANCES[meta.nextInt(TOLERANCES.length)];
                        // the paper settings on every vector, plus one random combination
                        check(v, s, 0.01, 0.2, meta.nextLong(), kind);
                        check(v, s, ratio, tol, meta.nextLong(), kind);
                        cases += 2;
                    }
                }
            }
        }
        assertEquals(2 * SPARSITIES.length * Kind.values().length * (SIZES.length * 4 - 2 * 2), cases, "cases run");
    }

    @Test
    void manySeedsOnOneLargeVectorHitEveryBranchTheSameWay() {
        // A 1 % sample of 300k values at 99.9 % has ks = 3: the count often misses the 20 % band in
        // both directions, so the too-many and too-few corrections run here many times.
        float[] v = fill(Kind.GAUSSIAN, 300_000, 99);
        float[] w = fill(Kind.TIES, 300_000, 98);
        for (long seed = 0; seed < 300; seed++) {
            check(v, 0.999, 0.01, 0.2, seed, Kind.GAUSSIAN);
            check(w, 0.999, 0.01, 0.2, seed, Kind.TIES);
        }
    }

    @Test
    void theInputIsNotModified() {
        float[] v = fill(Kind.GAUSSIAN, 100_000, 5);
        float[] copy = v.clone();
        Sparsifier.selectWithValues(v, 0.999, 0.01, 0.2, new SplittableRandom(1));
        assertArrayEquals(copy, v);
    }

    /**
     * Golden bytes: SHA-256 of the sparse-f32 blob of a whole-model DGC update, built the way
     * {@code LocalTrainer} builds it (tensors under 1024 elements dense as -v, the rest -v at the
     * selected coordinates, one threshold random stream across the tensors). Recorded with {@link
     * ReferenceSparsifier}'s algorithm (commit 2525275).
     */
    @Test
    void wholeModelUpdatesKeepTheirBytes() {
        ModelSpec cnn = ModelSpec.leafCnn(62);
        ModelSpec mlp = ModelSpec.mlp(60, 10, 200, 200);
        assertDigest("b9006f1ab650885270b9668b287c08b188296cba1c11a77d6ff65cf23911ed15", cnn, 0.999, 3, 20240611L);
        assertDigest("07dfc6c5027f5ed74ee41815c6ac4404c23534da6423c6b3ef88884b58b4f9ca", cnn, 0.75, 1, 7L);
        assertDigest("43c7e18b7512a07b5dc7058d3672766414b727239e266003411b53d9323c21e6", mlp, 0.999, 50, 11L);
        assertDigest("5b619f4ce07781ef52311c6ce2a71c2ca5d9b9cac1c977eada25a4855f091984", mlp, 0.9375, 50, 12L);
    }

    /** A sparsifier under test: the fast one or the reference. */
    private interface Selector {
        Sparsifier.Selected select(float[] v, double s, double ratio, double tol, SplittableRandom rnd);
    }

    private static Sparsifier.Selected reference(float[] v, double s, double ratio, double tol, SplittableRandom rnd) {
        int[] idx = ReferenceSparsifier.select(v, s, ratio, tol, rnd);
        float[] val = new float[idx.length];
        for (int j = 0; j < idx.length; j++) {
            val[j] = v[idx[j]];
        }
        return new Sparsifier.Selected(idx, val);
    }

    private static void assertDigest(String expected, ModelSpec spec, double sparsity, int seeds, long seed0) {
        assertEquals(
                expected,
                updateDigest(spec, sparsity, seeds, seed0, SparsifierEquivalenceTest::reference),
                "reference");
        assertEquals(expected, updateDigest(spec, sparsity, seeds, seed0, Sparsifier::selectWithValues), "fast");
    }

    private static String updateDigest(ModelSpec spec, double sparsity, int seeds, long seed0, Selector selector) {
        MessageDigest md = sha256();
        for (int s = 0; s < seeds; s++) {
            SplittableRandom data = new SplittableRandom(seed0 + s);
            SplittableRandom thrRnd = new SplittableRandom(~(seed0 + s));
            List<NamedTensor> update = new ArrayList<>();
            for (ParamSpec p : spec.params()) {
                float[] v = gaussian(p.size(), data, 1e-3 * (0.5 + data.nextDouble()));
                if (p.size() < 1024) {
                    float[] d = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        d[i] = -v[i];
                    }
                    update.add(new Tensor(p.name(), p.shape(), d));
                } else {
                    Sparsifier.Selected sel = selector.select(v, sparsity, 0.01, 0.2, thrRnd);
                    float[] val = sel.values();
                    for (int j = 0; j < val.length; j++) {
                        val[j] = -val[j];
                    }
                    update.add(new SparseTensor(p.name(), p.shape(), sel.indices(), val));
                }
            }
            md.update(TensorCodec.encode(update, CodecSpec.SPARSE_F32));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void check(float[] v, double s, double ratio, double tol, long seed, Kind kind) {
        String where = kind + " n=" + v.length + " s=" + s + " ratio=" + ratio + " tol=" + tol + " seed=" + seed;
        SplittableRandom r1 = new SplittableRandom(seed);
        SplittableRandom r2 = new SplittableRandom(seed);
        SplittableRandom r3 = new SplittableRandom(seed);
        int[] expected = ReferenceSparsifier.select(v, s, ratio, tol, r1);
        Sparsifier.Selected got = Sparsifier.selectWithValues(v, s, ratio, tol, r2);
        assertArrayEquals(expected, got.indices(), where);
        float[] expectedValues = new float[expected.length];
        for (int j = 0; j < expected.length; j++) {
            expectedValues[j] = v[expected[j]];
        }
        assertArrayEquals(bits(expectedValues), bits(got.values()), where + ": values");
        assertArrayEquals(expected, Sparsifier.select(v, s, ratio, tol, r3), where + ": select");
        long next = r1.nextLong();
        assertEquals(next, r2.nextLong(), where + ": randomness consumed");
        assertEquals(next, r3.nextLong(), where + ": randomness consumed by select");
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }

    private static float[] fill(Kind kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        switch (kind) {
            case GAUSSIAN -> v = gaussian(n, r, 1e-3 * (0.5 + r.nextDouble()));
            case SPARSE_ZEROS -> {
                double keep = r.nextDouble() * 0.05;
                for (int i = 0; i < n; i++) {
                    double u = r.nextDouble();
                    v[i] = u < keep ? (float) (r.nextDouble() - 0.5) : (u < 0.5 ? 0f : -0f);
                }
            }
            case TIES -> {
                int levels = 1 + r.nextInt(6);
                for (int i = 0; i < n; i++) {
                    v[i] = r.nextInt(2 * levels + 1) - levels;
                }
            }
            case CONSTANT -> java.util.Arrays.fill(v, r.nextBoolean() ? 0.25f : -3f);
            case SPIKES -> {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((r.nextDouble() - 0.5) * 1e-6);
                }
                for (int j = 0; j < Math.min(n, 1 + r.nextInt(40)); j++) {
                    v[r.nextInt(n)] = (float) ((r.nextBoolean() ? 1 : -1) * (1 + r.nextDouble()) * 100);
                }
            }
            case PERIODIC -> {
                int period = 1 + r.nextInt(200);
                for (int i = 0; i < n; i++) {
                    v[i] = i % period == 0 ? 1f + (i % 7) : 1e-3f * (i % 5);
                }
            }
            case LOG_UNIFORM -> {
                for (int i = 0; i < n; i++) {
                    float m = (float) Math.scalb(1.0 + r.nextDouble(), -r.nextInt(160));
                    v[i] = r.nextBoolean() ? m : -m;
                }
            }
            case ALL_ZERO -> {}
            case NON_FINITE -> {
                v = gaussian(n, r, 1);
                for (int j = 0; j < Math.min(n, 1 + r.nextInt(5)); j++) {
                    int pick = r.nextInt(4);
                    v[r.nextInt(n)] = pick == 0
                            ? Float.NaN
                            : pick == 1
                                    ? Float.POSITIVE_INFINITY
                                    : pick == 2 ? Float.NEGATIVE_INFINITY : Float.intBitsToFloat(0xffc00123);
                }
            }
            default -> throw new AssertionError(kind);
        }
        return v;
    }

    /** Box-Muller normals from nextDouble only (stable across JDKs, unlike nextGaussian). */
    private static float[] gaussian(int n, SplittableRandom r, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1)) * scale;
            v[i] = (float) (rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                v[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
            }
        }
        return v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
