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
import io.afd.services.common.client.RegistryClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
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
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;
    /** Parsed configs by experiment id and YAML text: the driver steps every tick and the text never changes. */
    private final Map<String, ExperimentConfig> configs = new ConcurrentHashMap<>();

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
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.driverEnabled()) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "round-driver"));
            long ms = config.tick().toMillis();
            executor.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
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
        for (String id : store.runningIds()) {
            try {
                loop(id).run(MAX_STEPS_PER_TICK);
            } catch (RuntimeException e) {
                // Peers may be starting or restarting: log and retry on the next tick.
                LOG.warnf("experiment %s: step failed, will retry: %s", id, e.toString());
            }
        }
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
        return new RoundLoop(new RoundPlanner(cfg.roundSettings()), federation, new DbJournal(store, id), clock);
    }
}
