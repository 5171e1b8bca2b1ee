package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizationTest {
    /** Number of independent seeds averaged in the unbiasedness tests. */
    private static final int SEEDS = 2000;
    /**
     * Tolerance on |mean of decodes - x| in units of the quantization step. One decode has standard deviation
     * at most step/2, so the mean over SEEDS has at most step/(2 sqrt(2000)) = 0.011 step; 0.06 step is over
     * five standard deviations, while deterministic round-to-nearest would be off by up to 0.5 step.
     */
    private static final double UNBIASED_TOL_STEPS = 0.06;

    private static float[] decodeOne(float[] x, String spec, long seed) {
        byte[] blob =
                TensorCodec.encode(List.of(new Tensor("x", new int[] {x.length}, x)), CodecSpec.parse(spec, seed));
        return ((Tensor) TensorCodec.decode(blob).get(0)).data();
    }

    private static float[] uniform(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * (float) r.nextDouble();
        }
        return x;
    }

    private static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Test
    void decodedValuesLieInRangeAndWithinOneStep() {
        float[] x = uniform(1, 5000, -3.5f, 7.25f);
        float lo = min(x);
        float hi = max(x);
        for (int bits = 1; bits <= 8; bits++) {
            double step = ((double) hi - lo) / ((1 << bits) - 1);
            for (long seed = 0; seed < 5; seed++) {
                float[] q = decodeOne(x, "q" + bits, seed);
                int distinct = (int) java.util.stream.IntStream.range(0, q.length)
                        .mapToDouble(i -> q[i])
                        .distinct()
                        .count();
                assertTrue(distinct <= 1 << bits, "at most 2^bits levels, got " + distinct);
                for (int i = 0; i < x.length; i++) {
                    assertTrue(
                            q[i] >= lo && q[i] <= hi,
                            "q" + bits + " value " + q[i] + " outside [" + lo + "," + hi + "]");
                    // the step itself plus one float ulp for the rounding of the decoded level to float32
                    assertTrue(
                            Math.abs(x[i] - (double) q[i]) <= step + Math.ulp(hi),
                            "q" + bits + " error " + Math.abs(x[i] - q[i]) + " > step " + step);
                }
                assertEquals(lo, min(q), "min level decodes to min exactly");
                assertEquals(hi, max(q), "max level decodes to max exactly");
            }
        }
    }

    @Test
    void levelsAreStochasticNotNearest() {
        // 0.25 lies a quarter of the way between levels 0 and 1 at 1 bit: about 25 % must round up.
        float[] x = new float[10_001];
        java.util.Arrays.fill(x, 0.25f);
        x[0] = 0f;
        x[1] = 1f;
        float[] q = decodeOne(x, "q1", 3);
        int ups = 0;
        for (int i = 2; i < q.length; i++) {
            assertTrue(q[i] == 0f || q[i] == 1f);
            ups += q[i] == 1f ? 1 : 0;
        }
        assertTrue(ups > 2300 && ups < 2700, "round-up count " + ups);
    }

    private static void assertUnbiased(String spec, float[] x, double stepForTolerance) {
        double[] mean = new double[x.length];
        for (int s = 0; s < SEEDS; s++) {
            float[] q = decodeOne(x, spec, 1000L + s);
            for (int i = 0; i < x.length; i++) {
                mean[i] += q[i];
            }
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(mean[i] / SEEDS - x[i]));
        }
        double tol = UNBIASED_TOL_STEPS * stepForTolerance;
        assertTrue(worst <= tol, spec + ": worst bias " + worst + " > tolerance " + tol);
    }

    @Test
    void quantizationIsUnbiased() {
        float[] x = uniform(2, 64, -1f, 1f);
        for (int bits : new int[] {1, 2, 4}) {
            assertUnbiased("q" + bits, x, ((double) max(x) - min(x)) / ((1 << bits) - 1));
        }
    }

    @Test
    void rotatedQuantizationIsUnbiased() {
        float[] x = uniform(3, 48, -1f, 1f); // padded to 64
        // The rotated vector y = H D x / 8 has entries of standard deviation ~0.5 (range ~2.6 < 4/3 * 2), and
        // the inverse rotation is orthogonal, so each decoded coordinate's spread is still at most step_y / 2.
        // We bound step_y by 2 * range(x) / 3 for these fixed seeds.
        assertUnbiased("q2-hadamard", x, 2 * ((double) max(x) - min(x)) / 3);
    }

    @Test
    void rotationRoundTripAtEightBits() {
        float[] constant = new float[100]; // not a power of two: padded to 128
        java.util.Arrays.fill(constant, 1.0f);
        float[] ramp = new float[1024];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i / 1024f - 0.5f;
        }
        for (float[] x : new float[][] {constant, ramp}) {
            float[] q = decodeOne(x, "q8-hadamard", 11);
            assertEquals(x.length, q.length);
            double maxErr = 0;
            double sq = 0;
            for (int i = 0; i < x.length; i++) {
                double e = Math.abs(x[i] - q[i]);
                maxErr = Math.max(maxErr, e);
                sq += e * e;
            }
            double rms = Math.sqrt(sq / x.length);
            // Values have magnitude <= 1; 8-bit levels over the rotated range give errors around 1e-2.
            assertTrue(maxErr < 0.05, "max error " + maxErr);
            assertTrue(rms < 0.02, "rms error " + rms);
        }
    }

    @Test
    void rotationActuallyRotates() {
        // A one-hot vector's rotation is flat (+-1/sqrt(m)): the stored min/max are +-1/32 for m = 1024.
        float[] x = new float[1024];
        x[5] = 1f;
        byte[] blob =
                TensorCodec.encode(List.of(new Tensor("x", new int[] {1024}, x)), CodecSpec.parse("q8-hadamard", 4));
        int payload = blob.length - 4 - (1024 + 16);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(blob, payload, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1f / 32, bb.getFloat(), 1e-7);
        assertEquals(1f / 32, bb.getFloat(), 1e-7);
        // Two levels only, so the round trip is exact up to float rounding.
        float[] q = ((Tensor) TensorCodec.decode(blob).get(0)).data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], q[i], 1e-6, "index " + i);
        }
    }

    @Test
    void quantizedSizeIsAboutBitsOverThirtyTwo() {
        float[] x = uniform(4, 4096, -1f, 1f);
        List<Tensor> in = List.of(new Tensor("x", new int[] {64, 64}, x));
        int f32 = TensorCodec.encode(in, CodecSpec.FLOAT32).length;
        for (String spec : List.of("q8", "q4", "q2", "q1", "q8-hadamard", "q2-hadamard")) {
            int bits = spec.charAt(1) - '0';
            double ratio = TensorCodec.encode(in, CodecSpec.parse(spec)).length / (double) f32;
            double ideal = bits / 32.0;
            assertTrue(ratio >= ideal && ratio < ideal + 0.01, spec + " ratio " + ratio + " vs " + ideal);
        }
        // Odd sizes are padded to the next power of two under rotation: 3000 -> 4096 levels.
        List<Tensor> odd = List.of(new Tensor("x", new int[] {3000}, java.util.Arrays.copyOf(x, 3000)));
        int q8 = TensorCodec.encode(odd, CodecSpec.parse("q8-hadamard")).length;
        assertTrue(q8 >= 4096 && q8 < 4096 + 64, "padded size " + q8);
    }

    @Test
    void constantAndDegenerateTensors() {
        float[] c = new float[77];
        java.util.Arrays.fill(c, -2.5f);
        assertArrayEquals(c, decodeOne(c, "q3", 1));
        assertArrayEquals(new float[0], decodeOne(new float[0], "q8", 1));
        assertArrayEquals(new float[0], decodeOne(new float[0], "q8-hadamard", 1));
        assertArrayEquals(new float[] {3f}, decodeOne(new float[] {3f}, "q8-hadamard", 1), 1e-6f);
        // scalar (rank 0)
        byte[] blob =
                TensorCodec.encode(List.of(new Tensor("s", new int[] {}, new float[] {9f})), CodecSpec.parse("q4"));
        assertArrayEquals(new float[] {9f}, ((Tensor) TensorCodec.decode(blob).get(0)).data());
    }

    @Test
    void extremeRangeDoesNotOverflow() {
        float[] x = {-Float.MAX_VALUE, 0f, Float.MAX_VALUE, 1e30f};
        float[] q = decodeOne(x, "q8", 5);
        for (float v : q) {
            assertTrue(Float.isFinite(v) && v >= -Float.MAX_VALUE && v <= Float.MAX_VALUE);
        }
        assertEquals(-Float.MAX_VALUE, q[0]);
        assertEquals(Float.MAX_VALUE, q[2]);
    }

    @Test
    void hadamardIsItsOwnInverse() {
        float[] x = uniform(5, 256, -1, 1);
        float[] y = x.clone();
        Hadamard.rotate(y, 99);
        Hadamard.unrotate(y, 99);
        assertArrayEquals(x, y, 1e-5f);
        assertEquals(0, Hadamard.paddedLength(0));
        assertEquals(1, Hadamard.paddedLength(1));
        assertEquals(2, Hadamard.paddedLength(2));
        assertEquals(4, Hadamard.paddedLength(3));
        assertEquals(1 << 30, Hadamard.paddedLength((1 << 29) + 1));
    }

    @Test
    void blockedHadamardMatchesTextbookOrderBitForBit() {
        for (int m = 1; m <= 1 << 17; m <<= 1) {
            float[] a = uniform(m, m, -1, 1);
            float[] b = a.clone();
            Hadamard.fwht(a);
            Hadamard.fwhtReference(b);
            assertArrayEquals(TensorCodecRoundTripTest.rawBits(b), TensorCodecRoundTripTest.rawBits(a), "m = " + m);
        }
        float[] e = new float[8];
        e[0] = 1;
        Hadamard.fwht(e);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, e);
    }
}
