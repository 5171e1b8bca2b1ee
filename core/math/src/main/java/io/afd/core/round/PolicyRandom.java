package io.afd.core.round;

import java.util.SplittableRandom;

/** The randomness of a policy's draw: a function of (policy seed, round, score-map key) only. */
final class PolicyRandom {
    private PolicyRandom() {}

    static SplittableRandom of(long seed, int round, String key) {
        long h = seed * 0x9E3779B97F4A7C15L + round;
        h = h * 0xBF58476D1CE4E5B9L + key.hashCode();
        return new SplittableRandom(h ^ (h >>> 31));
    }
}
