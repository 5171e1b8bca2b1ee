package io.afd.core.dgc;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Top-k selection by magnitude with a sampled threshold, as in DGC (arXiv 1712.01887, §3.1): the
 * threshold is the top-s quantile of |v| over a systematic random sample; when the count it selects is off
 * by more than a tolerance, it is corrected by an exact selection. Plain Java arrays throughout.
 *
 * <p>What is selected is defined by full passes over the vector (count at the sampled threshold, then
 * the exact k-th largest of the candidates or of all |v| when the count is off); the implementation
 * reads the vector once and derives the same thresholds from one set of candidates (see
 * {@link #selectWithValues}). {@code SparsifierEquivalenceTest} holds the full-pass version as its
 * oracle.
 */
public final class Sparsifier {
    private static final int MIN_SAMPLES = 1000;
    /** Up to this many sample values the two sample thresholds come from one bounded heap. */
    private static final int HEAP_LIMIT = 4096;

    private Sparsifier() {}

    /** Number of coordinates sent out of {@code n} at a sparsity: max(1, ceil((1-s)·n)). */
    public static int targetCount(int n, double sparsity) {
        if (n == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.min(n, Math.ceil((1.0 - sparsity) * n - 1e-9)));
    }

    /**
     * The coordinates a sparsification selects: ascending indices into the vector and the vector's
     * values there (not negated, same bits).
     */
    public record Selected(int[] indices, float[] values) {
        public Selected {
            if (indices.length != values.length) {
                throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
            }
        }
    }

    /**
     * {@link #select} together with the selected values, so a caller gathers nothing itself.
     *
     * <p>One read of {@code v} does the work. A lower threshold {@code thrLow <= thr}, taken further
     * down the same sample, lets one pass collect every coordinate any branch of the selection can
     * pick; the count check and both exact corrections then run on those candidates alone. The k-th
     * largest |v| is a value, not a procedure, so the candidates give the same thresholds, hence the
     * same coordinates, as the full-vector passes they replace. Only when they cannot contain the
     * answer (fewer than k of them: the sample was badly fooled) is |v| read again. Inputs with NaN
     * take the full passes unchanged, where NaN's unordered comparisons decide what is sent.
     *
     * @param v           values (not modified)
     * @param sparsity    fraction to withhold, in [0,1)
     * @param sampleRatio fraction of |v| sampled for the threshold
     * @param tolerance   relative count error accepted before exact correction
     * @param rnd         source of the sample positions
     */
    public static Selected selectWithValues(
            float[] v, double sparsity, double sampleRatio, double tolerance, SplittableRandom rnd) {
        int n = v.length;
        int k = targetCount(n, sparsity);
        if (k >= n) {
            return gather(v, nonZero(v, 0f));
        }
        int m = (int) Math.min(n, Math.max(MIN_SAMPLES, Math.ceil(n * sampleRatio)));
        if (m >= n / 2) {
            return gather(v, nonZero(v, kthLargestAbs(v, n, k)));
        }
        float[] sample = sample(v, m, rnd);
        int ks = (int) Math.max(1, Math.ceil((double) k * m / n));
        if (hasNaN(sample)) {
            return gather(v, fullPasses(v, k, kthLargest(sample, ks), tolerance));
        }
        // Deeper into the sample, so that the candidates hold the k largest even in the too-few case:
        // the sample then put up to about (1 + tolerance)·ks of its values at or above the k-th
        // largest |v| (the relative margin is capped at 6 standard deviations of the estimate, since
        // a larger error is then all but impossible), plus 4 standard deviations of sampling noise.
        double sd = Math.sqrt(ks);
        long margin = Math.min(Math.max(0, (long) Math.ceil(tolerance * ks)), (long) Math.ceil(6 * sd))
                + (long) Math.ceil(4 * sd)
                + 8;
        int ksLow = (int) Math.min(m, ks + margin);
        float thr;
        float thrLow;
        if (ksLow <= HEAP_LIMIT) {
            float[] top = largestDescending(sample, ksLow);
            thr = top[ks - 1];
            thrLow = top[ksLow - 1];
        } else {
            thr = kthLargest(sample, ks);
            thrLow = kthLargest(sample, ksLow);
        }
        Candidates c = Candidates.collect(v, thrLow, (long) ksLow * n / m);
        if (c.hasNaN()) {
            return gather(v, fullPasses(v, k, thr, tolerance));
        }
        int count = c.countAtLeast(thr);
        if (count <= k * (1 + tolerance) && count >= k * (1 - tolerance)) {
            return c.atLeast(thr, count);
        }
        if (count > k * (1 + tolerance)) {
            // Too many: exact top-k among the coordinates the sampled threshold let through.
            float t = kthLargest(c.absAtLeast(thr, count), k);
            return c.atLeast(t, c.countAtLeast(t));
        }
        // Too few: the k-th largest |v| is among the candidates when there are k of them (each is at
        // least as large as every coordinate left out); with thrLow = 0 the candidates are all the
        // non-zeros, so fewer than k of them means that value is 0 and every candidate is sent.
        if (c.size >= k) {
            float t = kthLargest(c.absAtLeast(0f, c.size), k);
            return c.atLeast(t, c.countAtLeast(t));
        }
        if (thrLow == 0f) {
            return c.atLeast(0f, c.size);
        }
        return gather(v, nonZero(v, kthLargestAbs(v, n, k)));
    }

    /**
     * Indices (ascending) of the coordinates to send: |v_i| >= thr and v_i != 0, for the threshold
     * described in {@link #selectWithValues}.
     *
     * @param v           values
     * @param sparsity    fraction to withhold, in [0,1)
     * @param sampleRatio fraction of |v| sampled for the threshold
     * @param tolerance   relative count error accepted before exact correction
     * @param rnd         source of the sample positions
     */
    public static int[] select(float[] v, double sparsity, double sampleRatio, double tolerance, SplittableRandom rnd) {
        return selectWithValues(v, sparsity, sampleRatio, tolerance, rnd).indices();
    }

    /**
     * Systematic sample of |v| (one random start, fixed stride): the same estimate as uniform random
     * positions, but a strided read the hardware prefetches instead of m cache misses.
     */
    private static float[] sample(float[] v, int m, SplittableRandom rnd) {
        int n = v.length;
        float[] sample = new float[m];
        double step = (double) n / m;
        double pos = rnd.nextDouble() * step;
        for (int i = 0; i < m; i++, pos += step) {
            sample[i] = Math.abs(v[Math.min(n - 1, (int) pos)]);
        }
        return sample;
    }

    /**
     * The selection from a sampled threshold by full passes over {@code v}: count the coordinates at
     * or above it; within tolerance send them; too many, send the exact top-k of them; too few, the
     * exact top-k of all. Kept for inputs with NaN, whose comparisons are unordered.
     */
    private static int[] fullPasses(float[] v, int k, float thr, double tolerance) {
        int count = 0;
        for (float x : v) {
            if (x != 0f && Math.abs(x) >= thr) {
                count++;
            }
        }
        if (count <= k * (1 + tolerance) && count >= k * (1 - tolerance)) {
            return nonZero(v, thr);
        }
        if (count > k * (1 + tolerance)) {
            float[] cand = new float[count];
            int c = 0;
            for (float x : v) {
                float a = Math.abs(x);
                if (x != 0f && a >= thr) {
                    cand[c++] = a;
                }
            }
            return nonZero(v, kthLargest(cand, k));
        }
        return nonZero(v, kthLargestAbs(v, v.length, k));
    }

    private static boolean hasNaN(float[] a) {
        for (float x : a) {
            if (x != x) {
                return true;
            }
        }
        return false;
    }

    private static Selected gather(float[] v, int[] idx) {
        float[] val = new float[idx.length];
        for (int j = 0; j < idx.length; j++) {
            val[j] = v[idx[j]];
        }
        return new Selected(idx, val);
    }

    /**
     * The {@code count} largest values of a NaN-free {@code a}, descending (1 <= count <= a.length):
     * a bounded min-heap of the largest seen so far, which almost every value fails to enter with one
     * well-predicted comparison. Exact for ties: a value equal to the heap's minimum changes nothing.
     */
    static float[] largestDescending(float[] a, int count) {
        float[] h = Arrays.copyOf(a, count);
        for (int i = (count >>> 1) - 1; i >= 0; i--) {
            siftDown(h, i, h[i]);
        }
        float min = h[0];
        for (int i = count; i < a.length; i++) {
            float x = a[i];
            if (x > min) {
                siftDown(h, 0, x);
                min = h[0];
            }
        }
        Arrays.sort(h);
        for (int i = 0, j = count - 1; i < j; i++, j--) {
            float t = h[i];
            h[i] = h[j];
            h[j] = t;
        }
        return h;
    }

    /** Places {@code x} at {@code i} of the min-heap {@code h} and sifts it down. */
    private static void siftDown(float[] h, int i, float x) {
        int n = h.length;
        int child;
        while ((child = 2 * i + 1) < n) {
            if (child + 1 < n && h[child + 1] < h[child]) {
                child++;
            }
            if (h[child] >= x) {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        h[i] = x;
    }

    /**
     * The coordinates with {@code v != 0} and {@code |v| >= thrLow}, ascending, with the raw bits of
     * their values. Magnitudes are compared as the bits of {@code |v|}: for non-negative floats the
     * integer order of the bits is the numeric order, and NaN's bits lie above +Inf's, so a NaN is
     * always a candidate and is seen. The scan stores only indices (an integer compare of the loaded
     * word, no float-to-integer move per element); the few candidates' bits are gathered after it.
     */
    private static final class Candidates {
        private static final int ABS = 0x7fff_ffff;
        private static final int INF_BITS = 0x7f80_0000;

        private int[] idx;
        private int[] bits;
        private int size;

        /** Smallest |v| bits selected at threshold {@code thr}: at least 1, since zeros never are. */
        private static int minBits(float thr) {
            return Math.max(1, Float.floatToRawIntBits(thr));
        }

        /**
         * @param expected about how many coordinates pass {@code thrLow}: sizes the buffer and picks the
         *                 scan, a branch per element while candidates are rare (the branch is then
         *                 predicted) and a branch-free append past 1 in 10 (where it would not be)
         */
        static Candidates collect(float[] v, float thrLow, long expected) {
            int n = v.length;
            Candidates c = new Candidates();
            int tb = minBits(thrLow);
            boolean dense = expected > n / 10;
            c.idx = new int[(int) Math.min(n, expected + (expected >> 1) + 64)];
            int i = 0;
            while ((i = dense ? c.scanDense(v, i, tb) : c.scan(v, i, tb)) < n) {
                if (c.idx.length - c.size < 4096) {
                    // Grown outside the scan loops, which keep their arrays in registers.
                    c.idx = Arrays.copyOf(c.idx, (int) Math.min(n, c.idx.length + (c.idx.length >> 1) + 4096L));
                }
            }
            c.bits = new int[c.size];
            for (int j = 0; j < c.size; j++) {
                c.bits[j] = Float.floatToRawIntBits(v[c.idx[j]]);
            }
            return c;
        }

        /** Appends candidates from {@code from} on until the end or a full buffer; the next position. */
        private int scan(float[] v, int from, int tb) {
            int[] out = idx;
            int cap = out.length;
            int n = size;
            int i = from;
            for (; i < v.length; i++) {
                if ((Float.floatToRawIntBits(v[i]) & ABS) >= tb) {
                    if (n == cap) {
                        break;
                    }
                    out[n++] = i;
                }
            }
            size = n;
            return i;
        }

        /**
         * Appends candidates from {@code from} on without a branch on the data: every position is
         * written and the count advances by the comparison, as far as the free buffer guarantees
         * room (each position adds at most one); the next position.
         */
        private int scanDense(float[] v, int from, int tb) {
            int[] out = idx;
            int n = size;
            int end = (int) Math.min(v.length, (long) from + out.length - n);
            int below = tb - 1; // >= 0; below - |bits| < 0 exactly when |bits| >= tb
            for (int i = from; i < end; i++) {
                out[n] = i;
                n += (below - (Float.floatToRawIntBits(v[i]) & ABS)) >>> 31;
            }
            size = n;
            return end;
        }

        boolean hasNaN() {
            for (int j = 0; j < size; j++) {
                if ((bits[j] & ABS) > INF_BITS) {
                    return true;
                }
            }
            return false;
        }

        int countAtLeast(float thr) {
            int tb = minBits(thr);
            int count = 0;
            for (int j = 0; j < size; j++) {
                count += (bits[j] & ABS) >= tb ? 1 : 0;
            }
            return count;
        }

        /** |value| of the {@code count} candidates at or above {@code thr}. */
        float[] absAtLeast(float thr, int count) {
            int tb = minBits(thr);
            float[] out = new float[count];
            int c = 0;
            for (int j = 0; j < size; j++) {
                int b = bits[j] & ABS;
                if (b >= tb) {
                    out[c++] = Float.intBitsToFloat(b);
                }
            }
            return out;
        }

        /** The {@code count} candidates at or above {@code thr}, with their values. */
        Selected atLeast(float thr, int count) {
            int tb = minBits(thr);
            int[] i2 = new int[count];
            float[] v2 = new float[count];
            int c = 0;
            for (int j = 0; j < size; j++) {
                int b = bits[j];
                if ((b & ABS) >= tb) {
                    i2[c] = idx[j];
                    v2[c] = Float.intBitsToFloat(b);
                    c++;
                }
            }
            return new Selected(i2, v2);
        }
    }

    /** Indices with |v| >= thr and v != 0, ascending. */
    private static int[] nonZero(float[] v, float thr) {
        int c = 0;
        for (float x : v) {
            if (x != 0f && Math.abs(x) >= thr) {
                c++;
            }
        }
        int[] idx = new int[c];
        int j = 0;
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (x != 0f && Math.abs(x) >= thr) {
                idx[j++] = i;
            }
        }
        return idx;
    }

    private static float kthLargestAbs(float[] v, int n, int k) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = Math.abs(v[i]);
        }
        return kthLargest(a, k);
    }

    /** The k-th largest value (1-based) of {@code a}; reorders {@code a}. */
    static float kthLargest(float[] a, int k) {
        if (k < 1 || k > a.length) {
            throw new IllegalArgumentException("k=" + k + " for " + a.length + " values");
        }
        int target = a.length - k; // k-th largest == (n-k)-th smallest, 0-based
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = median3(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }

    private static float median3(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Sorted copy, for tests. */
    static float[] sortedDesc(float[] a) {
        float[] c = a.clone();
        Arrays.sort(c);
        for (int i = 0; i < c.length / 2; i++) {
            float t = c[i];
            c[i] = c[c.length - 1 - i];
            c[c.length - 1 - i] = t;
        }
        return c;
    }
}
