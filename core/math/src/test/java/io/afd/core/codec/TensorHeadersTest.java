package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorHeadersTest {

    @Test
    void headersSayWhatDecodingWouldGiveWithoutDecoding() {
        List<NamedTensor> tensors = List.of(
                new Tensor("fc1/W", new int[] {3, 4}, new float[12]),
                new SparseTensor("fc1/b", new int[] {300}, new int[] {0, 7, 299}, new float[] {1f, -2f, 3f}));
        for (CodecSpec spec : List.of(CodecSpec.FLOAT32, CodecSpec.FLOAT16, CodecSpec.parse("q1"))) {
            byte[] blob = TensorCodec.encode(tensors, spec);
            List<TensorCodec.TensorHeader> headers = TensorCodec.headers(blob, TensorCodec.DEFAULT_MAX_TENSOR_ELEMENTS);
            List<NamedTensor> decoded = TensorCodec.decode(blob);
            assertEquals(decoded.size(), headers.size());
            for (int i = 0; i < headers.size(); i++) {
                assertEquals(decoded.get(i).name(), headers.get(i).name());
                assertArrayEquals(decoded.get(i).shape(), headers.get(i).shape());
                assertEquals(decoded.get(i).size(), headers.get(i).size());
                assertEquals(spec.encodingFor(tensors.get(i)), headers.get(i).encoding(), spec + " " + i);
            }
        }
    }

    @Test
    void aMalformedBlobIsRefusedByHeadersAsByDecode() {
        byte[] blob =
                TensorCodec.encode(List.of(new Tensor("w", new int[] {1000}, new float[1000])), CodecSpec.parse("q1"));
        blob[blob.length - 1] ^= 1; // breaks the checksum
        assertThrows(CodecException.class, () -> TensorCodec.headers(blob, TensorCodec.DEFAULT_MAX_TENSOR_ELEMENTS));
        assertThrows(CodecException.class, () -> TensorCodec.decode(blob));
        byte[] ok =
                TensorCodec.encode(List.of(new Tensor("w", new int[] {1000}, new float[1000])), CodecSpec.parse("q1"));
        assertThrows(CodecException.class, () -> TensorCodec.headers(ok, 999), "the element cap applies to headers");
    }
}
