package io.afd.core.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.sim.RoundMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report arithmetic on hand-made metrics files (no simulation). */
class AnalysisTest {

    static final String MATRIX = MatrixSpecTest.BASE + """
            policies: [fedavg, afd-single]
            compression: [none, dgc]
            seeds: [1, 2]
            timeModel:
              profiles: [{name: slow-mobile, downMbps: 1, upMbps: 1, latencyMs: 0}]
            """;

    static RoundMetrics r(int t, double acc, double down, double up, long computeMs) {
        return new RoundMetrics(t, 2, acc, 1, 1, down, up, 4_480, 1, 0.999, 1, 1, computeMs, computeMs, computeMs);
    }

    static void write(Path dir, MatrixSpec spec, Cell c, List<RoundMetrics> rounds) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", c.config().describe());
        doc.put("summary", Map.of("rounds", rounds.size()));
        doc.put("rounds", rounds);
        Files.createDirectories(dir.resolve(c.name()));
        new ObjectMapper()
                .writeValue(dir.resolve(c.name()).resolve("metrics.json").toFile(), doc);
    }

    static Path fixture(Path dir) throws Exception {
        MatrixSpec spec = MatrixSpec.parse(MATRIX, "a.yaml", "a");
        MatrixRecord.of(spec, "cmd").write(dir.resolve("matrix.json"));
        for (Cell c : spec.cells()) {
            List<RoundMetrics> rs = new ArrayList<>();
            boolean fedavg = c.policy().equals("fedavg");
            boolean dgc = c.compression() != Compression.NONE;
            // FedAvg/none: 1 MB each way, 1 s compute -> 17 s per round, reaches 0.95 at round 3
            // afd-single/dgc: 0.5 MB down, 1 kB up -> reaches in round 1 (seed 1) or 2 (seed 2)
            double[] acc = fedavg
                    ? new double[] {0.5, 0.8, 1.0}
                    : c.seed() == 1 ? new double[] {0.96, 0.97, 0.98} : new double[] {0.9, 0.96, 0.99};
            for (int t = 0; t < 3; t++) {
                rs.add(r(t, acc[t], fedavg ? 1_000_000 : 500_000, dgc ? 1_000 : 1_000_000, fedavg ? 1000 : 99_999));
            }
            if (!fedavg || !dgc) {
                write(dir, spec, c, rs);
            }
        }
        return dir;
    }

    @Test
    void targetTimeToTargetAndPairedSpeedUp(@TempDir Path dir) throws Exception {
        Analysis a = Analysis.load(fixture(dir));
        assertEquals(List.of("synthetic-fedavg-dgc-d0-s1", "synthetic-fedavg-dgc-d0-s2"), a.missing());
        assertEquals(List.of("synthetic"), a.settings());
        Cell.SeriesKey ref = a.reference("synthetic");
        assertEquals(0.95, a.target("synthetic"), 1e-12);
        // reference compute: median of FedAvg/none's slowest-client times = 1 s; afd keeps 12 of 16 units
        assertEquals(1.0, a.referenceComputeSeconds("synthetic"), 1e-12);
        double ratio = (60.0 * 12 + 12 * 10) / (60.0 * 16 + 16 * 10);
        BandwidthProfile p = a.targetProfile();

        Analysis.TimeToTarget fa = a.timeToTarget(ref, p);
        assertEquals(2, fa.reached());
        assertEquals(51.0, fa.seconds().mean(), 1e-9);
        assertEquals(3.0, fa.rounds().mean(), 1e-12);
        assertEquals(1.0, fa.speedup().mean(), 1e-12);

        Cell.SeriesKey afd = new Cell.SeriesKey("synthetic", "afd-single", "dgc", 0.25);
        double round = 4 + 0.008 + ratio; // 0.5 MB down, 1 kB up at 1 Mbit/s, compute 1 s x FLOPs ratio
        Analysis.TimeToTarget tt = a.timeToTarget(afd, p);
        assertEquals(2, tt.reached());
        assertEquals(Stat.of(round, 2 * round), tt.seconds());
        assertEquals(Stat.of(51 / round, 51 / (2 * round)).mean(), tt.speedup().mean(), 1e-9);
        assertEquals(Stat.of(51 / round, 51 / (2 * round)).std(), tt.speedup().std(), 1e-9);

        assertEquals(1.0, a.finalAccuracy(ref).mean(), 0);
        assertEquals(0.985, a.finalAccuracy(afd).mean(), 1e-12);
        // only 3 rounds exist, so the last-5 mean is the mean of all three: seed 1 0.97, seed 2 0.95
        assertEquals(0.96, a.tailAccuracy(afd).mean(), 1e-12);
        assertEquals(Stat.of(0.97, 0.95).std(), a.tailAccuracy(afd).std(), 1e-12);
        assertEquals((0.5 + 0.8 + 1.0) / 3, a.tailAccuracy(ref).mean(), 1e-12);
        // seed-paired: FedAvg/none ends at 1.0 on both seeds, afd-single/dgc at 0.98 and 0.99
        assertArrayEquals(new int[] {0, 2}, a.pairedWins(afd, ref));
        assertArrayEquals(new int[] {2, 2}, a.pairedWins(ref, afd));
        // FedAvg/dgc has no finished cells: nothing to pair
        assertArrayEquals(new int[] {0, 0}, a.pairedWins(afd, new Cell.SeriesKey("synthetic", "fedavg", "dgc", 0)));
        assertEquals(4_480 / 1_000.0, a.finalUploadReduction(afd).mean(), 1e-12);
        Analysis.Curve bytes = a.accuracyCurve(afd, Analysis.XAxis.BYTES, null);
        assertEquals(501_000 * 3, bytes.x()[2], 1e-9);
        assertEquals(0.985, bytes.mean()[2], 1e-12);
        assertEquals(Stat.of(0.98, 0.99).std(), bytes.std()[2], 1e-12);

        List<Analysis.TargetCheck> checks = a.targetChecks();
        assertTrue(
                checks.stream()
                        .anyMatch(c ->
                                c.target().startsWith("AFD + DGC") && c.status().equals("missed")),
                checks.toString());
        // the per-round bound: FedAvg/none's 17 s per round over afd-single/dgc's round time
        String perRound = String.format(java.util.Locale.ROOT, "%.1fx per round", 17 / round);
        assertTrue(
                checks.stream()
                        .anyMatch(c ->
                                c.target().startsWith("AFD + DGC") && c.detail().contains(perRound)),
                perRound + " in " + checks);
        assertTrue(
                checks.stream()
                        .anyMatch(c -> c.target().startsWith("DGC upload")
                                && c.status().equals("missed")
                                && c.detail().contains("4.5x")),
                checks.toString());
    }

    @Test
    void tailAccuracySkipsUnevaluatedRounds() {
        List<RoundMetrics> rs = List.of(
                r(0, 0.1, 1, 1, 1),
                r(1, 0.2, 1, 1, 1),
                r(2, 0.4, 1, 1, 1),
                r(3, Double.NaN, 1, 1, 1),
                r(4, 0.6, 1, 1, 1));
        CellResult c = new CellResult(null, null, null, rs);
        assertEquals(0.6, c.finalAccuracy(), 0);
        assertEquals((0.6 + 0.4) / 2, c.tailAccuracy(2), 1e-12);
        assertEquals((0.6 + 0.4 + 0.2 + 0.1) / 4, c.tailAccuracy(5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> c.tailAccuracy(0));
    }

    @Test
    void corruptMetricsFileIsNamed(@TempDir Path dir) throws Exception {
        fixture(dir);
        Path bad = dir.resolve("synthetic-afd-single-dgc-d0.25-s2").resolve("metrics.json");
        String text = Files.readString(bad);
        Files.writeString(bad, text.substring(0, text.length() - 40));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Analysis.load(dir));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());

        Files.writeString(bad, "{\"config\": {}, \"summary\": {}, \"rounds\": [{\"round\": 0}]}");
        e = assertThrows(IllegalArgumentException.class, () -> Analysis.load(dir));
        assertTrue(e.getMessage().startsWith(bad + " is incomplete"), e.getMessage());

        Files.delete(dir.resolve("matrix.json"));
        e = assertThrows(IllegalArgumentException.class, () -> Analysis.load(dir));
        assertTrue(e.getMessage().contains("matrix.json not found"), e.getMessage());
    }
}
