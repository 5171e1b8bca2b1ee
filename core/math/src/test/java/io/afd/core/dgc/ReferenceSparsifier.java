package io.afd.core.dgc;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The straightforward {@link Sparsifier} the fast one must agree with bit for bit: the implementation
 * before the fused candidate pass (commit 2525275), kept verbatim as the test oracle. Threshold from
 * a systematic sample, one counting pass that stores the indices, then exact correction by copying
 * |v| (too few) or the candidates (too many) and selecting their k-th largest, then one more pass.
 */
final class ReferenceSparsifier {
    private static final int MIN_SAMPLES = 1000;

    private ReferenceSparsifier() {}

    /** Number of coordinates sent out of {@code n} at a sparsity: max(1, ceil((1-s)·n)). */
    static int targetCount(int n, double sparsity) {
        if (n == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.min(n, Math.ceil((1.0 - sparsity) * n - 1e-9)));
    }

    /**
     * Indices (ascending) of the coordinates to send: |v_i| >= thr and v_i != 0.
     *
     * @param v           values
     * @param sparsity    fraction to withhold, in [0,1)
     * @param sampleRatio fraction of |v| sampled for the threshold
     * @param tolerance   relative count error accepted before exact correction
     * @param rnd         source of the sample positions
     */
    static int[] select(float[] v, double sparsity, double sampleRatio, double tolerance, SplittableRandom rnd) {
        int n = v.length;
        int k = targetCount(n, sparsity);
        if (k >= n) {
            return nonZero(v, 0f);
        }
        float thr;
        int m = (int) Math.min(n, Math.max(MIN_SAMPLES, Math.ceil(n * sampleRatio)));
        if (m >= n / 2) {
            thr = kthLargestAbs(v, n, k);
        } else {
            // Systematic sample (random start, fixed stride): the same estimate as uniform random
            // positions, but a strided read the hardware prefetches instead of m cache misses.
            float[] sample = new float[m];
            double step = (double) n / m;
            double pos = rnd.nextDouble() * step;
            for (int i = 0; i < m; i++, pos += step) {
                sample[i] = Math.abs(v[Math.min(n - 1, (int) pos)]);
            }
            int ks = (int) Math.max(1, Math.ceil((double) k * m / n));
            thr = kthLargest(sample, ks);
            // One pass collects the candidates; the common case ends here.
            int cap = (int) Math.min(n, (long) Math.ceil(k * (1 + tolerance)) + 1);
            int[] idx = new int[cap];
            int count = 0;
            for (int i = 0; i < n; i++) {
                float x = v[i];
                if (x != 0f && Math.abs(x) >= thr) {
                    if (count < cap) {
                        idx[count] = i;
                    }
                    count++;
                }
            }
            if (count <= k * (1 + tolerance) && count >= k * (1 - tolerance)) {
                return count == cap ? idx : Arrays.copyOf(idx, count);
            }
            if (count > k * (1 + tolerance)) {
                // Too many: exact top-k among the candidates the sample let through.
                float[] cand = new float[count];
                int c = 0;
                for (float x : v) {
                    float a = Math.abs(x);
                    if (x != 0f && a >= thr) {
                        cand[c++] = a;
                    }
                }
                thr = kthLargest(cand, k);
            } else {
                thr = kthLargestAbs(v, n, k);
            }
        }
        return nonZero(v, thr);
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
}
