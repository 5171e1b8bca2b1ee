package io.afd.core.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.data.Dataset;
import io.afd.core.data.FederatedDataset;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Clients trained in parallel give the sequential run's bits: per-round accuracies, losses, byte
 * counts, score-map changes and the final model, for stateful DGC clients under Multi-Model AFD, a
 * dense FedAvg baseline and a small CNN (SameDiff, oneDNN).
 */
class ParallelClientsTest {

    /** Multi-Model AFD + DGC: per-client selections and per-client optimizer state across rounds. */
    private static final String MLP_AFD_DGC = """
            seed: 9
            dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 12, maxSamplesPerClient: 80}
            model: mlp(in=60,hidden=200x200,classes=10)
            rounds: 5
            clientsPerRound: 7
            train: {epochs: 2, batchSize: 10, learningRate: 0.05}
            strategy: {policy: afd-multi, dropoutRate: 0.25, lossSignal: initial}
            dgc: {enabled: true, momentum: 0.5, clipNorm: 5, sparsity: 0.99, warmup: [0.75, 0.9], denseBelow: 100}
            downlink: q8
            uplink: float16
            """;

    private static final String LOGREG_FEDAVG = """
            seed: 4
            dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 10, maxSamplesPerClient: 60}
            model: logreg(in=60,classes=10)
            rounds: 3
            clientsPerRound: 5
            train: {epochs: 1, batchSize: 20, learningRate: 0.1}
            """;

    /** The 60 synthetic features padded to an 8x8 image (see {@link #asImages}). */
    private static final String CNN_AFD_DGC = """
            seed: 2
            dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 6, maxSamplesPerClient: 40}
            model: cnn(in=1x8x8,c1=4,c2=8,fc=16,classes=10)
            rounds: 3
            clientsPerRound: 4
            train: {epochs: 1, batchSize: 10, learningRate: 0.05}
            strategy: {policy: afd-single, dropoutRate: 0.25}
            dgc: {enabled: true, momentum: 0.9, sparsity: 0.9, warmup: [0.5], denseBelow: 16}
            """;

    @Test
    void afdWithDgcGivesTheSameBitsOnOneTwoAndThreeThreads() {
        sameBitsForThreads(MLP_AFD_DGC, 1, 2, 3);
    }

    @Test
    void denseFedAvgGivesTheSameBitsInParallel() {
        sameBitsForThreads(LOGREG_FEDAVG, 1, 2);
    }

    @Test
    void cnnGivesTheSameBitsInParallel() {
        ExperimentConfig cfg = ExperimentConfig.parse(CNN_AFD_DGC, "cnn");
        sameBitsForThreads(cfg, asImages(DataLoader.load(cfg.dataset(), cfg.seed())), 1, 2);
    }

    @Test
    void clientsReallyTrainOnSeveralThreads() {
        ExperimentConfig cfg = ExperimentConfig.parse(MLP_AFD_DGC.replace("rounds: 5", "rounds: 1"), "threads");
        Set<String> names = ConcurrentHashMap.newKeySet();
        // the clients' threads are named; look for them while the round runs
        Thread probe = new Thread(() -> {
            try {
                while (true) {
                    Thread.getAllStackTraces().keySet().stream()
                            .map(Thread::getName)
                            .filter(n -> n.startsWith("afd-client-"))
                            .forEach(names::add);
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        probe.setDaemon(true);
        probe.start();
        try {
            new Simulator(cfg, 3).run(new Simulator.Listener() {});
        } finally {
            probe.interrupt();
        }
        assertEquals(Set.of("afd-client-1", "afd-client-2", "afd-client-3"), names);
    }

    @Test
    void aFailingClientFailsTheParallelRunAsItFailsTheSequentialOne() {
        String diverging = MLP_AFD_DGC.replace("learningRate: 0.05", "learningRate: 1.0e30");
        ExperimentConfig cfg = ExperimentConfig.parse(diverging, "diverging");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        ArithmeticException seq = assertThrows(
                ArithmeticException.class, () -> new Simulator(cfg, 1).run(data, new Simulator.Listener() {}));
        ArithmeticException par = assertThrows(
                ArithmeticException.class, () -> new Simulator(cfg, 3).run(data, new Simulator.Listener() {}));
        assertEquals(seq.getMessage(), par.getMessage());
    }

    private static void sameBitsForThreads(String yaml, int... threads) {
        ExperimentConfig cfg = ExperimentConfig.parse(yaml, "parallel");
        sameBitsForThreads(cfg, DataLoader.load(cfg.dataset(), cfg.seed()), threads);
    }

    private static void sameBitsForThreads(ExperimentConfig cfg, FederatedDataset data, int... threads) {
        Run reference = run(cfg, data, threads[0]);
        assertEquals(cfg.rounds(), reference.rounds.size());
        for (int i = 1; i < threads.length; i++) {
            Run other = run(cfg, data, threads[i]);
            String who = threads[i] + " threads vs " + threads[0];
            assertEquals(reference.rounds.size(), other.rounds.size(), who);
            for (int r = 0; r < reference.rounds.size(); r++) {
                assertEquals(reference.rounds.get(r), other.rounds.get(r), who + ", round " + r);
            }
            assertEquals(reference.scoreUpdates, other.scoreUpdates, who + ": score-map changes");
            for (Tensor t : reference.model) {
                assertArrayEquals(bits(t.data()), bits(other.model.get(t.name()).data()), who + ": final " + t.name());
            }
            assertTrue(reference.model.bitEquals(other.model), who);
        }
    }

    /** What must not depend on the threads: everything but timings. */
    private record Run(List<List<Object>> rounds, List<String> scoreUpdates, ParamSet model) {}

    private static Run run(ExperimentConfig cfg, FederatedDataset data, int threads) {
        List<List<Object>> rounds = new ArrayList<>();
        List<String> updates = new ArrayList<>();
        Simulator.Result r = new Simulator(cfg, threads).run(data, new Simulator.Listener() {
            @Override
            public void onRound(RoundMetrics m, List<ScoreUpdate> u, Map<String, ScoreMap> maps) {
                rounds.add(List.of(
                        m.round(),
                        m.clients(),
                        Double.doubleToRawLongBits(m.testAccuracy()),
                        Double.doubleToRawLongBits(m.testLoss()),
                        Double.doubleToRawLongBits(m.trainLoss()),
                        Double.doubleToRawLongBits(m.bytesDownPerClient()),
                        Double.doubleToRawLongBits(m.bytesUpPerClient()),
                        Double.doubleToRawLongBits(m.subModelParams()),
                        Double.doubleToRawLongBits(m.sparsity()),
                        Double.doubleToRawLongBits(m.uploadedValues()),
                        m.distinctSubModels()));
                updates.add(u.toString());
            }
        });
        return new Run(rounds, updates, r.finalModel());
    }

    /** Each sample's 60 features and 4 zeros as a 1x8x8 image. */
    private static FederatedDataset asImages(FederatedDataset d) {
        List<Dataset> clients = new ArrayList<>();
        for (Dataset c : d.clients()) {
            clients.add(padded(c));
        }
        return new FederatedDataset(clients, padded(d.test()), d.description() + " as 8x8 images");
    }

    private static Dataset padded(Dataset d) {
        int f = d.featureSize();
        float[] x = new float[d.size() * 64];
        for (int i = 0; i < d.size(); i++) {
            System.arraycopy(d.features(), i * f, x, i * 64, f);
        }
        return new Dataset(new int[] {1, 8, 8}, x, d.labels(), d.numClasses(), d.name());
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
