package io.afd.core.codec;

/**
 * IEEE 754 binary16 ("half") conversions for Java 17, which lacks {@code Float.floatToFloat16}.
 *
 * <p>{@link #fromFloat} rounds to nearest, ties to even; magnitudes {@code >= 65520} become
 * infinity; magnitudes {@code <= 2^-25} become (signed) zero; subnormal halves are produced for
 * {@code 2^-25 < |x| < 2^-14}. NaN stays NaN (quiet, the top payload bits are kept). {@link #toFloat}
 * is exact.
 */
public final class Float16 {
    /** Largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;
    /** Smallest positive normal half, 2^-14. */
    public static final float MIN_NORMAL = 0x1p-14f;
    /** Smallest positive subnormal half, 2^-24. */
    public static final float MIN_VALUE = 0x1p-24f;

    private Float16() {}

    /** Converts a float to the nearest binary16 (round half to even), returned as raw bits. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFF_FFFF;
        if (abs >= 0x7F80_0000) { // Inf or NaN
            if (abs == 0x7F80_0000) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7E00 | ((abs >>> 13) & 0x3FF)); // quiet NaN
        }
        if (abs >= 0x477F_F000) { // >= 65520: rounds to infinity
            return (short) (sign | 0x7C00);
        }
        if (abs >= 0x3880_0000) { // >= 2^-14: normal half
            int v = abs - 0x3800_0000; // rebias exponent 127 -> 15
            v += 0xFFF + ((v >>> 13) & 1); // round to nearest even on the 13 dropped bits
            return (short) (sign | (v >>> 13));
        }
        if (abs <= 0x3300_0000) { // <= 2^-25: rounds to zero (2^-25 is a tie, even is 0)
            return (short) sign;
        }
        // Subnormal half: value = mant * 2^(e-150); unit of a half subnormal is 2^-24.
        int e = abs >>> 23;
        int mant = (abs & 0x7F_FFFF) | 0x80_0000;
        int shift = 126 - e; // 14..24
        int h = mant >>> shift;
        int rem = mant & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rem > half || (rem == half && (h & 1) != 0)) {
            h++; // may carry into the smallest normal (0x0400), which is correct
        }
        return (short) (sign | h);
    }

    /** Converts binary16 raw bits to float (exact). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
        }
        if (exp != 0) {
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
        float v = mant * 0x1p-24f; // subnormal or zero, exact
        return sign != 0 ? -v : v;
    }

    /** Writes {@code n} values as little-endian binary16. */
    static void encode(float[] src, int srcOff, int n, byte[] dst, int dstOff) {
        int p = dstOff;
        for (int i = 0; i < n; i++) {
            int h = fromFloat(src[srcOff + i]);
            dst[p] = (byte) h;
            dst[p + 1] = (byte) (h >>> 8);
            p += 2;
        }
    }

    /** Reads {@code n} little-endian binary16 values. */
    static void decode(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
        float[] table = Table.TO_FLOAT;
        int p = srcOff;
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = table[(src[p] & 0xFF) | ((src[p + 1] & 0xFF) << 8)];
            p += 2;
        }
    }

    /** All 65536 halves as floats (256 KiB), built on first bulk decode. */
    private static final class Table {
        static final float[] TO_FLOAT = new float[1 << 16];

        static {
            for (int h = 0; h < TO_FLOAT.length; h++) {
                TO_FLOAT[h] = toFloat((short) h);
            }
        }
    }
}
