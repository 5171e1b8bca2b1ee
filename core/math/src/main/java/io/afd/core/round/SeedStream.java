package io.afd.core.round;

/**
 * Every seed a federated run derives from its master seed, named once. A stream's seed is a
 * SplitMix64 mix of (master seed, stream code, parts), so no result depends on the order in which
 * clients are processed, in the simulator or in the distributed suite.
 *
 * <p>The codes are part of the reproducibility contract: changing one changes every run's bits.
 */
public enum SeedStream {
    /** Which clients take part in round t: parts (t). */
    SAMPLING(1),
    /** The initial global model: no parts. */
    MODEL_INIT(2),
    /** The selection policy's randomness (it mixes in round and score-map key itself): no parts. */
    POLICY(3),
    /** Client k's downlink codec in round t (stochastic quantization, Hadamard signs): parts (t, k). */
    DOWNLINK(4),
    /** Client k's batch order and DGC threshold sampling in round t: parts (t, k). */
    TRAINING(5),
    /** Client k's uplink codec in round t: parts (t, k). */
    UPLINK(6);

    private final int code;

    SeedStream(int code) {
        this.code = code;
    }

    /** The stream's number in the derivation. */
    public int code() {
        return code;
    }

    /** The seed of this stream for the given parts. */
    public long derive(long masterSeed, long... parts) {
        long h = step(masterSeed, code);
        for (long p : parts) {
            h = step(h, p);
        }
        return h;
    }

    private static long step(long h, long part) {
        return mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
