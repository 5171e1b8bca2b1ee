package io.afd.core.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.afd.core.model.ModelSpec;
import io.afd.core.sim.RoundMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeModelTest {

    static RoundMetrics round(int t, double down, double up, long computeMs) {
        return new RoundMetrics(t, 5, 0.5, 1, 1, down, up, 4_000_000, 1, 0, 1, 1, computeMs, computeMs, computeMs);
    }

    @Test
    void closedFormRoundTime() {
        // 1 MB down at 1 Mbit/s = 8 s; 250 kB up at 0.25 Mbit/s = 8 s; 2 s compute; 100 ms latency
        assertEquals(8.0, TimeModel.transferSeconds(1_000_000, 1), 1e-12);
        assertEquals(18.1, TimeModel.roundSeconds(BandwidthProfile.SLOW_MOBILE, 1_000_000, 250_000, 2), 1e-9);
        // broadband: 1 MB at 50 Mbit/s = 0.16 s, 250 kB at 10 Mbit/s = 0.2 s, + 2 s + 20 ms
        assertEquals(2.38, TimeModel.roundSeconds(BandwidthProfile.BROADBAND, 1_000_000, 250_000, 2), 1e-9);
        // a device 10x slower than this machine
        BandwidthProfile slowCpu = new BandwidthProfile("slow-cpu", 1, 0.25, 100, 10);
        assertEquals(36.1, TimeModel.roundSeconds(slowCpu, 1_000_000, 250_000, 2), 1e-9);
    }

    @Test
    void cumulativeTimeAndBytes() {
        List<RoundMetrics> rs = List.of(round(0, 1_000_000, 250_000, 2000), round(1, 500_000, 125_000, 1000));
        double[] t = TimeModel.cumulativeSeconds(
                rs, BandwidthProfile.SLOW_MOBILE, i -> rs.get(i).computeMillisMax() / 1000.0);
        assertArrayEquals(new double[] {18.1, 18.1 + 4 + 1 + 4 + 0.1}, t, 1e-9);
        assertArrayEquals(new double[] {1_250_000, 1_875_000}, TimeModel.cumulativeBytes(rs), 1e-9);
    }

    @Test
    void flopsRatioOfTheDropoutSubModel() {
        ModelSpec mlp = ModelSpec.mlp(60, 10, 200, 200);
        // 25 % dropout keeps 150 of 200 units in each hidden layer
        double expected = (60.0 * 150 + 150 * 150 + 150 * 10) / (60.0 * 200 + 200 * 200 + 200 * 10);
        assertEquals(expected, TimeModel.flopsRatio(mlp, 0.25), 1e-12);
        assertEquals(1.0, TimeModel.flopsRatio(mlp, 0), 0);
        ModelSpec cnn = ModelSpec.cnn(1, 28, 28, 16, 32, 256, 10);
        ModelSpec sub = ModelSpec.cnn(1, 28, 28, 12, 24, 192, 10);
        assertEquals(
                (double) sub.forwardMacsPerSample() / cnn.forwardMacsPerSample(),
                TimeModel.flopsRatio(cnn, 0.25),
                1e-12);
    }

    @Test
    void referenceComputeIsTheMedianOfFlopsNormalisedTimes() {
        List<RoundMetrics> full = List.of(round(0, 1, 1, 1000), round(1, 1, 1, 3000), round(2, 1, 1, 2000));
        List<RoundMetrics> half = List.of(round(0, 1, 1, 600), round(1, 1, 1, 5000));
        // values (s): 1, 3, 2 and 0.6/0.5 = 1.2, 5/0.5 = 10 -> sorted 1, 1.2, 2, 3, 10 -> median 2
        assertEquals(2.0, TimeModel.referenceComputeSeconds(List.of(full, half), new double[] {1, 0.5}), 1e-12);
        assertEquals(2.0, TimeModel.referenceComputeSeconds(List.of(full), new double[] {1}), 1e-12);
    }
}
