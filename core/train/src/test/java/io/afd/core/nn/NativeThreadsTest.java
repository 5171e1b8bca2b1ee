package io.afd.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class NativeThreadsTest {

    private static int blas() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    private static int omp() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    @Test
    void aScopeSetsEveryPoolAndRestoresIt() {
        int blas = blas();
        int master = Nd4j.getEnvironment().maxMasterThreads();
        int omp = omp();
        try {
            // other values outside, so that the scope visibly sets and restores them
            Nd4j.factory().blas().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(3);
            try (NativeThreads.Scope s = NativeThreads.clientTraining()) {
                assertEquals(NativeThreads.CLIENT_OP_THREADS, blas());
                assertEquals(
                        NativeThreads.CLIENT_OP_THREADS, Nd4j.getEnvironment().maxMasterThreads());
                assertEquals(NativeThreads.CLIENT_OP_THREADS, omp());
                s.close(); // closing twice is harmless
            }
            assertEquals(1, blas());
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(3, omp());
        } finally {
            Nd4j.factory().blas().setMaxThreads(blas);
            Nd4j.getEnvironment().setMaxMasterThreads(master);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(omp);
        }
    }

    @Test
    void theProcessWideSettingHoldsUntilTheLastConcurrentScopeCloses() throws Exception {
        int blas = blas();
        Nd4j.factory().blas().setMaxThreads(NativeThreads.CLIENT_OP_THREADS + 1);
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> otherOmp = other.submit(() -> {
                try (NativeThreads.Scope s = NativeThreads.clientTraining()) {
                    opened.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return omp();
                }
            });
            opened.await(30, TimeUnit.SECONDS);
            NativeThreads.Scope mine = NativeThreads.clientTraining();
            mine.close();
            assertEquals(NativeThreads.CLIENT_OP_THREADS, blas(), "the other thread's scope is still open");
            release.countDown();
            assertEquals(NativeThreads.CLIENT_OP_THREADS, otherOmp.get(30, TimeUnit.SECONDS));
            other.shutdown();
            assertTrue(other.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(NativeThreads.CLIENT_OP_THREADS + 1, blas(), "restored after the last scope");
        } finally {
            release.countDown();
            other.shutdownNow();
            Nd4j.factory().blas().setMaxThreads(blas);
        }
    }
}
