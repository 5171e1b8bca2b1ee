package io.afd.core.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.scoremap.ScoreMap;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.RoundMetrics;
import io.afd.core.sim.Simulator;
import io.afd.core.submodel.Selection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-only policy ({@link StickyTestPolicy}, one file plus one registration line) through the simulator. */
class TestPolicyTest {
    @Test
    void aPolicyRegisteredOnTheClassPathRunsInTheSimulator() {
        assertTrue(
                Policies.names().contains(StickyTestPolicy.NAME),
                Policies.names().toString());
        ExperimentConfig cfg = ExperimentConfig.parse("""
                seed: 3
                dataset: {kind: synthetic, clients: 4, maxSamplesPerClient: 40}
                model: mlp(in=60,hidden=16,classes=10)
                rounds: 3
                clientsPerRound: 4
                strategy: {policy: sticky-test, dropoutRate: 0.5}
                """, "sticky");
        Map<String, Selection> first = new HashMap<>();
        int[] checked = {0};
        Simulator.Result r = new Simulator(cfg).run(new Simulator.Listener() {
            @Override
            public void onRound(RoundMetrics m, List<ScoreUpdate> updates, Map<String, ScoreMap> maps) {
                assertEquals(4, updates.size(), "one score update per client and round");
                for (ScoreUpdate u : updates) {
                    Selection s = u.observation().selection();
                    assertEquals(s, first.computeIfAbsent(u.mapKey(), k -> s), "a client keeps its sub-model");
                    checked[0]++;
                }
            }
        });
        assertEquals(12, checked[0]);
        assertEquals(4, r.scoreMaps().size());
        assertTrue(
                r.scoreMaps().keySet().stream().allMatch(k -> k.startsWith("sticky/client-")),
                r.scoreMaps().keySet().toString());
        assertEquals(8, r.scoreMaps().get("sticky/client-00000").current().kept("fc1").length);
    }
}
