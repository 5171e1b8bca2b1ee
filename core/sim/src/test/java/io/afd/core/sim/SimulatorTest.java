package io.afd.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
    /** Synthetic(1,1) has 10 classes: chance is 0.1. */
    private static final double CHANCE = 0.1;

    private static String yaml(String policy, boolean dgc) {
        return """
                seed: 3
                dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 12, maxSamplesPerClient: 120}
                model: mlp(in=60,hidden=64,classes=10)
                rounds: 6
                clientsPerRound: 4
                train: {epochs: 2, batchSize: 10, learningRate: 0.05}
                strategy: {policy: %s, dropoutRate: 0.25}
                dgc: {enabled: %s, momentum: 0.5, denseBelow: 100}
                """.formatted(policy, dgc);
    }

    @Test
    void shortSyntheticRunLearnsAboveChanceAndWritesMetrics(@TempDir Path out) throws Exception {
        ExperimentConfig cfg = ExperimentConfig.parse(yaml("afd-single", true), "t");
        MetricsWriter w = new MetricsWriter(out);
        Simulator.Result r = new Simulator(cfg).run(w);
        w.finish(r);
        assertEquals(6, r.rounds().size());
        double first = r.rounds().get(0).testAccuracy();
        double last = r.last().testAccuracy();
        assertTrue(last > 2 * CHANCE, "final accuracy " + last);
        assertTrue(r.bestAccuracy() > first || first > 2 * CHANCE, "no progress from " + first);
        // DGC: uploads are far smaller than the dense model once warm-up has started
        RoundMetrics lastRound = r.last();
        assertTrue(lastRound.bytesUpPerClient() < lastRound.denseBytes() / 5.0, lastRound.toString());
        // dropout 0.25 on the single hidden layer: download smaller than the dense model
        assertTrue(lastRound.bytesDownPerClient() < lastRound.denseBytes(), lastRound.toString());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(7, csv.size());
        assertEquals(RoundMetrics.CSV_HEADER, csv.get(0));
        assertTrue(Files.size(out.resolve("metrics.json")) > 100);
        assertEquals(6, Files.readAllLines(out.resolve("scoremaps.jsonl")).size());
        assertTrue(Files.size(out.resolve("final-model.afdt")) > cfg.model().numParams() * 4);
    }

    @Test
    void sameSeedSameModelBits() {
        ExperimentConfig cfg = ExperimentConfig.parse(yaml("afd-multi", true).replace("rounds: 6", "rounds: 2"), "t");
        Simulator.Result a = new Simulator(cfg).run(new Simulator.Listener() {});
        Simulator.Result b = new Simulator(cfg).run(new Simulator.Listener() {});
        assertTrue(a.finalModel().bitEquals(b.finalModel()));
    }

    @Test
    void configErrorsNameTheSetting() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ExperimentConfig.parse(yaml("fedavg", false).replace("rounds: 6", "rounds: 6\nroundz: 3"), "t"));
        assertTrue(e.getMessage().contains("roundz"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.parse(yaml("nope", false), "t"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ExperimentConfig.parse(
                        yaml("fedavg", false).replace("clientsPerRound: 4", "clientsPerRound: 40"), "t"));
        assertTrue(e.getMessage().contains("clientsPerRound"), e.getMessage());
    }
}
