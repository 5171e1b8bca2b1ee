package io.afd.core.codec;

/** Stochastic uniform quantization and bit packing for {@link TensorEncoding.Quantized}. */
final class Quantizer {
    private Quantizer() {}

    /** {min, max} of v; {0, 0} when empty. Throws on non-finite values. */
    static float[] range(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!(x - x == 0f)) { // false exactly for NaN and infinities
                throw new IllegalArgumentException("cannot quantize non-finite value " + x + " at index " + i);
            }
            if (x < min) {
                min = x;
            }
            if (x > max) {
                max = x;
            }
        }
        return v.length == 0 ? new float[] {0f, 0f} : new float[] {min, max};
    }

    static long packedBytes(long count, int bits) {
        return (count * bits + 7) / 8;
    }

    /**
     * Quantizes every value of {@code v} (all within [min, max]) to one of 2^bits levels, rounding
     * {@code t = (x - min) * L / (max - min)} up with probability {@code t - floor(t)} so that
     * E[dequantized] == x, and packs the levels LSB-first into {@code out} from {@code off}: level i occupies
     * stream bits [i*bits, (i+1)*bits), stream bit k = bit k%8 of byte k/8. All levels are 0 when max == min.
     * Writes exactly {@code packedBytes(v.length, bits)} bytes.
     */
    static void quantizeInto(float[] v, float min, float max, int bits, long roundingSeed, byte[] out, int off) {
        int c = v.length;
        int top = (1 << bits) - 1;
        if (!(max > min)) {
            java.util.Arrays.fill(out, off, off + (int) packedBytes(c, bits), (byte) 0);
            return;
        }
        SplitMix64 rng = new SplitMix64(roundingSeed);
        float range = max - min;
        float fscale = top / range;
        boolean fast = range - range == 0f && fscale - fscale == 0f; // both finite: float arithmetic is safe
        double lo = min;
        double dscale = top / ((double) max - lo);
        int p = off;
        long acc = 0;
        int nb = 0;
        long r = 0;
        for (int i = 0; i < c; i++) {
            // Uniform 24-bit numbers, two per 64-bit draw.
            int u;
            if ((i & 1) == 0) {
                r = rng.nextLong();
                u = (int) (r >>> 40);
            } else {
                u = (int) r & 0xFF_FFFF;
            }
            int q;
            int frac; // fractional part of t, times 2^24
            if (fast) {
                float t = (v[i] - min) * fscale; // in [0, top] up to rounding; t - q is exact
                q = (int) t;
                frac = (int) ((t - q) * 0x1p24f);
            } else { // extreme ranges (max - min overflows float, or tiny ranges): binary64
                double t = (v[i] - lo) * dscale;
                q = (int) t;
                frac = (int) ((t - q) * 0x1p24);
            }
            // Round up iff u < frac, i.e. with probability frac / 2^24; branch-free via the sign bit.
            q = Math.min(q + ((u - frac) >>> 31), top);
            if (bits == 8) {
                out[p++] = (byte) q;
            } else {
                acc |= (long) q << nb;
                nb += bits;
                if (nb >= 8) {
                    out[p++] = (byte) acc;
                    acc >>>= 8;
                    nb -= 8;
                }
            }
        }
        if (nb > 0) {
            out[p] = (byte) acc;
        }
    }

    /** The decoded value of each level: float32(min + (q * (max - min)) / (2^bits - 1)) clamped to [min, max]. */
    static float[] levelValues(float min, float max, int bits) {
        int top = (1 << bits) - 1;
        float[] table = new float[top + 1];
        double d = (double) max - (double) min;
        for (int q = 0; q <= top; q++) {
            float f = (float) ((double) min + (q * d) / top);
            table[q] = Math.max(min, Math.min(max, f));
        }
        return table;
    }

    /**
     * Unpacks {@code count} levels from exactly {@code packedBytes(count, bits)} bytes at {@code off} and maps
     * them through {@code table}. Returns false when the unused padding bits of the last byte are not zero.
     */
    static boolean unpack(byte[] in, int off, int count, int bits, float[] table, float[] out) {
        if (bits == 8) {
            for (int i = 0; i < count; i++) {
                out[i] = table[in[off + i] & 0xFF];
            }
            return true;
        }
        int p = off;
        long acc = 0;
        int nb = 0;
        int mask = (1 << bits) - 1;
        for (int i = 0; i < count; i++) {
            if (nb < bits) {
                acc |= (long) (in[p++] & 0xFF) << nb;
                nb += 8;
            }
            out[i] = table[(int) acc & mask];
            acc >>>= bits;
            nb -= bits;
        }
        return acc == 0;
    }
}
