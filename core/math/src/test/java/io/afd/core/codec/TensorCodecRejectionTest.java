package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorCodecRejectionTest {

    private static final List<NamedTensor> SMALL = List.of(
            new Tensor("fc1/W", new int[] {3, 4}, new float[] {1, -2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12}),
            new SparseTensor("fc1/b", new int[] {300}, new int[] {0, 130, 299}, new float[] {0.5f, -1f, 2f}),
            new Tensor("s", new int[] {}, new float[] {7f}));

    private static final List<String> SPECS = List.of("float32", "float16", "q4", "q3-hadamard", "sparse-f16");

    private static CodecException rejects(byte[] blob) {
        return assertThrows(CodecException.class, () -> TensorCodec.decode(blob));
    }

    private static void assertMessage(CodecException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void everyTruncationIsRejected() {
        for (String spec : SPECS) {
            byte[] blob = TensorCodec.encode(SMALL, CodecSpec.parse(spec, 5));
            assertEquals(3, TensorCodec.decode(blob).size(), "the full blob decodes");
            for (int len = 0; len < blob.length; len++) {
                byte[] prefix = Arrays.copyOf(blob, len);
                int l = len;
                assertThrows(CodecException.class, () -> TensorCodec.decode(prefix), spec + " prefix " + l);
            }
        }
    }

    @Test
    void truncatedPayloadMessageSaysWhatAndWhere() {
        byte[] blob =
                TensorCodec.encode(List.of(new Tensor("fc1/W", new int[] {1024}, new float[1024])), CodecSpec.FLOAT32);
        CodecException e = rejects(Arrays.copyOf(blob, 200));
        assertMessage(e, "tensor 1 of 1 'fc1/W'", "payload truncated", "need 4096 bytes", "left");
    }

    @Test
    void everySingleBitFlipIsRejected() {
        for (String spec : SPECS) {
            byte[] blob = TensorCodec.encode(SMALL, CodecSpec.parse(spec, 5));
            for (int bit = 0; bit < blob.length * 8; bit++) {
                byte[] bad = blob.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                int b = bit;
                assertThrows(CodecException.class, () -> TensorCodec.decode(bad), spec + " bit " + b);
            }
        }
    }

    @Test
    void payloadBitFlipIsCaughtByCrc() {
        byte[] blob = TensorCodec.encode(SMALL, CodecSpec.FLOAT32);
        blob[30] ^= 0x10; // inside the first payload: structure stays valid
        assertMessage(rejects(blob), "CRC-32C mismatch");
    }

    @Test
    void badMagicAndVersion() {
        byte[] blob = TensorCodec.encode(SMALL, CodecSpec.FLOAT32);
        byte[] magic = blob.clone();
        magic[0] = 'X';
        assertMessage(rejects(magic), "bad magic");
        assertMessage(rejects(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0}), "bad magic");
        assertMessage(rejects(new byte[] {'A', 'F', 'X'}), "bad magic");
        byte[] version = blob.clone();
        version[4] = 2;
        assertMessage(rejects(ForgedBlob.reseal(version)), "unsupported format version 2");
        assertMessage(rejects(new byte[0]), "truncated");
    }

    @Test
    void trailingGarbageIsRejected() {
        byte[] blob = TensorCodec.encode(SMALL, CodecSpec.FLOAT32);
        for (int extra = 1; extra <= 8; extra++) {
            byte[] longer = Arrays.copyOf(blob, blob.length + extra);
            rejects(longer);
            assertMessage(rejects(ForgedBlob.reseal(longer)), "trailing bytes");
        }
    }

    @Test
    void forgedHugeDimensionFailsWithoutAllocating() {
        // Valid CRC, dense f32 with 2^30 elements but only 8 payload bytes.
        byte[] blob = ForgedBlob.header(1)
                .name("w")
                .shape(1 << 30)
                .raw(TensorEncoding.ID_DENSE_F32)
                .varint(8)
                .f32(1, 2)
                .seal();
        assertMessage(rejects(blob), "'w'", "more than the allowed 268435456 elements");
        // Within a raised cap the payload length must still match 4n, checked before allocating.
        CodecException e = assertThrows(CodecException.class, () -> TensorCodec.decode(blob, Integer.MAX_VALUE));
        assertMessage(e, "payload length 8 does not match float32");
        // Product overflow of int dims.
        byte[] overflow = ForgedBlob.header(1)
                .name("w")
                .shape(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)
                .raw(TensorEncoding.ID_DENSE_F32)
                .varint(0)
                .seal();
        rejects(overflow);
        assertThrows(CodecException.class, () -> TensorCodec.decode(overflow, Integer.MAX_VALUE));
        // Forged 1-bit quantized tensor whose payload length is consistent with 2^31-1 elements.
        long n = Integer.MAX_VALUE;
        byte[] q = ForgedBlob.header(1)
                .name("q")
                .shape(n)
                .raw(TensorEncoding.ID_QUANTIZED, 1, 0)
                .varint(8 + (n + 7) / 8)
                .seal();
        assertMessage(rejects(q), "more than the allowed");
        // Sparse tensor with a huge shape is fine (no dense allocation) but its nnz must fit the payload.
        byte[] sparse = ForgedBlob.header(1)
                .name("s")
                .shape(1 << 28)
                .raw(TensorEncoding.ID_SPARSE_F32)
                .varint(5)
                .varint(1 << 27)
                .raw(0)
                .seal();
        assertMessage(rejects(sparse), "payload truncated", "134217728 index/value pairs");
    }

    @Test
    void explicitCapIsEnforced() {
        byte[] blob =
                TensorCodec.encode(List.of(new Tensor("w", new int[] {10, 10}, new float[100])), CodecSpec.FLOAT32);
        assertEquals(1, TensorCodec.decode(blob, 100).size());
        assertMessage(
                assertThrows(CodecException.class, () -> TensorCodec.decode(blob, 99)), "more than the allowed 99");
        assertThrows(CodecException.class, () -> TensorCodec.decodeDense(blob, 99));
    }

    @Test
    void forgedCountsAreRejected() {
        byte[] one = TensorCodec.encode(List.of(new Tensor("a", new int[] {1}, new float[] {1})), CodecSpec.FLOAT32);
        byte[] body = Arrays.copyOf(one, one.length - 4);
        // Count says 2, one tensor present.
        byte[] two = body.clone();
        two[5] = 2;
        assertMessage(rejects(ForgedBlob.withCrc(two)), "tensor 2 of 2", "truncated");
        // Count says 0, one tensor present.
        byte[] zero = body.clone();
        zero[5] = 0;
        assertMessage(rejects(ForgedBlob.withCrc(zero)), "trailing bytes");
        // Huge count fails fast.
        byte[] huge = ForgedBlob.header(Integer.MAX_VALUE).raw(0, 0, 0, 0).seal();
        assertMessage(rejects(huge), "tensor count 2147483647 cannot fit");
    }

    @Test
    void unknownEncodingAndBadParams() {
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(9)
                        .varint(4)
                        .f32(1)
                        .seal()),
                "unknown encoding id 9");
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(0)
                        .varint(4)
                        .f32(1)
                        .seal()),
                "unknown encoding id 0");
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(3, 9, 0)
                        .varint(9)
                        .f32(0, 0)
                        .raw(0)
                        .seal()),
                "bits 9");
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(3, 8, 2)
                        .varint(9)
                        .f32(0, 0)
                        .raw(0)
                        .seal()),
                "flags");
        // Quantized range must be finite with min <= max.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(3, 8, 0)
                        .varint(9)
                        .f32(1, 0)
                        .raw(0)
                        .seal()),
                "invalid quantization range");
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(3, 8, 0)
                        .varint(9)
                        .f32(0, Float.NaN)
                        .raw(0)
                        .seal()),
                "invalid quantization range");
        // Non-zero padding bits after the last level (1 level of 4 bits, padding 0xF0 set).
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(1)
                        .raw(3, 4, 0)
                        .varint(9)
                        .f32(0, 1)
                        .raw(0xF1)
                        .seal()),
                "padding");
        // Wrong payload length for a fixed-size encoding.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("w")
                        .shape(2)
                        .raw(2)
                        .varint(3)
                        .raw(0, 0, 0)
                        .seal()),
                "payload length 3 does not match float16");
    }

    @Test
    void badSparsePayloads() {
        // Index out of range: n = 10, gap 10 -> index 10.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("s")
                        .shape(10)
                        .raw(4)
                        .varint(6)
                        .varint(1)
                        .varint(10)
                        .f32(1)
                        .seal()),
                "sparse index 10",
                "out of range");
        // Second index out of range through accumulated gaps: 5, then 5 + 1 + 4 = 10.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("s")
                        .shape(10)
                        .raw(4)
                        .varint(11)
                        .varint(2)
                        .varint(5)
                        .varint(4)
                        .f32(1, 2)
                        .seal()),
                "sparse index 10");
        // nnz larger than the tensor.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("s")
                        .shape(2)
                        .raw(4)
                        .varint(16)
                        .varint(3)
                        .raw(0, 0, 0)
                        .f32(1, 2, 3)
                        .seal()),
                "nnz 3 exceeds");
        // Values shorter / longer than nnz * 4.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("s")
                        .shape(10)
                        .raw(4)
                        .varint(5)
                        .varint(1)
                        .varint(0)
                        .raw(0, 0, 0)
                        .seal()),
                "truncated");
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("s")
                        .shape(10)
                        .raw(4)
                        .varint(7)
                        .varint(1)
                        .varint(0)
                        .f32(1)
                        .raw(0)
                        .seal()),
                "values need 4 bytes but 5");
        // Empty payload.
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .name("s")
                        .shape(10)
                        .raw(4)
                        .varint(0)
                        .seal()),
                "nnz truncated");
    }

    @Test
    void badVarints() {
        // Six-byte varint for the tensor count.
        byte[] tooLong = ForgedBlob.withCrc(new byte[] {
            0x41, 0x46, 0x44, 0x54, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0
        });
        assertMessage(rejects(tooLong), "tensor count", "too long");
        // Value above 2^31-1 in five bytes.
        byte[] big = ForgedBlob.withCrc(
                new byte[] {0x41, 0x46, 0x44, 0x54, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
        assertMessage(rejects(big), "exceeds 2^31-1");
        // Non-minimal encoding of 1 as 0x81 0x00.
        byte[] nonMinimal = ForgedBlob.withCrc(new byte[] {0x41, 0x46, 0x44, 0x54, 1, (byte) 0x81, 0x00});
        assertMessage(rejects(nonMinimal), "non-minimal");
    }

    @Test
    void badNames() {
        assertMessage(
                rejects(ForgedBlob.header(1)
                        .varint(2)
                        .raw(0xC3, 0x28)
                        .shape(1)
                        .raw(1)
                        .varint(4)
                        .f32(1)
                        .seal()),
                "UTF-8");
        assertMessage(
                rejects(ForgedBlob.header(1).varint(1 << 30).raw(0, 0, 0, 0).seal()), "name truncated");
        assertMessage(
                rejects(ForgedBlob.header(2)
                        .name("a")
                        .shape(1)
                        .raw(1)
                        .varint(4)
                        .f32(1)
                        .name("a")
                        .shape(1)
                        .raw(1)
                        .varint(4)
                        .f32(2)
                        .seal()),
                "duplicate tensor name");
        // A valid forged blob decodes: the forging helper itself is right.
        List<NamedTensor> ok = TensorCodec.decode(
                ForgedBlob.header(1).name("a").shape(1).raw(1).varint(4).f32(1).seal());
        assertEquals(new Tensor("a", new int[] {1}, new float[] {1}), ok.get(0));
    }

    @Test
    void randomGarbageOnlyEverThrowsCodecException() {
        SplittableRandom r = new SplittableRandom(42);
        byte[] valid = TensorCodec.encode(SMALL, CodecSpec.parse("q3-hadamard", 1));
        for (int iter = 0; iter < 20_000; iter++) {
            byte[] body;
            if (iter % 2 == 0) {
                // mutate a valid body in a few places and fix the CRC, to get past the checksum
                body = Arrays.copyOf(valid, valid.length - 4);
                int k = 1 + r.nextInt(3);
                for (int j = 0; j < k; j++) {
                    body[5 + r.nextInt(body.length - 5)] = (byte) r.nextInt(256);
                }
            } else {
                body = new byte[5 + r.nextInt(40)];
                r.nextBytes(body);
                System.arraycopy(new byte[] {0x41, 0x46, 0x44, 0x54, 1}, 0, body, 0, 5);
            }
            byte[] blob = ForgedBlob.withCrc(body);
            try {
                TensorCodec.decode(blob);
            } catch (CodecException expected) {
                // fine
            } catch (RuntimeException | Error e) {
                throw new AssertionError("iteration " + iter + " threw " + e, e);
            }
        }
    }
}
