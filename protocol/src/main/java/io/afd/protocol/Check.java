package io.afd.protocol;

import java.util.regex.Pattern;

/** Field validation for the message records; every failure is an {@link IllegalArgumentException} naming the field. */
final class Check {
    /** Largest integer every JSON parser reads exactly (IEEE double): 2^53 - 1. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    /** Client and experiment ids ({@link Ids}). */
    static final Pattern ID = Ids.PATTERN;

    static final Pattern SELECTION_ID = Pattern.compile("[0-9a-f]{16}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private Check() {}

    static void that(boolean ok, String field, String rule, Object got) {
        if (!ok) {
            throw new IllegalArgumentException(field + " " + rule + ", got " + got);
        }
    }

    static <T> T notNull(T v, String field) {
        if (v == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v;
    }

    static String id(String v, String field) {
        notNull(v, field);
        return Ids.require(v, field);
    }

    static String optionalId(String v, String field) {
        return v == null ? null : id(v, field);
    }

    static String pattern(String v, Pattern p, String field) {
        notNull(v, field);
        that(p.matcher(v).matches(), field, "must match " + p.pattern(), quote(v));
        return v;
    }

    static String maxLength(String v, int max, String field) {
        notNull(v, field);
        that(v.length() <= max, field, "must have at most " + max + " characters", v.length() + " characters");
        return v;
    }

    static long range(long v, long min, long max, String field) {
        that(v >= min && v <= max, field, "must be in [" + min + ", " + max + "]", v);
        return v;
    }

    static int range(int v, int min, int max, String field) {
        that(v >= min && v <= max, field, "must be in [" + min + ", " + max + "]", v);
        return v;
    }

    static long safeNonNegative(long v, String field) {
        return range(v, 0, MAX_SAFE_INTEGER, field);
    }

    static double finiteNonNegative(double v, String field) {
        that(Double.isFinite(v) && v >= 0, field, "must be finite and >= 0", v);
        return v;
    }

    static Double optionalFiniteNonNegative(Double v, String field) {
        if (v != null) {
            finiteNonNegative(v, field);
        }
        return v;
    }

    static String quote(String s) {
        return s.length() > 80 ? "'" + s.substring(0, 77) + "...' (" + s.length() + " chars)" : "'" + s + "'";
    }
}
