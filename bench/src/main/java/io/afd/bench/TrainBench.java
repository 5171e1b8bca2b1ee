package io.afd.bench;

import io.afd.core.nn.ModelRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
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
 * One forward + backward pass of the full LEAF CNN through the core runtime ({@link
 * ModelRuntime#create}, SameDiff for the CNN) on random 28x28 inputs, including the copy of every
 * gradient out to Java arrays. {@link BenchMain} turns ms/op into samples/s = batch / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainBench {

    @Param({"10", "20", "64"})
    public int batch;

    private ModelRuntime runtime;
    private float[] x;
    private int[] labels;
    private final Map<String, float[]> grads = new HashMap<>();

    @Setup
    public void setup() {
        runtime = ModelRuntime.create(Fixtures.SPEC);
        runtime.setParams(Fixtures.SPEC.init(Fixtures.SEED));
        SplittableRandom rnd = new SplittableRandom(Fixtures.SEED + batch);
        x = new float[batch * Fixtures.SPEC.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rnd.nextInt(Fixtures.SPEC.numClasses());
        }
    }

    @Benchmark
    public double lossAndGradients() {
        return runtime.lossAndGradients(x, labels, batch, grads);
    }
}
