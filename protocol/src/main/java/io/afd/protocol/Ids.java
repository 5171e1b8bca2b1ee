package io.afd.protocol;

import java.util.regex.Pattern;

/**
 * The one id rule of the suite (docs/protocol.md §1): experiment ids and client ids are 1 to 128 characters of
 * {@code [A-Za-z0-9._-]}, starting with a letter or digit. Such ids are also valid in Kafka topic names and
 * can never be the services' key id {@code @server}. The message records, the envelope codec and every
 * service (ids in request bodies and in REST paths) check ids with this class.
 */
public final class Ids {
    /** Longest id, in characters. */
    public static final int MAX_LENGTH = 128;
    /** The rule as a regular expression. */
    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}";
    /** The rule, compiled. */
    public static final Pattern PATTERN = Pattern.compile(REGEX);

    private Ids() {}

    /** Whether {@code id} is a valid id ({@code false} for null). */
    public static boolean matches(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /**
     * Returns {@code id} when it is valid.
     *
     * @param what what the id names in the message, e.g. {@code "experiment id"}
     * @throws IllegalArgumentException {@code "<what> must match <REGEX>, got '<id>'"}
     */
    public static String require(String id, String what) {
        if (!matches(id)) {
            throw new IllegalArgumentException(
                    what + " must match " + REGEX + ", got " + (id == null ? "null" : Check.quote(id)));
        }
        return id;
    }
}
