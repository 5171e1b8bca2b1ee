package io.afd.core.dgc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparsifierTest {
    /** DGC's accepted relative error of the selected count before exact correction. */
    private static final double TOL = 0.2;

    @Test
    void selectsApproximatelyTopKAndNeverAnUnselectedLargerValue() {
        for (long seed = 0; seed < 10; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 200_000;
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (r.nextGaussian() * (1 + (i % 7)));
            }
            for (double s : new double[] {0.75, 0.99, 0.999}) {
                int[] idx = Sparsifier.select(v, s, 0.01, TOL, new SplittableRandom(seed));
                int k = Sparsifier.targetCount(n, s);
                assertTrue(Math.abs(idx.length - k) <= TOL * k + 1, "count " + idx.length + " vs k " + k);
                boolean[] sel = new boolean[n];
                float minSel = Float.MAX_VALUE;
                for (int j = 0; j < idx.length; j++) {
                    if (j > 0) {
                        assertTrue(idx[j] > idx[j - 1]);
                    }
                    sel[idx[j]] = true;
                    minSel = Math.min(minSel, Math.abs(v[idx[j]]));
                }
                for (int i = 0; i < n; i++) {
                    if (!sel[i]) {
                        assertTrue(Math.abs(v[i]) <= minSel, "unselected " + v[i] + " above threshold " + minSel);
                    }
                }
            }
        }
    }

    @Test
    void exactCorrectionWhenTheSampleIsFooled() {
        // A few huge spikes the 1 % sample will usually miss: the count check must still hold.
        float[] v = new float[100_000];
        v[5] = 100;
        v[77_777] = -200;
        for (int i = 0; i < v.length; i += 1000) {
            v[i + 1] = 1e-3f;
        }
        int[] idx = Sparsifier.select(v, 0.99998, 0.01, TOL, new SplittableRandom(1));
        assertEquals(2, idx.length);
        assertEquals(5, idx[0]);
        assertEquals(77_777, idx[1]);
    }

    @Test
    void kthLargestMatchesSorting() {
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < 50; t++) {
            float[] a = new float[1 + r.nextInt(300)];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(20);
            }
            int k = 1 + r.nextInt(a.length);
            float expect = Sparsifier.sortedDesc(a)[k - 1];
            assertEquals(expect, Sparsifier.kthLargest(a.clone(), k));
        }
    }

    @Test
    void largestDescendingMatchesSortingWithTies() {
        SplittableRandom r = new SplittableRandom(4);
        for (int t = 0; t < 200; t++) {
            float[] a = new float[1 + r.nextInt(2000)];
            int levels = 1 + r.nextInt(t % 2 == 0 ? 5 : 100_000);
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(levels) * 0.5f;
            }
            int count = 1 + r.nextInt(a.length);
            float[] expect = java.util.Arrays.copyOf(Sparsifier.sortedDesc(a), count);
            float[] copy = a.clone();
            org.junit.jupiter.api.Assertions.assertArrayEquals(expect, Sparsifier.largestDescending(a, count));
            org.junit.jupiter.api.Assertions.assertArrayEquals(copy, a, "input not modified");
        }
    }

    @Test
    void allZeroSendsNothingAndDenseSendsNonZeros() {
        assertEquals(0, Sparsifier.select(new float[5000], 0.99, 0.01, TOL, new SplittableRandom(1)).length);
        assertEquals(2, Sparsifier.select(new float[] {0, 1, 0, -2}, 0, 0.01, TOL, new SplittableRandom(1)).length);
    }
}
