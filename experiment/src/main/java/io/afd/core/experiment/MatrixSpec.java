package io.afd.core.experiment;

import io.afd.core.round.Policies;
import io.afd.core.sim.ExperimentConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An experiment matrix read from YAML ({@code examples/matrix-*.yaml}):
 * <pre>
 * name: quick                        # optional, default: the file name
 * description: free text             # optional, shown in the report
 * base:                              # an experiment config (same keys as ExperimentConfig) without
 *   dataset: {kind: synthetic, ...}  #   name, seed, downlink, dgc.enabled, strategy.policy
 *   model: mlp(in=60,hidden=200x200,classes=10)
 *   rounds: 15
 * datasets:                          # optional: named settings, each deep-merged over base
 *   - {name: fmnist-shards, dataset: {...}, model: cnn(...)}
 * policies: [fedavg, random-fd, afd-single, afd-multi]   # default: all four
 * compression: [none, dgc, dgc+q8]                       # default: [none]
 * seeds: [1, 2, 3]                                       # default: [1]
 * dropoutRates: [0.25]                                   # default: base strategy.dropoutRate or 0.25
 * timeModel:                                             # optional (see TimeModel)
 *   compute: reference                                   # or measured
 *   profiles: [{name: slow-mobile, downMbps: 1, upMbps: 0.25, latencyMs: 100, computeScale: 1}, ...]
 * report: {targetFraction: 0.95}     # target = 0.95 x FedAvg-uncompressed final mean accuracy
 * </pre>
 * Expansion: for every seed, setting, rate, policy and compression one {@link Cell} named
 * {@code <setting>-<policy>-<compression>-d<rate>-s<seed>}; FedAvg ignores the rate and appears once
 * per setting, compression and seed, as {@code d0}. Without {@code datasets} the single setting is
 * named after {@code base.dataset.kind}. Every cell's experiment is parsed with
 * {@link ExperimentConfig#parse(String, String)}, so a bad key fails at load time, before anything runs.
 * Errors name the file and the key.
 */
public final class MatrixSpec {

    /** The targets and how the report's time-to-target reference is set. */
    public record ReportSettings(
            double targetFraction,
            double targetAccuracy,
            double speedupTarget,
            double accuracyTolerance,
            double uploadCompressionTarget) {
        public static final ReportSettings DEFAULTS = new ReportSettings(0.95, Double.NaN, 57, 0.005, 270);
    }

    /** A named dataset/model setting: keys deep-merged over the base. */
    public record Setting(String name, Map<String, Object> overrides) {}

    private static final Set<String> AXIS_KEYS = Set.of("name", "seed", "downlink");

    private final String source;
    private final String sourceText;
    private final String name;
    private final String description;
    private final Map<String, Object> base;
    private final List<Setting> settings;
    private final List<String> policies;
    private final List<Compression> compressions;
    private final List<Long> seeds;
    private final List<Double> dropoutRates;
    private final TimeModel.ComputeMode computeMode;
    private final List<BandwidthProfile> profiles;
    private final ReportSettings report;
    private final List<Cell> cells;

    private MatrixSpec(String source, String sourceText, Map<String, Object> doc, String defaultName) {
        this.source = source;
        this.sourceText = sourceText;
        Node root = new Node(source, "", doc);
        this.name = root.string("name", defaultName);
        this.description = root.string("description", "");
        Node baseNode = root.map("base");
        this.base = baseNode.values;
        boolean rateAxis = root.has("dropoutRates");
        rejectAxisKeys(baseNode, rateAxis);

        List<Setting> ss = new ArrayList<>();
        if (root.has("datasets")) {
            List<Node> items = root.list("datasets");
            if (items.isEmpty()) {
                throw root.error("datasets", "needs at least one entry (or leave it out)");
            }
            Set<String> names = new LinkedHashSet<>();
            for (Node item : items) {
                Node m = item.asMap();
                String n = m.string("name", null);
                checkName(m, "name", n);
                if (!names.add(n)) {
                    throw m.error("name", "duplicate setting name '" + n + "'");
                }
                Map<String, Object> over = new LinkedHashMap<>(m.values);
                over.remove("name");
                Node overNode = new Node(source, m.path, over);
                rejectAxisKeys(overNode, rateAxis);
                ss.add(new Setting(n, over));
            }
        } else {
            Object ds = base.get("dataset");
            String kind =
                    ds instanceof Map<?, ?> dm && dm.get("kind") != null ? String.valueOf(dm.get("kind")) : "main";
            ss.add(new Setting(kind.replaceAll("[^A-Za-z0-9._-]", "-"), Map.of()));
        }
        this.settings = List.copyOf(ss);

        List<String> ps = new ArrayList<>();
        if (root.has("policies")) {
            for (Node item : root.nonEmptyList("policies")) {
                String p;
                try {
                    p = Policies.canonical(item.scalar());
                } catch (IllegalArgumentException e) {
                    throw item.error(e.getMessage());
                }
                if (ps.contains(p)) {
                    throw item.error("duplicate policy " + p);
                }
                ps.add(p);
            }
        } else {
            ps.addAll(Policies.BUILT_IN);
        }
        this.policies = List.copyOf(ps);

        List<Compression> cs = new ArrayList<>();
        if (root.has("compression")) {
            for (Node item : root.nonEmptyList("compression")) {
                Compression c;
                try {
                    c = Compression.parse(item.scalar());
                } catch (IllegalArgumentException e) {
                    throw item.error(e.getMessage());
                }
                if (cs.contains(c)) {
                    throw item.error("duplicate compression " + c.label());
                }
                cs.add(c);
            }
        } else {
            cs.add(Compression.NONE);
        }
        this.compressions = List.copyOf(cs);

        List<Long> sd = new ArrayList<>();
        if (root.has("seeds")) {
            for (Node item : root.nonEmptyList("seeds")) {
                long s = item.integer();
                if (sd.contains(s)) {
                    throw item.error("duplicate seed " + s);
                }
                sd.add(s);
            }
        } else {
            sd.add(1L);
        }
        this.seeds = List.copyOf(sd);

        List<Double> rs = new ArrayList<>();
        if (rateAxis) {
            for (Node item : root.nonEmptyList("dropoutRates")) {
                double r = item.number();
                if (!(r > 0 && r < 1)) {
                    throw item.error("dropout rate must be in (0,1), got " + r);
                }
                if (rs.contains(r)) {
                    throw item.error("duplicate dropout rate " + r);
                }
                rs.add(r);
            }
        } else {
            Object st = base.get("strategy");
            Object r = st instanceof Map<?, ?> sm ? sm.get("dropoutRate") : null;
            rs.add(r instanceof Number n ? n.doubleValue() : 0.25);
        }
        this.dropoutRates = List.copyOf(rs);

        Node tm = root.map("timeModel");
        this.computeMode = parseWith(tm, "compute", TimeModel.ComputeMode::parse, "reference");
        List<BandwidthProfile> prof = new ArrayList<>();
        if (tm.has("profiles")) {
            Set<String> pn = new LinkedHashSet<>();
            for (Node item : tm.nonEmptyList("profiles")) {
                Node p = item.asMap();
                BandwidthProfile bp;
                try {
                    bp = new BandwidthProfile(
                            p.string("name", null),
                            p.requiredNumber("downMbps"),
                            p.requiredNumber("upMbps"),
                            p.number("latencyMs", 0),
                            p.number("computeScale", 1));
                } catch (IllegalArgumentException e) {
                    throw p.error(e.getMessage());
                }
                p.rejectUnknown();
                if (!pn.add(bp.name())) {
                    throw p.error("name", "duplicate profile '" + bp.name() + "'");
                }
                prof.add(bp);
            }
        } else {
            prof.addAll(BandwidthProfile.DEFAULTS);
        }
        tm.rejectUnknown();
        this.profiles = List.copyOf(prof);

        Node rep = root.map("report");
        ReportSettings d = ReportSettings.DEFAULTS;
        double tf = rep.number("targetFraction", d.targetFraction());
        if (!(tf > 0 && tf <= 1)) {
            throw rep.error("targetFraction", "must be in (0,1], got " + tf);
        }
        double ta = rep.number("targetAccuracy", Double.NaN);
        if (!Double.isNaN(ta) && !(ta > 0 && ta <= 1)) {
            throw rep.error("targetAccuracy", "must be in (0,1], got " + ta);
        }
        this.report = new ReportSettings(
                tf,
                ta,
                rep.number("speedupTarget", d.speedupTarget()),
                rep.number("accuracyTolerance", d.accuracyTolerance()),
                rep.number("uploadCompressionTarget", d.uploadCompressionTarget()));
        rep.rejectUnknown();
        root.rejectUnknown();
        this.cells = expand();
    }

    /** Reads a matrix file; errors name the file and the key. */
    public static MatrixSpec load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return parse(text, file.toString(), file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    }

    /**
     * Parses a matrix.
     *
     * @param yaml        the matrix YAML
     * @param source      what to call it in error messages (the file name)
     * @param defaultName matrix name when the YAML has no {@code name}
     */
    public static MatrixSpec parse(String yaml, String source, String defaultName) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(source + ": expected a mapping with 'base' and axes, got "
                    + (doc == null ? "an empty file" : doc.getClass().getSimpleName()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) deepCopy(doc);
        return new MatrixSpec(source, yaml, m, defaultName);
    }

    private List<Cell> expand() {
        List<Cell> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (long seed : seeds) {
            for (Setting s : settings) {
                for (int ri = 0; ri < dropoutRates.size(); ri++) {
                    for (String p : policies) {
                        if (!Policies.dropsUnits(p) && ri > 0) {
                            continue; // FedAvg has no rate: once per setting, compression and seed
                        }
                        double rate = Policies.dropsUnits(p) ? dropoutRates.get(ri) : 0;
                        for (Compression c : compressions) {
                            String n = cellName(s.name(), p, c, rate, seed);
                            if (!names.add(n)) {
                                throw new IllegalArgumentException(source + ": two cells named " + n);
                            }
                            out.add(cell(n, s, p, c, rate, seed));
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private Cell cell(String cellName, Setting s, String p, Compression c, double rate, long seed) {
        Map<String, Object> m = (Map<String, Object>) deepCopy(base);
        merge(m, s.overrides());
        m.put("name", cellName);
        m.put("seed", seed);
        Map<String, Object> strategy =
                m.get("strategy") instanceof Map<?, ?> st ? (Map<String, Object>) st : new LinkedHashMap<>();
        strategy.put("policy", p);
        strategy.put("dropoutRate", rate);
        m.put("strategy", strategy);
        c.apply(m);
        String yaml = dump(m);
        ExperimentConfig cfg;
        try {
            cfg = ExperimentConfig.parse(yaml, cellName);
        } catch (IllegalArgumentException e) {
            String where = settings.size() > 1 || !s.overrides().isEmpty()
                    ? "base + datasets entry '" + s.name() + "'"
                    : "base";
            throw new IllegalArgumentException(
                    source + ": " + where + " (cell " + cellName + "): " + e.getMessage(), e);
        }
        return new Cell(cellName, s.name(), p, c, rate, seed, m, cfg);
    }

    /** {@code <setting>-<policy>-<compression>-d<rate>-s<seed>}. */
    public static String cellName(String setting, String p, Compression c, double rate, long seed) {
        return setting + "-" + p + "-" + c.label() + "-d" + rate(rate) + "-s" + seed;
    }

    /** A rate without trailing zeros: 0.25, 0.5, 0. */
    static String rate(double r) {
        return new BigDecimal(Double.toString(r)).stripTrailingZeros().toPlainString();
    }

    /** YAML text of an experiment map. */
    public static String dump(Map<String, Object> m) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(m);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> over) {
        over.forEach((k, v) -> {
            Object old = into.get(k);
            if (old instanceof Map<?, ?> om && v instanceof Map<?, ?> vm) {
                merge((Map<String, Object>) om, (Map<String, Object>) vm);
            } else {
                into.put(k, deepCopy(v));
            }
        });
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(String.valueOf(k), deepCopy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(deepCopy(v)));
            return c;
        }
        return o;
    }

    private static void rejectAxisKeys(Node n, boolean rateAxis) {
        for (String k : AXIS_KEYS) {
            if (n.values.containsKey(k)) {
                throw n.error(
                        k,
                        "is set per cell by the matrix (name, seed: seeds axis; downlink: compression axis); "
                                + "remove it");
            }
        }
        if (n.values.get("dgc") instanceof Map<?, ?> g && g.containsKey("enabled")) {
            throw n.error("dgc.enabled", "is set by the compression axis (none, dgc, dgc+q8); remove it");
        }
        if (n.values.get("strategy") instanceof Map<?, ?> st) {
            if (st.containsKey("policy")) {
                throw n.error("strategy.policy", "is set by the policies axis; remove it");
            }
            if (rateAxis && st.containsKey("dropoutRate")) {
                throw n.error("strategy.dropoutRate", "is set by the dropoutRates axis; remove one of the two");
            }
        }
    }

    private static void checkName(Node n, String key, String value) {
        if (!value.matches("[A-Za-z0-9._]+(-[A-Za-z0-9._]+)*")) {
            throw n.error(key, "must be letters, digits, '.', '_' and single '-', got '" + value + "'");
        }
    }

    private static <T> T parseWith(Node n, String key, java.util.function.Function<String, T> f, String dflt) {
        String s = n.string(key, dflt);
        try {
            return f.apply(s);
        } catch (IllegalArgumentException e) {
            throw n.error(key, e.getMessage());
        }
    }

    public String source() {
        return source;
    }

    public String sourceText() {
        return sourceText;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<Setting> settings() {
        return settings;
    }

    public List<String> policies() {
        return policies;
    }

    public List<Compression> compressions() {
        return compressions;
    }

    public List<Long> seeds() {
        return seeds;
    }

    public List<Double> dropoutRates() {
        return dropoutRates;
    }

    public TimeModel.ComputeMode computeMode() {
        return computeMode;
    }

    public List<BandwidthProfile> profiles() {
        return profiles;
    }

    public ReportSettings report() {
        return report;
    }

    /** The expanded cells in run order: seed, setting, rate, policy, compression. */
    public List<Cell> cells() {
        return cells;
    }

    /** Strict view of a YAML mapping or value that knows its path, for error messages. */
    private static final class Node {
        final String source;
        final String path;
        final Object value;
        final Map<String, Object> values;
        final Set<String> read = new LinkedHashSet<>();

        @SuppressWarnings("unchecked")
        Node(String source, String path, Object value) {
            this.source = source;
            this.path = path;
            this.value = value;
            this.values = value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        IllegalArgumentException error(String key, String msg) {
            return new IllegalArgumentException(source + ": " + at(key) + ": " + msg);
        }

        IllegalArgumentException error(String msg) {
            return new IllegalArgumentException(source + ": " + (path.isEmpty() ? "" : path + ": ") + msg);
        }

        Node asMap() {
            if (values == null) {
                throw error("expected a mapping, got " + value);
            }
            return this;
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        Object get(String key) {
            read.add(key);
            return values.get(key);
        }

        Node map(String key) {
            Object v = get(key);
            if (v == null) {
                return new Node(source, at(key), new LinkedHashMap<String, Object>());
            }
            if (!(v instanceof Map<?, ?>)) {
                throw error(key, "expected a mapping, got " + v);
            }
            return new Node(source, at(key), v);
        }

        List<Node> list(String key) {
            Object v = get(key);
            if (!(v instanceof List<?> l)) {
                throw error(key, "expected a list, e.g. [a, b], got " + v);
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(new Node(source, at(key) + "[" + i + "]", l.get(i)));
            }
            return out;
        }

        List<Node> nonEmptyList(String key) {
            List<Node> l = list(key);
            if (l.isEmpty()) {
                throw error(key, "needs at least one value");
            }
            return l;
        }

        String scalar() {
            if (value == null || value instanceof Map || value instanceof List) {
                throw error("expected a value, got " + value);
            }
            return String.valueOf(value);
        }

        double number() {
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            throw error("expected a number, got '" + value + "'");
        }

        long integer() {
            if (value instanceof Integer || value instanceof Long) {
                return ((Number) value).longValue();
            }
            throw error("expected an integer, got '" + value + "'");
        }

        String string(String key, String dflt) {
            Object v = get(key);
            if (v == null) {
                if (dflt == null) {
                    throw error(key, "is required");
                }
                return dflt;
            }
            if (v instanceof Map || v instanceof List) {
                throw error(key, "expected a value, got " + v);
            }
            return String.valueOf(v);
        }

        double number(String key, double dflt) {
            Object v = get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw error(key, "expected a number, got '" + v + "'");
        }

        double requiredNumber(String key) {
            if (values.get(key) == null) {
                throw error(key, "is required");
            }
            return number(key, Double.NaN);
        }

        void rejectUnknown() {
            for (String k : values.keySet()) {
                if (!read.contains(k)) {
                    throw error(k, "unknown key (known here: " + String.join(", ", read) + ")");
                }
            }
        }
    }
}
