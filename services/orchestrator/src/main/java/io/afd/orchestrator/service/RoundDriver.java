package io.afd.orchestrator.service;

import io.afd.core.round.RoundLoop;
import io.afd.core.round.RoundPlanner;
import io.afd.core.round.StepOutcome;
import io.afd.core.sim.ExperimentConfig;
import io.afd.orchestrator.Experiment;
import io.afd.orchestrator.client.AggregatorClient;
import io.afd.orchestrator.client.PackagerClient;
import io.afd.orchestrator.client.ScoreMapClient;
import io.afd.orchestrator.config.OrchestratorConfig;
import io.afd.orchestrator.lease.Leadership;
import io.afd.services.common.client.RegistryClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Drives running experiments through the core {@link RoundLoop} (the simulator's), over the suite's
 * services ({@link ServicesFederation}) with progress in PostgreSQL ({@link DbJournal}). Every step
 * reads the persisted state, calls peers (each call idempotent), then persists the next state, so a
 * restarted orchestrator resumes where it stopped.
 */
@ApplicationScoped
public class RoundDriver {
    private static final Logger LOG = Logger.getLogger(RoundDriver.class);
    /** Steps one experiment may take in one tick while they make progress. */
    private static final int MAX_STEPS_PER_TICK = 16;

    private final RoundStore store;
    private final Evaluator evaluator;
    private final OrchestratorConfig config;
    private final RegistryClient registry;
    private final ScoreMapClient scoreMap;
    private final PackagerClient packager;
    private final AggregatorClient aggregator;
    private Clock clock = Clock.systemUTC();
    /** Experiments whose steps have failed since a time, with the last error. */
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    private record Failing(Instant since, int attempts, String lastError) {}

    private ScheduledExecutorService executor;
    /** Parsed configs by experiment id and YAML text: the driver steps every tick and the text never changes. */
    private final Map<String, ExperimentConfig> configs = new ConcurrentHashMap<>();

    private final DriverStatus status;
    /** What each running experiment's last tick did or waits for. */
    private final Map<String, String> steps = new ConcurrentHashMap<>();

    /** What the driver last did or waits for in a running experiment, null when it has not stepped it. */
    public String step(String id) {
        return steps.get(id);
    }

    /** Meters of the rounds; none when the driver is built by hand (unit tests). */
    @jakarta.inject.Inject
    RoundMetrics metrics = RoundMetrics.none();

    /** Whether this replica drives the rounds; always when the driver is built by hand (unit tests). */
    @jakarta.inject.Inject
    Leadership leadership = Leadership.solo();

    /** Experiments waiting for enough available clients to open their next round, since when. */
    private final Map<String, Instant> waitingForClients = new ConcurrentHashMap<>();

    public RoundDriver(
            RoundStore store,
            Evaluator evaluator,
            OrchestratorConfig config,
            @RestClient RegistryClient registry,
            @RestClient ScoreMapClient scoreMap,
            @RestClient PackagerClient packager,
            @RestClient AggregatorClient aggregator) {
        this.store = store;
        this.evaluator = evaluator;
        this.config = config;
        this.registry = registry;
        this.scoreMap = scoreMap;
        this.packager = packager;
        this.aggregator = aggregator;
        this.status = new DriverStatus(clock, config.driverStaleAfter());
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.driverEnabled()) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "round-driver"));
            long ms = config.tick().toMillis();
            executor.scheduleWithFixedDelay(this::scheduledTick, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the driver is making progress (the readiness check reads it). */
    public DriverStatus status() {
        return status;
    }

    /**
     * The scheduled tick: never throws, because a scheduled task that throws is cancelled for good and
     * every running experiment would stop silently. A tick that cannot complete (the database is away)
     * is recorded in {@link #status()} and retried on the next one.
     */
    void scheduledTick() {
        try {
            tick();
            if (status.consecutiveFailures() > 0) {
                LOG.infof("round driver: progressing again after %d failed ticks", status.consecutiveFailures());
            }
            status.succeeded();
        } catch (Throwable t) {
            status.failed(t);
            int n = status.consecutiveFailures();
            if (n == 1 || n % 100 == 0) {
                LOG.errorf(t, "round driver: tick failed (%d in a row), will retry: %s", n, t.toString());
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * Advances every running experiment: steps follow one another at once while they make
     * progress; waiting (for updates, for clients) resumes on the next tick.
     */
    public void tick() {
        if (!leadership.leads()) {
            // a standby: another replica steps the experiments; what this one saw of them is stale
            standby();
            return;
        }
        List<String> running = store.runningIds();
        metrics.running(running.size());
        failing.keySet().retainAll(running);
        steps.keySet().retainAll(running);
        waitingForClients.keySet().retainAll(running);
        for (String id : running) {
            if (!leadership.leads()) {
                standby();
                return;
            }
            try (var log = io.afd.services.common.logging.LogContext.of(id, null, null)) {
                StepOutcome o = loop(id).run(MAX_STEPS_PER_TICK);
                failing.remove(id);
                if (o.kind() == StepOutcome.Kind.WAITING_FOR_CLIENTS) {
                    waitingForClients(id, o);
                } else {
                    waitingForClients.remove(id);
                    steps.put(id, o.message());
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // Peers may be starting or restarting: log and retry on the next tick. Nothing one
                // experiment throws may stop the others; a step that keeps failing for give-up-after
                // fails its experiment with the reason instead of being retried forever.
                stepFailed(id, e);
            }
        }
    }

    private void standby() {
        metrics.running(0);
        steps.clear();
        failing.clear();
        waitingForClients.clear();
    }

    /**
     * Too few clients to open the next round: wait, and fail the experiment with the reason once it has waited
     * {@code afd.orchestrator.wait-for-clients} (from when this replica first saw it wait).
     */
    private void waitingForClients(String id, StepOutcome o) {
        Instant now = clock.instant();
        Instant since = waitingForClients.computeIfAbsent(id, k -> now);
        Duration waited = Duration.between(since, now);
        Duration limit = config.waitForClients();
        steps.put(id, o.message() + " (for " + waited.toSeconds() + " s; gives up after " + limit + ")");
        if (waited.compareTo(limit) < 0) {
            return;
        }
        String reason =
                o.message() + " for " + waited.toSeconds() + " s (afd.orchestrator.wait-for-clients " + limit + ")";
        LOG.errorf("experiment %s: FAILED: %s", id, reason);
        failExperiment(id, reason);
        waitingForClients.remove(id);
    }

    /** Marks the experiment FAILED with the reason (and its current round, when it has one open). */
    private void failExperiment(String id, String reason) {
        Experiment x = store.experiment(id);
        new DbJournal(store, id, metrics, "", "").failed(x == null ? -1 : x.currentRound, reason);
    }

    private void stepFailed(String id, Throwable e) {
        Instant now = clock.instant();
        Failing f = failing.merge(
                id,
                new Failing(now, 1, e.toString()),
                (old, neu) -> new Failing(old.since(), old.attempts() + 1, neu.lastError()));
        Duration failingFor = Duration.between(f.since(), now);
        steps.put(
                id,
                "step failing for " + failingFor.toSeconds() + " s (" + f.attempts() + " attempts), retried until "
                        + config.giveUpAfter() + ": " + f.lastError());
        if (failingFor.compareTo(config.giveUpAfter()) < 0) {
            if (f.attempts() == 1 || f.attempts() % 100 == 0) {
                LOG.warnf("experiment %s: step failed (%d in a row), will retry: %s", id, f.attempts(), e.toString());
            }
            return;
        }
        String reason = "a step failed for " + failingFor.toSeconds() + " s (" + f.attempts()
                + " attempts, afd.orchestrator.give-up-after " + config.giveUpAfter() + "); last error: "
                + f.lastError();
        LOG.errorf("experiment %s: FAILED: %s", id, reason);
        failExperiment(id, reason);
        failing.remove(id);
    }

    /** Tests: the clock that measures how long a step has been failing. */
    void clock(Clock c) {
        this.clock = c;
    }

    /** One step of one experiment. */
    public StepOutcome advance(String id) {
        return loop(id).advance();
    }

    private RoundLoop loop(String id) {
        Experiment e = store.experiment(id);
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment " + id);
        }
        ExperimentConfig cfg =
                configs.computeIfAbsent(e.id + "\n" + e.configYaml, k -> ExperimentService.parse(e.id, e.configYaml));
        ServicesFederation federation = new ServicesFederation(
                id, cfg, store::availableClientIds, registry, scoreMap, packager, aggregator, evaluator::evaluate);
        DbJournal journal = new DbJournal(
                store, id, metrics, cfg.downlink().toString(), cfg.uplink().toString());
        return new RoundLoop(new RoundPlanner(cfg.roundSettings()), federation, journal, clock);
    }
}
