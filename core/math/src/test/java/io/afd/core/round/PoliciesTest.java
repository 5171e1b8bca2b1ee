package io.afd.core.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in selection policies and the registry (moved from ScoreMapTest's DropoutStrategy tests). */
class PoliciesTest {
    /** Score increments are a handful of double operations. */
    private static final double SCORE_TOLERANCE = 1e-12;

    private static final ModelSpec MLP = ModelSpec.mlp(4, 2, 6);

    private static SelectionPolicy policy(String name, double rate, long seed) {
        return Policies.create(MLP, SelectionSettings.of(name, rate), seed);
    }

    @Test
    void singleModelUsesTheSampleWeightedMeanLossAndOneSubModel() {
        SelectionPolicy st = policy("afd-single", 0.5, 7);
        Map<String, ScoreMap> maps = new LinkedHashMap<>();
        Map<String, Selection> r0 = st.configureRound(0, List.of("a", "b", "c"), maps);
        assertEquals(1, r0.values().stream().distinct().count());
        st.applyResults(
                0,
                r0,
                List.of(new ClientReport("a", 10, 2.0, Double.NaN), new ClientReport("b", 30, 1.0, Double.NaN)),
                maps);
        assertEquals(1.25, maps.get(AfdSinglePolicy.KEY).lastLoss(), SCORE_TOLERANCE);
        assertEquals(List.of(AfdSinglePolicy.KEY), st.mapKeys(List.of("a", "b")));
    }

    @Test
    void multiModelKeepsOneMapPerClientAndIsOrderIndependent() {
        SelectionPolicy a = policy("afd-multi", 0.5, 7);
        SelectionPolicy b = policy("afd-multi", 0.5, 7);
        Map<String, ScoreMap> mapsA = new LinkedHashMap<>();
        Map<String, ScoreMap> mapsB = new LinkedHashMap<>();
        List<String> clients = new ArrayList<>(List.of("c1", "c2", "c3", "c4"));
        Map<String, Selection> sa = a.configureRound(0, clients, mapsA);
        Collections.reverse(clients);
        Map<String, Selection> sb = b.configureRound(0, clients, mapsB);
        for (String c : clients) {
            assertEquals(sa.get(c), sb.get(c), c);
        }
        assertNotEquals(sa.get("c1"), sa.get("c2"));
        a.applyResults(0, sa, List.of(new ClientReport("c1", 5, 1.0, Double.NaN)), mapsA);
        assertEquals(1.0, mapsA.get("c1").lastLoss());
        assertNull(mapsA.get("c2").lastLoss());
        assertThrows(
                IllegalArgumentException.class,
                () -> a.applyResults(0, sa, List.of(new ClientReport("zz", 5, 1.0, Double.NaN)), mapsA));
        assertEquals(List.of("c1", "c2"), a.mapKeys(List.of("c1", "c2")));
    }

    @Test
    void fedAvgAndRandomFd() {
        SelectionPolicy f = policy("fedavg", 0.5, 1);
        Map<String, ScoreMap> maps = new LinkedHashMap<>();
        assertEquals(
                Selection.full(MLP), f.configureRound(0, List.of("x"), maps).get("x"));
        SelectionPolicy r = policy("random-fd", 0.5, 1);
        Selection r0 = r.configureRound(0, List.of("x"), maps).get("x");
        Selection r1 = r.configureRound(1, List.of("x"), maps).get("x");
        assertEquals(3, r0.kept("fc1").length);
        assertTrue(r.applyResults(0, Map.of("x", r0), List.of(new ClientReport("x", 1, 1, 1)), maps)
                .isEmpty());
        assertTrue(maps.isEmpty(), "neither fedavg nor random FD keeps score maps");
        // over a few rounds random FD changes sub-model
        boolean changed = !r0.equals(r1);
        for (int t = 2; t < 6 && !changed; t++) {
            changed = !r0.equals(r.configureRound(t, List.of("x"), maps).get("x"));
        }
        assertTrue(changed);
        assertEquals("afd-multi", Policies.canonical("afd-multi"));
        assertThrows(IllegalArgumentException.class, () -> Policies.canonical("nope"));
    }

    @Test
    void registryKnowsTheBuiltInsAndTheirAliases() {
        assertTrue(Policies.names().containsAll(Policies.BUILT_IN));
        assertEquals("random-fd", Policies.canonical("FD"));
        assertEquals("afd-single", Policies.canonical("afd_sm"));
        assertEquals("afd-multi", Policies.canonical(" Multi "));
        assertFalse(Policies.dropsUnits("fedavg"));
        assertTrue(Policies.dropsUnits("afd-single"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SelectionSettings.of("afd-triple", 0.5));
        assertTrue(e.getMessage().contains("fedavg, random-fd, afd-single, afd-multi"), e.getMessage());
    }

    @Test
    void aZeroDropoutRateTrainsTheWholeModelAndKeepsNoMaps() {
        for (String name : List.of("random-fd", "afd-single", "afd-multi")) {
            SelectionPolicy p = policy(name, 0, 3);
            Map<String, ScoreMap> maps = new LinkedHashMap<>();
            Map<String, Selection> s = p.configureRound(0, List.of("a", "b"), maps);
            assertEquals(Selection.full(MLP), s.get("a"), name);
            assertTrue(
                    p.applyResults(0, s, List.of(new ClientReport("a", 1, 1, 1)), maps)
                            .isEmpty(),
                    name);
            assertTrue(maps.isEmpty(), name);
            assertFalse(p.usesScoreMaps(), name);
        }
    }

    @Test
    void seedStreamsMatchTheirDocumentedDerivation() {
        // SplitMix64 of (seed, code, parts): the stream code is the first part
        assertEquals(SeedStream.DOWNLINK.derive(9, 2, 3), SeedStream.DOWNLINK.derive(9, 2, 3));
        assertNotEquals(SeedStream.DOWNLINK.derive(9, 2, 3), SeedStream.UPLINK.derive(9, 2, 3));
        assertNotEquals(SeedStream.TRAINING.derive(9, 2, 3), SeedStream.TRAINING.derive(9, 3, 2));
        assertEquals(6, SeedStream.values().length);
        for (SeedStream s : SeedStream.values()) {
            assertEquals(s.ordinal() + 1, s.code(), s + " keeps its code");
        }
    }
}
