package io.afd.bench;

import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sub-model index maps on the LEAF CNN at dropout 0.5 on conv1, conv2 and fc1 (the sub-model has
 * 1,683,454 of the 6,603,710 parameters):
 * <ul>
 *   <li>{@code layout}: building the {@link SubModelLayout} (all index maps);</li>
 *   <li>{@code extract}: gathering the dense sub-model out of the global weights (target <= 10 ms);</li>
 *   <li>{@code restore}: scattering a dense sub-model-shaped update into global coordinates, with
 *       coverage masks (target <= 10 ms);</li>
 *   <li>{@code restoreSparse}: the same for a 99.9 %-sparse DGC update (no target).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class SubModelBench {

    private Selection selection;
    private SubModelLayout layout;
    private ParamSet global;
    private List<NamedTensor> denseUpdate;
    private List<NamedTensor> sparseUpdate;

    @Setup
    public void setup() {
        selection = Fixtures.selection();
        layout = new SubModelLayout(Fixtures.SPEC, selection);
        global = Fixtures.SPEC.init(Fixtures.SEED);
        denseUpdate = List.copyOf(layout.sub().init(Fixtures.SEED + 2).list());
        sparseUpdate = Fixtures.sparsify(
                layout.sub(), Fixtures.residual(layout.sub(), Fixtures.SEED + 3), Fixtures.SPARSITY, Fixtures.SEED);
        System.out.printf(
                "[SubModelBench] %s: %d of %d params kept%n", selection, layout.subParams(), Fixtures.SPEC.numParams());
    }

    @Benchmark
    public SubModelLayout layout() {
        return new SubModelLayout(Fixtures.SPEC, selection);
    }

    @Benchmark
    public ParamSet extract() {
        return layout.extract(global);
    }

    @Benchmark
    public SubModelLayout.Restored restore() {
        return layout.restore(denseUpdate);
    }

    @Benchmark
    public SubModelLayout.Restored restoreSparse() {
        return layout.restore(sparseUpdate);
    }
}
