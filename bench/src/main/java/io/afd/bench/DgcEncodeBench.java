package io.afd.bench;

import io.afd.core.model.ModelSpec;
import java.util.Map;
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
 * Uplink DGC encode at 99.9 % sparsity: per tensor {@code Sparsifier.select} (1 % sampled
 * threshold, exact correction past 20 % count error), gather of the selected values into a
 * {@code SparseTensor} (tensors under 1024 elements dense), then {@code TensorCodec.encode} with
 * {@code sparse-f32}. {@code shape=full} is a FedAvg client's whole-model update (6,603,710
 * values), {@code shape=dropout0.5} an AFD client's sub-model update. Target: full <= 10 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class DgcEncodeBench {

    @Param({"full", "dropout0.5"})
    public String shape;

    private ModelSpec spec;
    private Map<String, float[]> residual;
    private long call;

    @Setup
    public void setup() {
        spec = Fixtures.updateSpec(shape);
        residual = Fixtures.residual(spec, Fixtures.SEED + 1);
        byte[] blob = Fixtures.dgcEncode(spec, residual, Fixtures.SPARSITY, Fixtures.SEED);
        long sent = Fixtures.sentValues(Fixtures.sparsify(spec, residual, Fixtures.SPARSITY, Fixtures.SEED));
        System.out.printf(
                "[DgcEncodeBench] shape=%s: %d params, %d values sent, %d bytes encoded (%.1f KB)%n",
                shape, spec.numParams(), sent, blob.length, blob.length / 1024.0);
    }

    @Benchmark
    public byte[] encode() {
        // A fresh seed per call only varies the threshold sample, as successive rounds would.
        return Fixtures.dgcEncode(spec, residual, Fixtures.SPARSITY, call++);
    }
}
