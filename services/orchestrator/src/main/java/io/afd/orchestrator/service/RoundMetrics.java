package io.afd.orchestrator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The round's meters, for dashboards and alerts ({@code deploy/observability}):
 *
 * <ul>
 *   <li>{@code afd_orchestrator_round_duration_seconds{outcome}}: open to scored (completed) or to failed, a
 *       histogram;
 *   <li>{@code afd_orchestrator_round_phase_seconds{phase}}: send_tasks (opened to tasks sent), collect (to
 *       closing), close (to aggregated), score (to scored), a histogram (measured by this process: a phase that
 *       spans a restart is not counted);
 *   <li>{@code afd_orchestrator_bytes_total{direction, codec}}: task bytes down and update bytes up;
 *   <li>{@code afd_orchestrator_round_updates_total{outcome}}: updates accepted and rejected per closed round;
 *   <li>{@code afd_orchestrator_rounds_total{outcome}} and the gauge {@code afd_orchestrator_experiments_running}.
 * </ul>
 */
@ApplicationScoped
public class RoundMetrics {
    private static final RoundMetrics NONE = new RoundMetrics();

    private final MeterRegistry registry;
    private final Map<String, Instant> lastTransition = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    /** No meters (unit tests that build the driver by hand). */
    RoundMetrics() {
        this.registry = null;
    }

    @Inject
    public RoundMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("afd.orchestrator.experiments.running", running, AtomicInteger::get)
                .description("experiments the round driver is advancing")
                .register(registry);
    }

    static RoundMetrics none() {
        return NONE;
    }

    void running(int n) {
        running.set(n);
    }

    void opened(String experiment, int round) {
        lastTransition.put(experiment + "/" + round, Instant.now());
    }

    /** The phase that ends now, timed from the round's previous transition. */
    void phaseEnded(String experiment, int round, String phase) {
        if (registry == null) {
            return;
        }
        Instant now = Instant.now();
        Instant since = lastTransition.put(experiment + "/" + round, now);
        if (since != null) {
            timer("afd.orchestrator.round.phase", "phase", phase).record(Duration.between(since, now));
        }
    }

    void roundEnded(String experiment, int round, String outcome, OffsetDateTime startedAt) {
        lastTransition.remove(experiment + "/" + round);
        if (registry == null) {
            return;
        }
        Counter.builder("afd.orchestrator.rounds")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        if (startedAt != null) {
            timer("afd.orchestrator.round.duration", "outcome", outcome)
                    .record(Duration.between(startedAt, OffsetDateTime.now()));
        }
    }

    void bytes(String direction, String codec, long n) {
        if (registry != null && n > 0) {
            Counter.builder("afd.orchestrator.bytes")
                    .baseUnit("bytes")
                    .tag("direction", direction)
                    .tag("codec", codec)
                    .register(registry)
                    .increment(n);
        }
    }

    void updates(String outcome, long n) {
        if (registry != null && n > 0) {
            Counter.builder("afd.orchestrator.round.updates")
                    .tag("outcome", outcome)
                    .register(registry)
                    .increment(n);
        }
    }

    private Timer timer(String name, String tag, String value) {
        return Timer.builder(name)
                .tag(tag, value)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
    }
}
