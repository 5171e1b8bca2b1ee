package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {
    /** Largest relative error of round-to-nearest binary16 in the normal range: half an ulp = 2^-11. */
    private static final double MAX_REL_ERROR = 0x1p-11;

    private static void golden(float f, int expectedBits) {
        short h = Float16.fromFloat(f);
        assertEquals(
                expectedBits,
                h & 0xFFFF,
                () -> String.format("fromFloat(%s) = 0x%04x, expected 0x%04x", f, h & 0xFFFF, expectedBits));
    }

    @Test
    void goldenValues() {
        golden(1.0f, 0x3C00);
        golden(-2.0f, 0xC000);
        golden(0.5f, 0x3800);
        golden(0.1f, 0x2E66);
        golden(1f / 3f, 0x3555);
        golden((float) Math.PI, 0x4248);
        golden(65504f, 0x7BFF);
        golden(65519.99f, 0x7BFF);
        golden(65520f, 0x7C00); // tie between 65504 and 65536 (=Inf): even -> Inf
        golden(-65520f, 0xFC00);
        golden(1e6f, 0x7C00);
        golden(Float.POSITIVE_INFINITY, 0x7C00);
        golden(Float.NEGATIVE_INFINITY, 0xFC00);
        golden(0.0f, 0x0000);
        golden(-0.0f, 0x8000);
        golden(0x1p-14f, 0x0400); // smallest normal
        golden(6.0e-8f, 0x0001); // subnormal, nearest to 2^-24 = 5.96e-8
        golden(0x1p-24f, 0x0001);
        golden(0x1p-25f, 0x0000); // tie between 0 and 2^-24: even -> 0
        golden(Math.nextUp(0x1p-25f), 0x0001);
        golden(-0x1p-26f, 0x8000); // underflow keeps the sign
        golden(3 * 0x1p-25f, 0x0002); // tie between 1 and 2 subnormal units: even -> 2
        golden(1023 * 0x1p-24f, 0x03FF); // largest subnormal
        golden(1 + 0x1p-11f, 0x3C00); // tie: even mantissa 0
        golden(1 + 3 * 0x1p-11f, 0x3C02); // tie: even mantissa 2
        golden(1 + 0x1p-10f, 0x3C01);
        golden(Float.MIN_VALUE, 0x0000);
        golden(Float.MAX_VALUE, 0x7C00);
    }

    @Test
    void toFloatGolden() {
        assertEquals(1.0f, Float16.toFloat((short) 0x3C00));
        assertEquals(65504f, Float16.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Float16.toFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xFC00));
        assertTrue(Float.isNaN(Float16.toFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(Float16.toFloat((short) 0x7C01)));
    }

    @Test
    void nanStaysNan() {
        for (float nan :
                new float[] {Float.NaN, Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0xFFC0_1234)}) {
            short h = Float16.fromFloat(nan);
            assertEquals(0x7C00, h & 0x7C00, "exponent all ones");
            assertTrue((h & 0x03FF) != 0, "mantissa non-zero");
            assertTrue(Float.isNaN(Float16.toFloat(h)));
        }
    }

    @Test
    void everyHalfRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Float16.toFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
                continue;
            }
            assertEquals(bits, Float16.fromFloat(f) & 0xFFFF, "half 0x" + Integer.toHexString(bits));
        }
    }

    /** Exhaustive round-to-nearest-even check at every midpoint between adjacent finite halves. */
    @Test
    void midpointsRoundToEven() {
        for (int a = 0; a < 0x7BFF; a++) { // positive finite halves a and a+1
            float lo = Float16.toFloat((short) a);
            float hi = Float16.toFloat((short) (a + 1));
            float mid = (lo + hi) / 2; // exact: halves have 11 significant bits
            int even = (a & 1) == 0 ? a : a + 1;
            assertEquals(even, Float16.fromFloat(mid) & 0xFFFF, "midpoint above 0x" + Integer.toHexString(a));
            assertEquals(a, Float16.fromFloat(Math.nextDown(mid)) & 0xFFFF);
            assertEquals(a + 1, Float16.fromFloat(Math.nextUp(mid)) & 0xFFFF);
            assertEquals(a | 0x8000, Float16.fromFloat(-Math.nextDown(mid)) & 0xFFFF);
        }
    }

    @Test
    void relativeErrorInNormalRange() {
        SplittableRandom rnd = new SplittableRandom(7);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            // log-uniform magnitudes across the normal half range [2^-14, 65504]
            float f = (float) (Math.pow(2, -14 + rnd.nextDouble() * 29.99) * (rnd.nextBoolean() ? 1 : -1));
            float back = Float16.toFloat(Float16.fromFloat(f));
            worst = Math.max(worst, Math.abs(back - (double) f) / Math.abs((double) f));
        }
        assertTrue(worst <= MAX_REL_ERROR, "worst relative error " + worst + " > 2^-11");
        assertTrue(worst > MAX_REL_ERROR / 2, "suspiciously exact: " + worst);
    }
}
