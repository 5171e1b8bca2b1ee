package io.afd.core.dgc;

import java.util.Arrays;

/**
 * Settings of Deep Gradient Compression (Lin, Han, Mao, Wang, Dally, "Deep Gradient Compression:
 * Reducing the Communication Bandwidth for Distributed Training", ICLR 2018, arXiv 1712.01887),
 * applied once per federated round to the velocity a client accumulated over its local steps.
 *
 * @param momentum            momentum m of local SGD and of momentum correction (default 0.9; 0 = plain SGD)
 * @param clipNorm            local gradient clipping constant c: each step's gradient is clipped to
 *                            global L2 norm c·N^(-1/2), N = clients in the round; {@code <= 0} disables (default 0)
 * @param warmupSparsities    sparsity of rounds 0, 1, 2, ... before {@code finalSparsity} applies
 *                            (default 0.75, 0.9375, 0.984375, 0.996 as in the paper)
 * @param finalSparsity       fraction of coordinates withheld once warm-up is over (default 0.999);
 *                            0 sends everything (no compression)
 * @param denseBelow          tensors with fewer elements than this go dense (biases, tiny layers; default 1024)
 * @param sampleRatio         fraction of |v| sampled to estimate the threshold (default 0.01, floor 1000 samples)
 * @param tolerance           relative error of the selected count accepted before the threshold is
 *                            corrected exactly (default 0.2)
 * @param factorMasking       momentum factor masking: zero u and v where sent (default true)
 */
public record DgcConfig(
        double momentum,
        double clipNorm,
        double[] warmupSparsities,
        double finalSparsity,
        int denseBelow,
        double sampleRatio,
        double tolerance,
        boolean factorMasking) {

    public static final double[] PAPER_WARMUP = {0.75, 0.9375, 0.984375, 0.996};

    public DgcConfig {
        warmupSparsities = warmupSparsities.clone();
        check(momentum >= 0 && momentum < 1, "momentum must be in [0,1): " + momentum);
        check(finalSparsity >= 0 && finalSparsity < 1, "sparsity must be in [0,1): " + finalSparsity);
        for (double s : warmupSparsities) {
            check(s >= 0 && s < 1, "warm-up sparsity must be in [0,1): " + s);
        }
        check(denseBelow >= 0, "denseBelow must be >= 0");
        check(sampleRatio > 0 && sampleRatio <= 1, "sampleRatio must be in (0,1]: " + sampleRatio);
        check(tolerance > 0 && tolerance < 1, "tolerance must be in (0,1): " + tolerance);
        check(Double.isFinite(clipNorm), "clipNorm must be finite");
    }

    /** DGC as in the paper: momentum 0.9, warm-up to 99.9 %, no clipping. */
    public static DgcConfig paper() {
        return new DgcConfig(0.9, 0, PAPER_WARMUP, 0.999, 1024, 0.01, 0.2, true);
    }

    /** No compression: every coordinate is sent each round (momentum SGD with per-round momentum reset). */
    public static DgcConfig dense(double momentum) {
        return new DgcConfig(momentum, 0, new double[0], 0, 0, 0.01, 0.2, true);
    }

    /** Sparsity applied in round {@code round} (0-based) of an experiment. */
    public double sparsityForRound(int round) {
        return round < warmupSparsities.length ? warmupSparsities[round] : finalSparsity;
    }

    public boolean compresses() {
        if (finalSparsity > 0) {
            return true;
        }
        for (double s : warmupSparsities) {
            if (s > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a client's momentum and residual must be kept between rounds. Without compression and
     * with factor masking every coordinate is sent and both are zeroed at the end of each round, so a
     * client starts every round from zero state and need not keep any.
     */
    public boolean keepsClientState() {
        return compresses() || !factorMasking;
    }

    public DgcConfig withClipNorm(double c) {
        return new DgcConfig(
                momentum, c, warmupSparsities, finalSparsity, denseBelow, sampleRatio, tolerance, factorMasking);
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException("DGC: " + msg);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DgcConfig d && d.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "DgcConfig{momentum=" + momentum + ", clipNorm=" + clipNorm + ", warmup="
                + Arrays.toString(warmupSparsities) + ", finalSparsity=" + finalSparsity + ", denseBelow="
                + denseBelow + ", sampleRatio=" + sampleRatio + ", tolerance=" + tolerance + ", factorMasking="
                + factorMasking + "}";
    }
}
