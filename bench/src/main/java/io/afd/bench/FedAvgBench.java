package io.afd.bench;

import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server-side FedAvg on the LEAF CNN with dropout-0.5 sub-models.
 * <ul>
 *   <li>{@code add}: {@link FedAvgAccumulator#add} of one 99.9 %-sparse DGC update in sub-model
 *       coordinates (target <= 1 ms). Eight pre-built updates of the same selection are added
 *       round-robin into one accumulator; the accumulator is replaced (outside the timed region)
 *       only when it reaches {@link FedAvgAccumulator#MAX_CONTRIBUTIONS}.</li>
 *   <li>{@code apply}: {@link FedAvgAccumulator#apply} of a round of 10 such updates, from
 *       {@code selections} distinct selections (1 = single-model AFD, 10 = multi-model AFD).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class FedAvgBench {
    static final int UPDATES = 8;
    static final long SAMPLES = 200;

    /** Accumulator and updates for {@code add}. */
    @State(Scope.Benchmark)
    public static class AddState {
        Selection selection;
        List<List<NamedTensor>> updates;
        FedAvgAccumulator acc;
        int next;

        @Setup(Level.Trial)
        public void trial() {
            selection = Fixtures.selection();
            SubModelLayout layout = new SubModelLayout(Fixtures.SPEC, selection);
            updates = new java.util.ArrayList<>();
            for (int i = 0; i < UPDATES; i++) {
                updates.add(Fixtures.sparsify(
                        layout.sub(),
                        Fixtures.residual(layout.sub(), Fixtures.SEED + 10 + i),
                        Fixtures.SPARSITY,
                        Fixtures.SEED + i));
            }
            System.out.printf(
                    "[FedAvgBench] %d updates of %d sent values each%n", UPDATES, Fixtures.sentValues(updates.get(0)));
        }

        @Setup(Level.Iteration)
        public void iteration() {
            acc = new FedAvgAccumulator(Fixtures.SPEC);
        }

        /** Only allocates when the round is full (every 32,768 adds); otherwise a compare. */
        @Setup(Level.Invocation)
        public void invocation() {
            if (acc.contributions() >= FedAvgAccumulator.MAX_CONTRIBUTIONS) {
                acc = new FedAvgAccumulator(Fixtures.SPEC);
            }
        }
    }

    /** A filled round for {@code apply}. */
    @State(Scope.Benchmark)
    public static class ApplyState {
        @Param({"1", "10"})
        public int selections;

        ParamSet global;
        FedAvgAccumulator acc;

        @Setup(Level.Trial)
        public void trial() {
            global = Fixtures.SPEC.init(Fixtures.SEED);
            acc = new FedAvgAccumulator(Fixtures.SPEC);
            for (int c = 0; c < 10; c++) {
                Selection s = selections == 1
                        ? Fixtures.selection()
                        : Fixtures.dropoutSelection(Fixtures.SPEC, Fixtures.DROPOUT, Fixtures.SEED + 100 + c);
                SubModelLayout layout = new SubModelLayout(Fixtures.SPEC, s);
                acc.add(
                        s,
                        Fixtures.sparsify(
                                layout.sub(),
                                Fixtures.residual(layout.sub(), Fixtures.SEED + 20 + c),
                                Fixtures.SPARSITY,
                                Fixtures.SEED + c),
                        SAMPLES + c);
            }
        }
    }

    @Benchmark
    public FedAvgAccumulator add(AddState st) {
        List<NamedTensor> u = st.updates.get(st.next);
        st.next = (st.next + 1) % UPDATES;
        st.acc.add(st.selection, u, SAMPLES);
        return st.acc;
    }

    @Benchmark
    public ParamSet apply(ApplyState st) {
        return st.acc.apply(st.global);
    }
}
