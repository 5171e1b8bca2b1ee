package io.afd.core.experiment;

import io.afd.core.sim.ExperimentConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a matrix: a setting (dataset + model), a policy, a compression, a dropout rate and a seed.
 *
 * @param name        stable name {@code <setting>-<policy>-<compression>-d<rate>-s<seed>}, also the
 *                    name of its output directory
 * @param setting     the setting's name
 * @param policy      dropout policy
 * @param compression compression setting
 * @param dropoutRate dropout rate (0 for FedAvg)
 * @param seed        master seed of the run
 * @param experiment  the experiment as a YAML-shaped map (base + setting overrides + axes)
 * @param config      the parsed experiment
 */
public record Cell(
        String name,
        String setting,
        String policy,
        Compression compression,
        double dropoutRate,
        long seed,
        Map<String, Object> experiment,
        ExperimentConfig config) {

    /** The series this cell belongs to (all seeds of one setting/policy/compression/rate). */
    public SeriesKey series() {
        return new SeriesKey(setting, policy, compression.label(), dropoutRate);
    }

    /** The axis values, for {@code matrix.json}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("setting", setting);
        m.put("policy", policy);
        m.put("compression", compression.label());
        m.put("dropoutRate", dropoutRate);
        m.put("seed", seed);
        return m;
    }

    /**
     * A line in a figure: one setting, policy, compression and rate, over all seeds.
     *
     * @param setting     setting name
     * @param policy      policy label
     * @param compression compression label
     * @param dropoutRate dropout rate (0 for FedAvg)
     */
    public record SeriesKey(String setting, String policy, String compression, double dropoutRate) {
        /** E.g. {@code afd-single + dgc} (with {@code @0.5} when the rate is not the only one). */
        public String label(boolean withRate) {
            String s = policy + " + " + compression;
            return withRate && dropoutRate > 0 ? s + " @" + MatrixSpec.rate(dropoutRate) : s;
        }
    }
}
