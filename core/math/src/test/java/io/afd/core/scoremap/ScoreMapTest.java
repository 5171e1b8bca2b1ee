package io.afd.core.scoremap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreMapTest {
    /** Score increments are a handful of double operations. */
    private static final double SCORE_TOLERANCE = 1e-12;

    private static final ModelSpec MLP = ModelSpec.mlp(4, 2, 6);

    @Test
    void scriptedLossSequenceGivesTheExpectedScoresAndSelections() {
        ScoreMap map = new ScoreMap(MLP);
        SplittableRandom rnd = new SplittableRandom(1);
        Selection s1 = map.nextSelection(0.5, false, 1e-9, rnd); // first: uniform random
        assertEquals(3, s1.kept("fc1").length);
        ScoreMap.Observation o1 = map.observe(2.0);
        assertNull(o1.previousLoss());
        assertFalse(o1.reuse());
        assertArrayEquals(new double[6], map.scores("fc1"));

        Selection s2 = map.nextSelection(0.5, false, 1e-9, rnd); // no scores yet: eps-uniform draw
        ScoreMap.Observation o2 = map.observe(1.5); // improved by 25 %
        assertTrue(o2.reuse());
        assertEquals(0.25, o2.increment(), SCORE_TOLERANCE);
        assertSame(s2, map.nextSelection(0.5, false, 1e-9, rnd)); // reused
        map.observe(1.2); // improved by 20 %
        double[] sc = map.scores("fc1");
        for (int u = 0; u < 6; u++) {
            boolean kept = java.util.Arrays.binarySearch(s2.kept("fc1"), u) >= 0;
            assertEquals(kept ? 0.45 : 0.0, sc[u], SCORE_TOLERANCE, "unit " + u);
        }
        ScoreMap.Observation worse = map.observe(1.3); // got worse: no score change, new draw next
        assertFalse(worse.reuse());
        assertEquals(0, worse.increment());
        assertEquals(0.45, map.scores("fc1")[s2.kept("fc1")[0]], SCORE_TOLERANCE);
        // With tiny eps the scored units are (almost surely) drawn again; top-k picks them for sure.
        Selection s3 = map.nextSelection(0.5, true, 1e-9, rnd);
        assertArrayEquals(s2.kept("fc1"), s3.kept("fc1"));
        map.observe(1.4);
        Selection s4 = map.nextSelection(0.5, false, 1e-9, new SplittableRandom(99));
        assertArrayEquals(s2.kept("fc1"), s4.kept("fc1"));
        assertEquals(5, map.observations());
    }

    @Test
    void weightedSamplingFollowsTheScores() {
        double[] scores = {0, 0, 3, 0, 1, 0};
        int[] counts = new int[6];
        SplittableRandom r = new SplittableRandom(4);
        int trials = 20_000;
        for (int t = 0; t < trials; t++) {
            for (int u : Sampling.weighted(scores, 0.1, 1, r)) {
                counts[u]++;
            }
        }
        // k=1: P(i) = w_i / sum w, w = score + eps
        double total = 4 + 0.6;
        for (int u = 0; u < 6; u++) {
            double p = (scores[u] + 0.1) / total;
            assertEquals(p, counts[u] / (double) trials, 0.015, "unit " + u);
        }
    }
}
