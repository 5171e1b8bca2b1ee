package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class TensorCodecRoundTripTest {

    static int[] rawBits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }

    static float[] randomFloats(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    private static void assertBitEqual(Tensor expected, NamedTensor actual) {
        Tensor t = assertInstanceOf(Tensor.class, actual);
        assertEquals(expected.name(), t.name());
        assertArrayEquals(expected.shape(), t.shape());
        assertArrayEquals(rawBits(expected.data()), rawBits(t.data()), "tensor " + expected.name());
    }

    private static void assertBitEqual(SparseTensor expected, NamedTensor actual) {
        SparseTensor s = assertInstanceOf(SparseTensor.class, actual);
        assertEquals(expected.name(), s.name());
        assertArrayEquals(expected.shape(), s.shape());
        assertArrayEquals(expected.indices(), s.indices(), "indices of " + expected.name());
        assertArrayEquals(rawBits(expected.values()), rawBits(s.values()), "values of " + expected.name());
    }

    // ------------------------------------------------------------------ golden bytes (pin the wire format)

    private static byte[] withCrc(int... body) {
        byte[] b = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            b[i] = (byte) body[i];
        }
        return ForgedBlob.withCrc(b);
    }

    @Test
    void crc32cIsCastagnoli() {
        CRC32C c = new CRC32C();
        c.update("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, c.getValue()); // standard CRC-32C check value
    }

    @Test
    void goldenDenseF32() {
        byte[] blob = TensorCodec.encode(
                List.of(new Tensor("w", new int[] {2}, new float[] {1.0f, -2.0f})), CodecSpec.FLOAT32);
        byte[] expected = withCrc(
                0x41, 0x46, 0x44, 0x54, 0x01, // magic, version
                0x01, // 1 tensor
                0x01, 'w', // name
                0x01, 0x02, // rank 1, dim 2
                0x01, // DENSE_F32
                0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0); // payload: 8 bytes LE floats
        assertArrayEquals(expected, blob);
        CRC32C c = new CRC32C();
        c.update(blob, 0, blob.length - 4);
        assertEquals(
                (int) c.getValue(),
                java.nio.ByteBuffer.wrap(blob, blob.length - 4, 4).getInt(),
                "CRC big-endian");
    }

    @Test
    void goldenSparseF16() {
        SparseTensor s = new SparseTensor("s", new int[] {300}, new int[] {0, 2, 299}, new float[] {1f, -2f, 0.5f});
        byte[] blob = TensorCodec.encode(List.of(s), CodecSpec.FLOAT16);
        byte[] expected = withCrc(
                0x41, 0x46, 0x44, 0x54, 0x01, 0x01, 0x01, 's', 0x01, 0xAC, 0x02, // rank 1, dim 300 as LEB128
                0x05, // SPARSE_F16
                0x0B, // payload length 11
                0x03, // nnz
                0x00, 0x01, 0xA8, 0x02, // gaps: 0-(-1)-1=0, 2-0-1=1, 299-2-1=296
                0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38); // f16 LE: 1, -2, 0.5
        assertArrayEquals(expected, blob);
    }

    @Test
    void goldenQuantized() {
        // Levels of 0,1,2,3 between min 0 and max 3 at 2 bits are exact, so no randomness is involved.
        byte[] blob = TensorCodec.encode(
                List.of(new Tensor("q", new int[] {2, 2}, new float[] {0, 1, 2, 3})), CodecSpec.parse("q2"));
        byte[] expected = withCrc(
                0x41, 0x46, 0x44, 0x54, 0x01, 0x01, 0x01, 'q', 0x02, 0x02, 0x02, // rank 2, dims 2, 2
                0x03, 0x02, 0x00, // QUANTIZED, bits 2, flags 0
                0x09, // payload length
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x40, // min 0, max 3
                0xE4); // levels 0,1,2,3 packed LSB-first: 0b11_10_01_00
        assertArrayEquals(expected, blob);
        assertArrayEquals(
                new float[] {0, 1, 2, 3}, ((Tensor) TensorCodec.decode(blob).get(0)).data());
    }

    @Test
    void emptyListIsTenBytes() {
        byte[] blob = TensorCodec.encode(List.of(), CodecSpec.FLOAT32);
        assertEquals(10, blob.length);
        assertTrue(TensorCodec.decode(blob).isEmpty());
    }

    // ------------------------------------------------------------------ dense float32

    @Test
    void denseF32IsBitExact() {
        float[] special = {
            0f,
            -0f,
            1f,
            -1f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MIN_NORMAL,
            Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN,
            Float.intBitsToFloat(0x7F80_0001),
            Float.intBitsToFloat(0xFFC1_2345),
            3.14159f,
            1e-42f
        };
        List<Tensor> in = List.of(
                new Tensor("conv1/W", new int[] {4, 1, 3, 5}, randomFloats(1, 60)),
                new Tensor("special", new int[] {special.length}, special),
                new Tensor("scalar", new int[] {}, new float[] {42f}),
                new Tensor("empty", new int[] {3, 0, 2}, new float[0]),
                new Tensor("ünïcødé/βias ✓", new int[] {1000}, randomFloats(2, 1000)));
        byte[] blob = TensorCodec.encode(in, CodecSpec.FLOAT32);
        List<NamedTensor> out = TensorCodec.decode(blob);
        assertEquals(in.size(), out.size());
        for (int i = 0; i < in.size(); i++) {
            assertBitEqual(in.get(i), out.get(i));
        }
    }

    @Test
    void largeDenseF32IsBitExact() {
        Tensor t = new Tensor("big", new int[] {1000, 1000}, randomFloats(3, 1_000_000));
        List<Tensor> out = TensorCodec.decodeDense(TensorCodec.encode(List.of(t), CodecSpec.FLOAT32));
        assertBitEqual(t, out.get(0));
    }

    // ------------------------------------------------------------------ dense float16

    @Test
    void denseF16MatchesFloat16Conversion() {
        float[] d = randomFloats(4, 5000);
        d[0] = 65520f;
        d[1] = -0f;
        d[2] = Float.NaN;
        d[3] = 6.0e-8f;
        byte[] blob = TensorCodec.encode(List.of(new Tensor("h", new int[] {50, 100}, d)), CodecSpec.FLOAT16);
        // 10 bytes framing, 6 bytes tensor header, 2-byte payload length
        assertEquals(10 + 6 + 2 + 2 * d.length, blob.length, "2 bytes per value");
        float[] out = ((Tensor) TensorCodec.decode(blob).get(0)).data();
        for (int i = 0; i < d.length; i++) {
            float expected = Float16.toFloat(Float16.fromFloat(d[i]));
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(out[i]));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]), "index " + i);
            }
        }
        assertEquals(Float.POSITIVE_INFINITY, out[0]);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[1]));
        assertEquals(0x1p-24f, out[3]);
    }

    // ------------------------------------------------------------------ sparse

    @Test
    void sparseF32IsBitExactIncludingEdgeIndices() {
        int n = 50_000_000; // needs gaps of more than 2^21 (4-byte varints)
        int[] idx = {0, 1, 2, 130, 16_513, (1 << 21) + 16_600, (1 << 21) + 16_601, 40_000_000, n - 1};
        float[] val = {1f, -0f, Float.NaN, Float.MIN_VALUE, 5e30f, -7f, Float.NEGATIVE_INFINITY, 0.25f, -1e-3f};
        List<SparseTensor> in = List.of(
                new SparseTensor("fc1/W", new int[] {10_000, 5000}, idx, val),
                new SparseTensor("empty", new int[] {7, 9}, new int[0], new float[0]),
                new SparseTensor("zero-size", new int[] {0}, new int[0], new float[0]),
                new SparseTensor("only-last", new int[] {3, 3}, new int[] {8}, new float[] {2f}),
                new SparseTensor("full", new int[] {4}, new int[] {0, 1, 2, 3}, new float[] {1, 2, 3, 4}));
        byte[] blob = TensorCodec.encode(in, CodecSpec.SPARSE_F32);
        List<NamedTensor> out = TensorCodec.decode(blob);
        for (int i = 0; i < in.size(); i++) {
            assertBitEqual(in.get(i), out.get(i));
        }
    }

    @Test
    void sparseGapsBeyondTwoToTheTwentyEightUseFiveByteVarints() {
        int n = 1 << 30;
        SparseTensor s = new SparseTensor(
                "huge", new int[] {1 << 15, 1 << 15}, new int[] {0, (1 << 29) + 5, n - 1}, new float[] {1f, 2f, 3f});
        byte[] blob = TensorCodec.encode(List.of(s), CodecSpec.SPARSE_F32);
        assertThrows(CodecException.class, () -> TensorCodec.decode(blob), "default cap is 2^28 elements");
        assertBitEqual(s, TensorCodec.decode(blob, Integer.MAX_VALUE).get(0));
    }

    @Test
    void sparseF16ValuesAreRoundedToHalf() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 100_000;
        int[] idx = r.ints(0, n).distinct().limit(1000).sorted().toArray();
        float[] val = new float[idx.length];
        for (int i = 0; i < val.length; i++) {
            val[i] = (float) r.nextGaussian();
        }
        byte[] blob = TensorCodec.encode(List.of(new SparseTensor("u", new int[] {n}, idx, val)), CodecSpec.SPARSE_F16);
        SparseTensor s = (SparseTensor) TensorCodec.decode(blob).get(0);
        assertArrayEquals(idx, s.indices());
        for (int i = 0; i < val.length; i++) {
            assertEquals(Float16.toFloat(Float16.fromFloat(val[i])), s.values()[i]);
        }
    }

    @Test
    void sparseEncodingIsCompact() {
        // DGC-like: 0.1 % of 6.6M coordinates. Gaps average ~1000 -> 2-byte varints, 4-byte values.
        int n = 6_600_000;
        int[] idx = new int[6600];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * 1000 + 7;
        }
        float[] val = randomFloats(6, idx.length);
        byte[] blob = TensorCodec.encode(List.of(new SparseTensor("w", new int[] {n}, idx, val)), CodecSpec.SPARSE_F32);
        assertTrue(blob.length <= 6600 * 6 + 32, "size " + blob.length);
    }

    @Test
    void sparseSpecSparsifiesDenseTensorsLosslessly() {
        float[] d = new float[1000];
        d[0] = 3f;
        d[17] = -0f; // -0.0 has non-zero bits and must survive
        d[999] = Float.NaN;
        Tensor t = new Tensor("dense-update", new int[] {10, 100}, d);
        byte[] blob = TensorCodec.encode(List.of(t), CodecSpec.SPARSE_F32);
        SparseTensor s =
                assertInstanceOf(SparseTensor.class, TensorCodec.decode(blob).get(0));
        assertArrayEquals(new int[] {0, 17, 999}, s.indices());
        assertBitEqual(t, TensorCodec.decodeDense(blob).get(0));
        // framing 10 + header 17 + payload length 1 + payload (nnz 1, gaps 1+1+2, values 12)
        assertEquals(45, blob.length);
    }

    @Test
    void denseSpecKeepsSparseTensorsSparse() {
        SparseTensor s = new SparseTensor("s", new int[] {1000}, new int[] {5}, new float[] {1f});
        assertInstanceOf(
                SparseTensor.class,
                TensorCodec.decode(TensorCodec.encode(List.of(s), CodecSpec.FLOAT32))
                        .get(0));
        assertInstanceOf(
                SparseTensor.class,
                TensorCodec.decode(TensorCodec.encode(List.of(s), CodecSpec.parse("q8")))
                        .get(0));
    }

    @Test
    void decodeDenseDensifies() {
        SparseTensor s = new SparseTensor("s", new int[] {2, 3}, new int[] {1, 5}, new float[] {7f, -1f});
        Tensor dense = new Tensor("d", new int[] {2}, new float[] {1f, 2f});
        List<Tensor> out = TensorCodec.decodeDense(TensorCodec.encode(List.of(s, dense), CodecSpec.FLOAT32));
        assertArrayEquals(new float[] {0, 7, 0, 0, 0, -1}, out.get(0).data());
        assertArrayEquals(new int[] {2, 3}, out.get(0).shape());
        assertBitEqual(dense, out.get(1));
    }

    @Test
    void mixedListKeepsOrderAndKinds() {
        List<NamedTensor> in = List.of(
                new Tensor("a", new int[] {3}, new float[] {1, 2, 3}),
                new SparseTensor("b", new int[] {5}, new int[] {4}, new float[] {9}),
                new Tensor("c", new int[] {1}, new float[] {-1}));
        List<NamedTensor> out = TensorCodec.decode(TensorCodec.encode(in, CodecSpec.FLOAT32));
        assertEquals(in, out);
    }

    // ------------------------------------------------------------------ determinism and encoder checks

    @Test
    void encodingIsDeterministic() {
        List<NamedTensor> in = List.of(
                new Tensor("a", new int[] {33, 31}, randomFloats(8, 33 * 31)),
                new SparseTensor("b", new int[] {10_000}, new int[] {3, 77, 9999}, new float[] {0.1f, 0.2f, 0.3f}));
        for (String spec : List.of(
                "float32",
                "float16",
                "q8",
                "q4",
                "q2",
                "q1",
                "q8-hadamard",
                "q3-hadamard",
                "sparse-f32",
                "sparse-f16",
                "q8+sparse-f16")) {
            CodecSpec s = CodecSpec.parse(spec, 1234);
            byte[] first = TensorCodec.encode(in, s);
            byte[] second = TensorCodec.encode(in, CodecSpec.parse(spec, 1234));
            assertArrayEquals(first, second, spec);
            assertEquals(2, TensorCodec.decode(first).size());
        }
    }

    @Test
    void seedChangesStochasticEncodingsOnly() {
        List<Tensor> in = List.of(new Tensor("a", new int[] {1000}, randomFloats(9, 1000)));
        assertFalse(Arrays.equals(
                TensorCodec.encode(in, CodecSpec.parse("q4", 1)), TensorCodec.encode(in, CodecSpec.parse("q4", 2))));
        assertArrayEquals(
                TensorCodec.encode(in, CodecSpec.parse("float32", 1)),
                TensorCodec.encode(in, CodecSpec.parse("float32", 2)));
    }

    @Test
    void encoderRejectsDuplicateNamesAndNonFiniteQuantization() {
        Tensor a = new Tensor("a", new int[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.encode(List.of(a, a), CodecSpec.FLOAT32));
        Tensor nan = new Tensor("n", new int[] {2}, new float[] {1, Float.NaN});
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.encode(List.of(nan), CodecSpec.parse("q8")));
        assertThrows(
                IllegalArgumentException.class, () -> TensorCodec.encode(List.of(nan), CodecSpec.parse("q8-hadamard")));
        Tensor rank256 = new Tensor("r", new int[256], new float[0]);
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.encode(List.of(rank256), CodecSpec.FLOAT32));
    }

    @Test
    void differentNamesGiveDifferentCrc() {
        byte[] a = TensorCodec.encode(List.of(new Tensor("a", new int[] {1}, new float[] {1})), CodecSpec.FLOAT32);
        byte[] b = TensorCodec.encode(List.of(new Tensor("b", new int[] {1}, new float[] {1})), CodecSpec.FLOAT32);
        assertNotEquals(
                java.nio.ByteBuffer.wrap(a, a.length - 4, 4).getInt(),
                java.nio.ByteBuffer.wrap(b, b.length - 4, 4).getInt());
    }
}
