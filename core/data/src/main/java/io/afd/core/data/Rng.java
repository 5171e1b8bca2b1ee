package io.afd.core.data;

import java.util.SplittableRandom;

/**
 * Seeded random source for the data package: uniform, Gaussian (Box–Muller), log-normal,
 * Gamma (Marsaglia–Tsang) and Dirichlet draws plus shuffles.
 *
 * <p>Everything is implemented here on top of {@link SplittableRandom} instead of relying on
 * {@code nextGaussian()} of the JDK, so that a seed gives bit-identical data on every JDK version.
 * Not thread-safe; use {@link #split()} to hand independent streams to other threads or clients.
 */
public final class Rng {
    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        this(new SplittableRandom(seed));
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** A new generator whose stream is independent of this one; advances this generator. */
    public Rng split() {
        return new Rng(random.split());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** Standard normal N(0, 1) by the Box–Muller transform (the second value of each pair is cached). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double theta = 2.0 * Math.PI * u2;
        spareGaussian = r * Math.sin(theta);
        hasSpare = true;
        return r * Math.cos(theta);
    }

    /** N(mean, sd^2); {@code sd} is the standard deviation, as in numpy's {@code normal(loc, scale)}. */
    public double nextGaussian(double mean, double sd) {
        return mean + sd * nextGaussian();
    }

    /** exp(N(mu, sigma^2)), as numpy's {@code lognormal(mean=mu, sigma=sigma)}. */
    public double nextLogNormal(double mu, double sigma) {
        return Math.exp(nextGaussian(mu, sigma));
    }

    /**
     * Gamma(shape, 1) by Marsaglia &amp; Tsang (2000), "A simple method for generating gamma variables";
     * for shape &lt; 1 the boost Gamma(a) = Gamma(a + 1) * U^(1/a) is used. May underflow to 0 for
     * very small shapes; {@link #nextLogGamma(double)} does not.
     */
    public double nextGamma(double shape) {
        return Math.exp(nextLogGamma(shape));
    }

    /** log of a Gamma(shape, 1) draw, computed without underflow even for tiny shapes. */
    public double nextLogGamma(double shape) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("gamma shape must be finite and > 0, got " + shape);
        }
        if (shape < 1.0) {
            double u = 1.0 - random.nextDouble(); // (0, 1]
            return marsagliaTsangLog(shape + 1.0) + Math.log(u) / shape;
        }
        return marsagliaTsangLog(shape);
    }

    /** Marsaglia–Tsang for shape &gt;= 1; returns the log of the draw. */
    private double marsagliaTsangLog(double shape) {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x;
            double v;
            do {
                x = nextGaussian();
                v = 1.0 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2) {
                return Math.log(d) + Math.log(v);
            }
            if (u > 0 && Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
                return Math.log(d) + Math.log(v);
            }
        }
    }

    /**
     * Dirichlet(alpha_1..alpha_k) via normalised Gamma draws (done in log space, so tiny
     * concentrations such as 0.01 never produce 0/0).
     */
    public double[] nextDirichlet(double[] alpha) {
        if (alpha.length == 0) {
            throw new IllegalArgumentException("Dirichlet needs at least one concentration parameter");
        }
        double[] logs = new double[alpha.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < alpha.length; i++) {
            logs[i] = nextLogGamma(alpha[i]);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        for (int i = 0; i < logs.length; i++) {
            logs[i] = Math.exp(logs[i] - max);
            sum += logs[i];
        }
        for (int i = 0; i < logs.length; i++) {
            logs[i] /= sum;
        }
        return logs;
    }

    /** Symmetric Dirichlet(alpha, ..., alpha) over {@code k} components. */
    public double[] nextDirichlet(double alpha, int k) {
        double[] a = new double[k];
        java.util.Arrays.fill(a, alpha);
        return nextDirichlet(a);
    }

    /** Fisher–Yates shuffle in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A uniformly random permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
