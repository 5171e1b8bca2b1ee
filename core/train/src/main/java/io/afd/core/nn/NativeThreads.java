package io.afd.core.nn;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A fixed number of threads per ND4J operation while a client trains, so that a client's update
 * depends neither on the machine's core count nor on how many clients train at once.
 *
 * <p>ND4J M2.1 splits an operation's work among the threads it is allowed, and the split changes the
 * rounding: measured here, an MLP's gradients differ between OpenBLAS on 1 and 2 threads, and a
 * CNN's between oneDNN (OpenMP) on 1 and 2 threads (libnd4j's own pool did not change them). Left
 * alone, each uses one thread per core, so updates depended on the core count, and clients trained
 * side by side would have computed other bits had their threads been cut to share the cores. Inside
 * a {@link #clientTraining()} scope every one of them uses {@link #CLIENT_OP_THREADS}:
 * <ul>
 *   <li>OpenMP (oneDNN's convolutions) of the calling thread: a per-thread setting, restored when
 *       the scope closes;</li>
 *   <li>OpenBLAS, and the threads one libnd4j operation starts ({@code maxMasterThreads}), which
 *       are process-wide: set from the first open scope to the last close, then restored. No other
 *       ND4J work may run concurrently with a scope (the simulator evaluates only between rounds;
 *       the services that evaluate do not train).</li>
 * </ul>
 * Clients trained at once each get that many threads; with two clients on two cores the threads
 * are oversubscribed two to one, which measured faster than training the clients one after
 * another (docs/adr/0014).
 */
public final class NativeThreads {
    /**
     * Threads one ND4J operation may use while a client trains: 2, ND4J's default on the 2-core
     * machines every result of this repository was produced on, so those results reproduce bit for
     * bit.
     */
    public static final int CLIENT_OP_THREADS = 2;

    private static final Object LOCK = new Object();
    private static int open;
    private static int savedBlas;
    private static int savedMasterThreads;

    private NativeThreads() {}

    /** An open {@link #clientTraining()} scope; closing it restores what it changed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Limits the ND4J operations of the calling thread, and the process-wide BLAS and libnd4j pools,
     * to {@link #CLIENT_OP_THREADS} until the returned scope is closed (by the same thread).
     */
    public static Scope clientTraining() {
        Environment env = Nd4j.getEnvironment(); // loads the backend, which NativeOpsHolder needs first
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        synchronized (LOCK) {
            if (open++ == 0) {
                Blas blas = Nd4j.factory().blas();
                savedBlas = blas.getMaxThreads();
                savedMasterThreads = env.maxMasterThreads();
                blas.setMaxThreads(CLIENT_OP_THREADS);
                env.setMaxMasterThreads(CLIENT_OP_THREADS);
            }
        }
        int savedOmp = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(CLIENT_OP_THREADS);
        return new Scope() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                ops.setOmpNumThreads(savedOmp);
                synchronized (LOCK) {
                    if (--open == 0) {
                        Nd4j.factory().blas().setMaxThreads(savedBlas);
                        env.setMaxMasterThreads(savedMasterThreads);
                    }
                }
            }
        };
    }
}
