package io.afd.bench;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.Tensor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dense {@link TensorCodec} round trip of the whole LEAF CNN (6,603,710 float32 weights, the
 * downlink of plain FedAvg): {@code encode} and {@code decode} separately, for float32, float16 and
 * 8-bit stochastic quantization (q8).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBench {

    @Param({"float32", "float16", "q8"})
    public String codec;

    private CodecSpec spec;
    private List<Tensor> model;
    private byte[] blob;

    @Setup
    public void setup() {
        spec = CodecSpec.parse(codec);
        model = Fixtures.SPEC.init(Fixtures.SEED).list();
        blob = TensorCodec.encode(model, spec);
        System.out.printf("[CodecBench] %s: %d bytes (%.2f MB)%n", codec, blob.length, blob.length / 1e6);
    }

    @Benchmark
    public byte[] encode() {
        return TensorCodec.encode(model, spec);
    }

    @Benchmark
    public List<NamedTensor> decode() {
        return TensorCodec.decode(blob);
    }
}
