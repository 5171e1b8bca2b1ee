package io.afd.core.sim;

/** Derives independent seeds from (master seed, round, client) so no result depends on order. */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finalizer of a combination of the parts. */
    public static long derive(long seed, long... parts) {
        long h = seed;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
