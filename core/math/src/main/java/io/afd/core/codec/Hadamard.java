package io.afd.core.codec;

/** Randomized Hadamard rotation in place on a float array whose length is a power of two. */
final class Hadamard {
    /** Butterfly levels done inside one cache-sized block before moving on (2^12 floats = 16 KiB). */
    private static final int BLOCK = 1 << 12;

    private Hadamard() {}

    /** Smallest power of two {@code >= n} for n >= 1; 0 for n == 0. Requires n <= 2^30. */
    static int paddedLength(int n) {
        if (n <= 1) {
            return n;
        }
        return Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * Multiplies coordinate i by {@code -s} when bit (i mod 64) of SplitMix64 output floor(i / 64) from
     * {@code seed} is set, by {@code s} otherwise. Negation is exact, so this equals scaling then flipping.
     */
    static void applySigns(float[] v, long seed, float s) {
        SplitMix64 rng = new SplitMix64(seed);
        int m = v.length;
        for (int base = 0; base < m; base += 64) {
            long bits = rng.nextLong();
            int lim = Math.min(64, m - base);
            for (int j = 0; j < lim; j++) {
                int flip = ((int) (bits >>> j) & 1) << 31;
                v[base + j] = Float.intBitsToFloat(Float.floatToRawIntBits(v[base + j] * s) ^ flip);
            }
        }
    }

    /**
     * Unnormalized fast Walsh–Hadamard transform. Produces exactly the values of the textbook in-place
     * radix-2 butterflies ({@code a, b -> a + b, a - b} for h = 1, 2, 4, ...; see {@link #fwhtReference}),
     * but does the levels with {@code h < BLOCK} block by block and two levels per sweep, to save memory
     * traffic. Each butterfly computes the same float operations on the same operands, so the result is
     * bit-identical.
     */
    static void fwht(float[] v) {
        int m = v.length;
        if (m <= 1) {
            return;
        }
        int block = Math.min(BLOCK, m);
        for (int base = 0; base < m; base += block) {
            levels(v, base, block, 1, block);
        }
        levels(v, 0, m, block, m);
    }

    /** Butterfly levels h = hStart, 2 hStart, ... < hEnd over v[base, base + len). */
    private static void levels(float[] v, int base, int len, int hStart, int hEnd) {
        int h = hStart;
        for (; 4 * (long) h <= hEnd; h <<= 2) {
            radix4(v, base, len, h);
        }
        if (h < hEnd) {
            radix2(v, base, len, h);
        }
    }

    /** Levels h and 2h in one sweep. */
    private static void radix4(float[] v, int base, int len, int h) {
        int h2 = 2 * h;
        int h3 = 3 * h;
        for (int i = base, end = base + len; i < end; i += h << 2) {
            for (int j = i, e = i + h; j < e; j++) {
                float a = v[j];
                float b = v[j + h];
                float c = v[j + h2];
                float d = v[j + h3];
                float a1 = a + b;
                float b1 = a - b;
                float c1 = c + d;
                float d1 = c - d;
                v[j] = a1 + c1;
                v[j + h] = b1 + d1;
                v[j + h2] = a1 - c1;
                v[j + h3] = b1 - d1;
            }
        }
    }

    private static void radix2(float[] v, int base, int len, int h) {
        for (int i = base, end = base + len; i < end; i += h << 1) {
            for (int j = i, e = i + h; j < e; j++) {
                float a = v[j];
                float b = v[j + h];
                v[j] = a + b;
                v[j + h] = a - b;
            }
        }
    }

    /** The textbook radix-2 order, kept as the reference for tests. */
    static void fwhtReference(float[] v) {
        int m = v.length;
        for (int h = 1; h < m; h <<= 1) {
            radix2(v, 0, m, h);
        }
    }

    /** float32(1 / sqrt(m)). */
    static float norm(int m) {
        return (float) (1.0 / Math.sqrt(m));
    }

    /** Forward rotation: y = (1/sqrt(m)) H D x, computed as H (D x) then scaled. */
    static void rotate(float[] v, long seed) {
        applySigns(v, seed, 1f);
        fwht(v);
        float s = norm(v.length);
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
    }

    /** Inverse rotation: x = D (float32(1/sqrt(m)) (H y)). */
    static void unrotate(float[] v, long seed) {
        fwht(v);
        applySigns(v, seed, norm(v.length));
    }
}
