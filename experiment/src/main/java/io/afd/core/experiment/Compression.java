package io.afd.core.experiment;

import java.util.Locale;
import java.util.Map;

/**
 * The compression axis of a matrix. Each value fixes the experiment keys {@code dgc.enabled} and
 * {@code downlink}; every other DGC setting (momentum, warm-up, final sparsity, ...) comes from the
 * matrix's base config, whose defaults are the DGC paper's (warm-up 75 % → 93.75 % → 98.4 % → 99.6 %,
 * then 99.9 %).
 */
public enum Compression {
    /** No compression: dense momentum SGD (momentum reset each round), float32 both ways. */
    NONE("none", false, "float32"),
    /** Deep Gradient Compression on the uplink, float32 downlink. */
    DGC("dgc", true, "float32"),
    /** DGC on the uplink plus 8-bit stochastic quantization of the downlink. */
    DGC_Q8("dgc+q8", true, "q8");

    private final String label;
    private final boolean dgc;
    private final String downlink;

    Compression(String label, boolean dgc, String downlink) {
        this.label = label;
        this.dgc = dgc;
        this.downlink = downlink;
    }

    public String label() {
        return label;
    }

    public boolean dgc() {
        return dgc;
    }

    public String downlink() {
        return downlink;
    }

    /** Parses {@code none}, {@code dgc}, {@code dgc+q8}. */
    public static Compression parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c.label.equals(k)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + s + "' (none, dgc, dgc+q8)");
    }

    /** Sets this value's keys in an experiment map (mutates {@code cell}). */
    @SuppressWarnings("unchecked")
    void apply(Map<String, Object> cell) {
        Object d = cell.get("dgc");
        Map<String, Object> dgcMap = d instanceof Map<?, ?> ? (Map<String, Object>) d : new java.util.LinkedHashMap<>();
        dgcMap.put("enabled", dgc);
        cell.put("dgc", dgcMap);
        cell.put("downlink", downlink);
    }
}
