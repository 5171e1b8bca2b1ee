package io.afd.core.submodel;

import io.afd.core.model.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which units of each droppable layer a sub-model keeps: per layer, the sorted, distinct global
 * unit indices. Its {@link #id()} is a content hash, stable across processes, so a selection can
 * be persisted, sent, and used to map an update back to global coordinates.
 */
public final class Selection {
    private final LinkedHashMap<String, int[]> kept;
    private final String id;

    public Selection(Map<String, int[]> kept) {
        this.kept = new LinkedHashMap<>();
        kept.forEach((layer, idx) -> {
            int[] c = idx.clone();
            for (int i = 0; i < c.length; i++) {
                if (c[i] < 0 || (i > 0 && c[i] <= c[i - 1])) {
                    throw new IllegalArgumentException("selection for " + layer
                            + " must be sorted distinct non-negative unit indices: " + Arrays.toString(idx));
                }
            }
            if (c.length == 0) {
                throw new IllegalArgumentException("selection for " + layer + " keeps no unit");
            }
            this.kept.put(layer, c);
        });
        this.id = computeId();
    }

    /** Keeps every unit: the FedAvg "sub-model" is the whole model. */
    public static Selection full(ModelSpec spec) {
        LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
        for (String layer : spec.droppableLayers()) {
            int[] all = new int[spec.units(layer)];
            Arrays.setAll(all, i -> i);
            m.put(layer, all);
        }
        return new Selection(m);
    }

    /** Units kept for a layer of {@code n} units at dropout rate {@code d}: max(1, round((1-d)n)). */
    public static int keepCount(int n, double dropoutRate) {
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0,1), got " + dropoutRate);
        }
        return (int) Math.max(1, Math.round((1 - dropoutRate) * n));
    }

    /** Kept unit indices of a layer (a copy). */
    public int[] kept(String layer) {
        int[] k = kept.get(layer);
        if (k == null) {
            throw new IllegalArgumentException("selection has no layer " + layer + " (has " + kept.keySet() + ")");
        }
        return k.clone();
    }

    public Map<String, int[]> asMap() {
        LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
        kept.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    public Iterable<String> layers() {
        return kept.keySet();
    }

    /** Throws unless this selection fits the spec: same layers, indices within each layer's width. */
    public void validate(ModelSpec spec) {
        if (!kept.keySet().equals(new java.util.LinkedHashSet<>(spec.droppableLayers()))) {
            throw new IllegalArgumentException(
                    "selection layers " + kept.keySet() + " do not match model layers " + spec.droppableLayers());
        }
        kept.forEach((layer, idx) -> {
            int n = spec.units(layer);
            if (idx[idx.length - 1] >= n) {
                throw new IllegalArgumentException(
                        "selection for " + layer + " names unit " + idx[idx.length - 1] + " but the layer has " + n);
            }
        });
    }

    /** Widths of the sub-model this selection makes. */
    public Map<String, Integer> widths() {
        LinkedHashMap<String, Integer> w = new LinkedHashMap<>();
        kept.forEach((k, v) -> w.put(k, v.length));
        return w;
    }

    /** Stable content id: the first 16 hex digits of SHA-256 over the canonical text form. */
    public String id() {
        return id;
    }

    private String computeId() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Canonical text form {@code layer:i,j,k;layer2:...}; parsed back by {@link #parse(String)}. */
    public String canonical() {
        return kept.entrySet().stream()
                .map(e -> e.getKey() + ":"
                        + Arrays.stream(e.getValue())
                                .mapToObj(Integer::toString)
                                .collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }

    public static Selection parse(String canonical) {
        LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
        if (!canonical.isBlank()) {
            for (String part : canonical.split(";")) {
                String[] kv = part.split(":", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("bad selection entry '" + part + "'");
                }
                m.put(
                        kv[0],
                        Arrays.stream(kv[1].split(","))
                                .mapToInt(Integer::parseInt)
                                .toArray());
            }
        }
        return new Selection(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && s.canonical().equals(canonical());
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Selection[").append(id);
        kept.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v.length));
        return sb.append(']').toString();
    }
}
