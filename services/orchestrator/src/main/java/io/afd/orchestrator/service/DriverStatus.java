package io.afd.orchestrator.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the round driver is making progress: the time of its last complete tick and what went wrong
 * since. A tick is complete when it could read the running experiments and step each one (a step that
 * fails because a peer is restarting does not count against the driver: it is retried next tick). The
 * readiness check is DOWN once no tick has completed for {@code staleAfter}.
 */
public final class DriverStatus {
    private final Clock clock;
    private final Duration staleAfter;
    private final Instant started;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private volatile int consecutiveFailures;

    public DriverStatus(Clock clock, Duration staleAfter) {
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.started = clock.instant();
    }

    /** A tick completed. */
    public void succeeded() {
        lastSuccess = clock.instant();
        consecutiveFailures = 0;
    }

    /** A tick could not complete (the database is away, or something unexpected was thrown). */
    public void failed(Throwable t) {
        lastFailure = clock.instant();
        lastError = t.getClass().getSimpleName() + ": " + t.getMessage();
        consecutiveFailures++;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public String lastError() {
        return lastError;
    }

    /** True while a tick completed within {@code staleAfter} (or the driver started less than that ago). */
    public boolean progressing() {
        Instant since = lastSuccess == null ? started : lastSuccess;
        return Duration.between(since, clock.instant()).compareTo(staleAfter) <= 0;
    }

    /** What the health check reports. */
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lastSuccess", lastSuccess == null ? "never" : lastSuccess.toString());
        m.put("staleAfter", staleAfter.toString());
        m.put("consecutiveFailures", consecutiveFailures);
        if (lastError != null) {
            m.put("lastFailure", lastFailure.toString());
            m.put("lastError", lastError);
        }
        return m;
    }
}
