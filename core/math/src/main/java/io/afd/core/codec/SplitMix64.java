package io.afd.core.codec;

/**
 * SplitMix64 (Steele, Lea, Flood 2014), part of the wire protocol: the Hadamard rotation signs are
 * derived from it (see {@link TensorCodec}). Output {@code k} (k = 0, 1, ...) is:
 * <pre>
 *   state += 0x9E3779B97F4A7C15          (state starts at the seed)
 *   z = state
 *   z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *   z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *   return z ^ (z >>> 31)                 (all arithmetic mod 2^64)
 * </pre>
 */
final class SplitMix64 {
    static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform double in [0, 1) from the top 53 bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
