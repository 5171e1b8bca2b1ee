package io.afd.core.scoremap;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Unit selection draws; each returns k sorted distinct indices in [0, n). */
public final class Sampling {
    private Sampling() {}

    /** Uniform sample without replacement (partial Fisher–Yates). */
    public static int[] uniform(int n, int k, SplittableRandom rnd) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, k);
        Arrays.sort(out);
        return out;
    }

    /**
     * Weighted sampling without replacement, P proportional to score + eps (Efraimidis and Spirakis,
     * "Weighted random sampling with a reservoir", IPL 2006): key_i = ln(u_i) / w_i, keep the k largest.
     */
    static int[] weighted(double[] scores, double eps, int k, SplittableRandom rnd) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        int n = scores.length;
        double[] keys = new double[n];
        for (int i = 0; i < n; i++) {
            double w = Math.max(0, scores[i]) + eps;
            double u = rnd.nextDouble();
            keys[i] = Math.log(u == 0 ? Double.MIN_VALUE : u) / w;
        }
        return largest(keys, k);
    }

    /** The k highest scores, ties broken by a random key. */
    static int[] topK(double[] scores, int k, SplittableRandom rnd) {
        int n = scores.length;
        Integer[] idx = new Integer[n];
        double[] tie = new double[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            tie[i] = rnd.nextDouble();
        }
        Arrays.sort(
                idx,
                (a, b) ->
                        scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Double.compare(tie[a], tie[b]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        Arrays.sort(out);
        return out;
    }

    private static int[] largest(double[] keys, int k) {
        Integer[] idx = new Integer[keys.length];
        for (int i = 0; i < keys.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> keys[a] != keys[b] ? Double.compare(keys[b], keys[a]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        Arrays.sort(out);
        return out;
    }
}
