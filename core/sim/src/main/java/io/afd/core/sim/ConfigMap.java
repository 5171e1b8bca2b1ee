package io.afd.core.sim;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict reader over a YAML/JSON mapping: every read names its path, unknown keys are reported,
 * wrong types give an error that says where and what was expected.
 */
public final class ConfigMap {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();

    @SuppressWarnings("unchecked")
    public ConfigMap(String path, Object value) {
        this.path = path;
        if (value == null) {
            this.values = new LinkedHashMap<>();
        } else if (value instanceof Map<?, ?> m) {
            this.values = new LinkedHashMap<>();
            m.forEach((k, v) -> values.put(String.valueOf(k), v));
        } else {
            throw new IllegalArgumentException(path + ": expected a mapping, got " + value);
        }
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public ConfigMap child(String key) {
        read.add(key);
        return new ConfigMap(at(key), values.get(key));
    }

    public String string(String key, String dflt) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new IllegalArgumentException(at(key) + " is required");
            }
            return dflt;
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(at(key) + ": expected a value, got " + v);
        }
        return String.valueOf(v);
    }

    public double number(String key, double dflt) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at(key) + ": expected a number, got '" + v + "'");
        }
    }

    public int integer(String key, int dflt) {
        double d = number(key, dflt);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(at(key) + ": expected an integer, got " + values.get(key));
        }
        return (int) d;
    }

    public boolean bool(String key, boolean dflt) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(at(key) + ": expected true or false, got '" + v + "'");
    }

    public double[] numbers(String key, double[] dflt) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(at(key) + ": expected a list of numbers, got " + v);
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = l.get(i);
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException(at(key) + "[" + i + "]: expected a number, got " + o);
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** Throws if the mapping has keys nobody read (typos). */
    public void rejectUnknown() {
        for (String k : values.keySet()) {
            if (!read.contains(k)) {
                throw new IllegalArgumentException("unknown setting " + at(k) + " (known here: " + read + ")");
            }
        }
    }
}
