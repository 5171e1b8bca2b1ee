package io.afd.core.experiment;

import java.util.Arrays;

/**
 * Mean and sample standard deviation (n - 1 denominator; 0 when n = 1) of a set of values, NaNs dropped.
 *
 * @param mean mean (NaN when n = 0)
 * @param std  sample standard deviation (NaN when n = 0, 0 when n = 1)
 * @param n    number of values
 */
public record Stat(double mean, double std, int n) {

    public static final Stat EMPTY = new Stat(Double.NaN, Double.NaN, 0);

    public static Stat of(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return EMPTY;
        }
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length == 1) {
            return new Stat(m, 0, 1);
        }
        double ss = 0;
        for (double d : v) {
            ss += (d - m) * (d - m);
        }
        return new Stat(m, Math.sqrt(ss / (v.length - 1)), v.length);
    }

    public boolean isEmpty() {
        return n == 0;
    }
}
