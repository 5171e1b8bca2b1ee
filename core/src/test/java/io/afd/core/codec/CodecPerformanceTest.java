package io.afd.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Coarse speed checks. Best-of-N timings after warm-up, with generous bounds so that a loaded machine does
 * not make them flaky while an accidental per-element allocation or quadratic loop still fails them.
 */
class CodecPerformanceTest {
    private static final int N = 6_600_000;

    private static long bestNanos(int reps, Runnable r) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    @Test
    void sparseUpdateWellUnderOneMillisecond() {
        SplittableRandom r = new SplittableRandom(1);
        int[] idx = r.ints(0, N).distinct().limit(6600).sorted().toArray();
        float[] val = new float[idx.length];
        for (int i = 0; i < val.length; i++) {
            val[i] = (float) r.nextGaussian();
        }
        List<SparseTensor> in = List.of(new SparseTensor("update", new int[] {N}, idx, val));
        for (CodecSpec spec : List.of(CodecSpec.SPARSE_F32, CodecSpec.SPARSE_F16)) {
            Runnable roundTrip = () -> {
                List<NamedTensor> out = TensorCodec.decode(TensorCodec.encode(in, spec));
                assertEquals(6600, ((SparseTensor) out.get(0)).nnz());
            };
            bestNanos(2000, roundTrip); // warm-up
            long best = bestNanos(200, roundTrip);
            System.out.printf("sparse %s 6600/6.6M encode+decode: %.3f ms, %d bytes%n", spec, best / 1e6,
                    TensorCodec.encode(in, spec).length);
            assertTrue(best < 1_000_000, spec + " took " + best / 1e6 + " ms");
        }
    }

    @Test
    void denseSixPointSixMillionFloats() {
        SplittableRandom r = new SplittableRandom(2);
        float[] d = new float[N];
        for (int i = 0; i < N; i++) {
            d[i] = (float) r.nextGaussian();
        }
        List<Tensor> in = List.of(new Tensor("w", new int[] {N}, d));
        for (String s : List.of("float32", "float16", "q8", "q8-hadamard")) {
            CodecSpec spec = CodecSpec.parse(s);
            Runnable roundTrip = () -> TensorCodec.decode(TensorCodec.encode(in, spec));
            bestNanos(3, roundTrip);
            long enc = bestNanos(5, () -> TensorCodec.encode(in, spec));
            byte[] blob = TensorCodec.encode(in, spec);
            long dec = bestNanos(5, () -> TensorCodec.decode(blob));
            System.out.printf("dense %s 6.6M: encode %.1f ms, decode %.1f ms, %d bytes%n", s, enc / 1e6, dec / 1e6,
                    blob.length);
            if (s.equals("float32")) {
                assertTrue(enc + dec < 250_000_000L, "float32 round trip took " + (enc + dec) / 1e6 + " ms");
            }
        }
    }
}
