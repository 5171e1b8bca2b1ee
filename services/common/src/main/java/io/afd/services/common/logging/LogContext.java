package io.afd.services.common.logging;

import org.jboss.logging.MDC;

/**
 * The experiment, round and client a piece of work is about, as MDC fields of every log line written meanwhile
 * ({@code experiment}, {@code round}, {@code client}: fields of the JSON logs, AFD_LOG_JSON=true). Use with
 * try-with-resources; a null value sets nothing.
 */
public final class LogContext implements AutoCloseable {
    public static final String EXPERIMENT = "experiment";
    public static final String ROUND = "round";
    public static final String CLIENT = "client";

    private final Object[] previous = new Object[3];

    private LogContext(String experiment, Integer round, String client) {
        previous[0] = set(EXPERIMENT, experiment);
        previous[1] = set(ROUND, round == null ? null : round.toString());
        previous[2] = set(CLIENT, client);
    }

    /** Sets the fields until {@link #close()}, which restores what was there before. */
    public static LogContext of(String experiment, Integer round, String client) {
        return new LogContext(experiment, round, client);
    }

    private static Object set(String key, String value) {
        Object before = MDC.get(key);
        if (value != null) {
            MDC.put(key, value);
        }
        return before;
    }

    @Override
    public void close() {
        restore(EXPERIMENT, previous[0]);
        restore(ROUND, previous[1]);
        restore(CLIENT, previous[2]);
    }

    private static void restore(String key, Object before) {
        if (before == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, before);
        }
    }
}
