package io.afd.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixSpecTest {

    static final String BASE = """
            base:
              dataset: {kind: synthetic, clients: 4, maxSamplesPerClient: 40}
              model: mlp(in=60,hidden=16,classes=10)
              rounds: 3
              clientsPerRound: 2
              train: {epochs: 1, batchSize: 10, learningRate: 0.05}
              dgc: {momentum: 0.5, denseBelow: 100}
            """;

    private static MatrixSpec parse(String yaml) {
        return MatrixSpec.parse(yaml, "m.yaml", "m");
    }

    private static String error(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void expandsEveryAxisWithStableNamesAndOverrides() {
        MatrixSpec m = parse(BASE + """
                datasets:
                  - {name: small}
                  - {name: wide, model: "mlp(in=60,hidden=32x8,classes=10)", train: {epochs: 2}}
                policies: [fedavg, afd-single]
                compression: [none, dgc, dgc+q8]
                seeds: [1, 2]
                dropoutRates: [0.25, 0.5]
                """);
        // fedavg: 2 settings x 3 compressions x 2 seeds; afd-single: also x 2 rates
        assertEquals(12 + 24, m.cells().size());
        assertEquals("small-fedavg-none-d0-s1", m.cells().get(0).name());
        assertEquals("small-fedavg-dgc+q8-d0-s1", m.cells().get(2).name());
        assertEquals("small-afd-single-none-d0.25-s1", m.cells().get(3).name());
        assertEquals("small-afd-single-dgc-d0.5-s1", m.cells().get(7).name());
        // seeds are the outermost loop: the first half is seed 1
        assertTrue(m.cells().subList(0, 18).stream().allMatch(c -> c.seed() == 1));
        assertEquals(36, m.cells().stream().map(Cell::name).distinct().count());

        Cell wide = m.cells().stream()
                .filter(c -> c.name().equals("wide-afd-single-dgc+q8-d0.5-s2"))
                .findFirst()
                .orElseThrow();
        assertEquals("mlp(in=60,hidden=32x8,classes=10)", wide.config().model().toString());
        assertEquals(2, wide.config().train().epochs());
        assertEquals(10, wide.config().train().batchSize(), "deep merge keeps the base's other train keys");
        assertEquals("afd-single", wide.config().strategy().policy());
        assertEquals(0.5, wide.config().strategy().dropoutRate());
        assertTrue(wide.config().dgcEnabled());
        assertEquals(0.999, wide.config().dgc().finalSparsity());
        assertEquals(0.5, wide.config().dgc().momentum());
        assertEquals("q8", wide.config().downlink().toString());
        assertEquals(2, wide.config().seed());
        assertEquals("wide-afd-single-dgc+q8-d0.5-s2", wide.config().name());

        Cell plain = m.cells().get(0);
        assertFalse(plain.config().dgcEnabled());
        assertFalse(plain.config().dgc().compresses());
        assertEquals("float32", plain.config().downlink().toString());
        assertEquals("mlp(in=60,hidden=16,classes=10)", plain.config().model().toString());
        assertEquals("fedavg", plain.config().strategy().policy());
    }

    @Test
    void defaultsAreOneSettingAllPoliciesNoCompressionSeedOne() {
        MatrixSpec m = parse(BASE);
        assertEquals(4, m.cells().size());
        assertEquals(
                List.of(
                        "synthetic-fedavg-none-d0-s1",
                        "synthetic-random-fd-none-d0.25-s1",
                        "synthetic-afd-single-none-d0.25-s1",
                        "synthetic-afd-multi-none-d0.25-s1"),
                m.cells().stream().map(Cell::name).toList());
        assertEquals(BandwidthProfile.DEFAULTS, m.profiles());
        assertEquals(TimeModel.ComputeMode.REFERENCE, m.computeMode());
        assertEquals(0.95, m.report().targetFraction());
    }

    @Test
    void badAxisValuesAreNamedWithFileAndKey() {
        String msg = error(BASE + "compression: [none, zip]\n");
        assertTrue(msg.startsWith("m.yaml: compression[1]"), msg);
        assertTrue(msg.contains("'zip'"), msg);

        msg = error(BASE + "policies: [fedavg, afd]\n");
        assertTrue(msg.contains("m.yaml: policies[1]") && msg.contains("unknown policy 'afd'"), msg);

        msg = error(BASE + "seeds: [1, two]\n");
        assertTrue(msg.contains("m.yaml: seeds[1]") && msg.contains("two"), msg);

        msg = error(BASE + "dropoutRates: [0.25, 1.5]\n");
        assertTrue(msg.contains("m.yaml: dropoutRates[1]"), msg);

        msg = error(BASE + "policies: [fedavg, fedavg]\n");
        assertTrue(msg.contains("policies[1]") && msg.contains("duplicate"), msg);

        msg = error(BASE + "polices: [fedavg]\n");
        assertTrue(msg.contains("m.yaml: polices: unknown key"), msg);

        msg = error(BASE + "timeModel: {profiles: [{name: x, downMbps: 1}]}\n");
        assertTrue(msg.contains("m.yaml: timeModel.profiles[0].upMbps: is required"), msg);
    }

    @Test
    void badExperimentKeysAndAxisKeysInTheBaseAreNamed() {
        String msg = error(BASE.replace("epochs: 1", "epochz: 1"));
        assertTrue(msg.startsWith("m.yaml: base") && msg.contains("train.epochz"), msg);

        msg = error(BASE.replace("rounds: 3", "rounds: 3\n  downlink: q8"));
        assertTrue(msg.contains("m.yaml: base.downlink") && msg.contains("compression axis"), msg);

        msg = error(BASE.replace("momentum: 0.5", "momentum: 0.5, enabled: true"));
        assertTrue(msg.contains("m.yaml: base.dgc.enabled"), msg);

        msg = error(BASE + "datasets:\n  - {name: a, seed: 3}\n");
        assertTrue(msg.contains("m.yaml: datasets[0].seed"), msg);

        msg = error(BASE + "datasets:\n  - {name: a, model: \"mlp(in=60,hidden=0,classes=10)\"}\n");
        assertTrue(msg.contains("m.yaml: base + datasets entry 'a'"), msg);

        msg = error(BASE + "datasets:\n  - {name: a}\n  - {name: a}\n");
        assertTrue(msg.contains("datasets[1].name") && msg.contains("duplicate"), msg);

        msg = error("base: [1, 2]\n");
        assertTrue(msg.contains("m.yaml: base: expected a mapping"), msg);
    }

    /** Every matrix shipped in examples/ parses, with the cell count its header and docs/results.md state. */
    @Test
    void shippedMatricesParse() throws java.io.IOException {
        java.util.Map<String, Integer> expected = java.util.Map.of(
                "matrix-full.yaml",
                72,
                "matrix-quick.yaml",
                8,
                "matrix-ablation.yaml",
                24,
                "matrix-ablation-dgc.yaml",
                40,
                "matrix-ablation-rate.yaml",
                20,
                "matrix-confirm.yaml",
                20);
        java.nio.file.Path dir = java.nio.file.Path.of("..", "examples");
        for (var e : expected.entrySet()) {
            java.nio.file.Path f = dir.resolve(e.getKey());
            MatrixSpec m = MatrixSpec.parse(
                    java.nio.file.Files.readString(f), f.toString(), e.getKey().replace(".yaml", ""));
            assertEquals(e.getValue(), m.cells().size(), f.toString());
        }
        try (var files = java.nio.file.Files.list(dir)) {
            List<String> shipped = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("matrix-") && n.endsWith(".yaml"))
                    .sorted()
                    .toList();
            assertEquals(expected.keySet().stream().sorted().toList(), shipped, "a new matrix needs a line here");
        }
    }
}
