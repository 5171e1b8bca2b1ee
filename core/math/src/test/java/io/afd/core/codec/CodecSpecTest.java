package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CodecSpecTest {

    @Test
    void canonicalStringsRoundTrip() {
        for (String s : new String[] {
            "float32",
            "float16",
            "q8",
            "q4",
            "q2",
            "q1",
            "q8-hadamard",
            "q2-hadamard",
            "sparse-f32",
            "sparse-f16",
            "q8+sparse-f16",
            "float32+sparse-f16",
            "float16+sparse-f32"
        }) {
            CodecSpec spec = CodecSpec.parse(s);
            assertEquals(s, spec.toString());
            assertEquals(spec, CodecSpec.parse(spec.toString()));
        }
    }

    @Test
    void parsedMeaning() {
        assertEquals(new CodecSpec(TensorEncoding.DENSE_F32, TensorEncoding.SPARSE_F32, 0), CodecSpec.parse("float32"));
        assertEquals(new CodecSpec(TensorEncoding.DENSE_F16, TensorEncoding.SPARSE_F16, 0), CodecSpec.parse("float16"));
        assertEquals(
                new CodecSpec(new TensorEncoding.Quantized(8, true), TensorEncoding.SPARSE_F32, 7),
                CodecSpec.parse("q8-hadamard", 7));
        assertEquals(
                new CodecSpec(TensorEncoding.SPARSE_F16, TensorEncoding.SPARSE_F16, 0), CodecSpec.parse("sparse-f16"));
        assertEquals(CodecSpec.SPARSE_F32, CodecSpec.parse("sparse-f32"));
        assertEquals(CodecSpec.quantized(4, false), CodecSpec.parse("q4"));
        assertEquals(CodecSpec.parse("q8"), CodecSpec.parse(" Q8 "));
        assertEquals("q8", CodecSpec.parse(" Q8 ").toString());
        assertEquals(5L, CodecSpec.FLOAT32.withSeed(5).seed());
        assertNotEquals(CodecSpec.FLOAT32, CodecSpec.SPARSE_F32);
        assertEquals("float32", CodecSpec.FLOAT32.withSeed(99).toString());
    }

    @Test
    void badStringsAreRejected() {
        for (String s : new String[] {
            "",
            "float64",
            "q0",
            "q9",
            "q16",
            "q8-hadamar",
            "q",
            "sparse",
            "sparse-f8",
            "q8+float16",
            "q8+sparse-f16+sparse-f32",
            "+sparse-f16",
            "f32"
        }) {
            assertThrows(IllegalArgumentException.class, () -> CodecSpec.parse(s), s);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> new CodecSpec(TensorEncoding.DENSE_F32, TensorEncoding.DENSE_F16, 0));
        assertThrows(IllegalArgumentException.class, () -> TensorEncoding.quantized(0, false));
    }

    @Test
    void encodingIdsAreStable() {
        assertEquals(1, TensorEncoding.DENSE_F32.id());
        assertEquals(2, TensorEncoding.DENSE_F16.id());
        assertEquals(3, TensorEncoding.quantized(8, true).id());
        assertEquals(4, TensorEncoding.SPARSE_F32.id());
        assertEquals(5, TensorEncoding.SPARSE_F16.id());
    }
}
