package io.afd.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.dgc.DgcConfig;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.Seeds;
import io.afd.core.sim.Simulator;
import io.afd.orchestrator.Experiment;
import io.afd.orchestrator.RoundRecord;
import io.afd.orchestrator.RoundRecord.State;
import io.afd.orchestrator.client.AggregatorClient;
import io.afd.orchestrator.client.PackagerClient;
import io.afd.orchestrator.client.RegistryClient;
import io.afd.orchestrator.client.ScoreMapClient;
import io.afd.orchestrator.config.OrchestratorConfig;
import io.afd.protocol.api.AggregationRound;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.RoundEvent.ClientResult;
import io.afd.protocol.api.CloseResult;
import io.afd.protocol.api.RoundResults;
import io.afd.protocol.api.SelectionRef;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import io.afd.protocol.api.TaskRequest;
import io.afd.protocol.api.TaskResult;
import io.afd.protocol.TrainingConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Sequences rounds: {@code OPEN → TASKS_SENT → COLLECTING → CLOSING → AGGREGATED →
 * SCORES_UPDATED} (docs/services.md). One step per tick per running experiment; every step reads
 * the persisted state, calls peers (each call idempotent), then persists the next state, so a
 * restarted orchestrator resumes where it stopped.
 */
@ApplicationScoped
public class RoundDriver {
    private static final Logger LOG = Logger.getLogger(RoundDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RoundStore store;
    private final Evaluator evaluator;
    private final OrchestratorConfig config;
    private final RegistryClient registry;
    private final ScoreMapClient scoreMap;
    private final PackagerClient packager;
    private final AggregatorClient aggregator;
    private ScheduledExecutorService executor;
    /** Parsed configs by YAML text: the driver steps every tick and the text never changes. */
    private final Map<String, ExperimentConfig> configs = new java.util.concurrent.ConcurrentHashMap<>();

    public RoundDriver(RoundStore store, Evaluator evaluator, OrchestratorConfig config,
                       @RestClient RegistryClient registry, @RestClient ScoreMapClient scoreMap,
                       @RestClient PackagerClient packager, @RestClient AggregatorClient aggregator) {
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
                for (int i = 0; i < 16 && progressed(advance(id)); i++) {
                    // next step right away
                }
            } catch (RuntimeException e) {
                // Peers may be starting or restarting: log and retry on the next tick.
                LOG.warnf("experiment %s: step failed, will retry: %s", id, e.toString());
            }
        }
    }

    private static boolean progressed(String step) {
        return !(step.startsWith("collecting") || step.startsWith("waiting") || step.equals("not running")
                || step.equals("failed") || step.equals("completed") || step.contains("missed its quorum"));
    }

    /** One step of one experiment; returns a short description of what it did. */
    public String advance(String id) {
        Experiment e = store.experiment(id);
        if (e == null || e.status != Experiment.Status.RUNNING) {
            return "not running";
        }
        ExperimentConfig cfg = configs.computeIfAbsent(e.id + "\n" + e.configYaml,
                k -> ExperimentService.parse(e.id, e.configYaml));
        if (e.modelVersion == null) {
            return initialModel(e, cfg);
        }
        int t = e.currentRound;
        RoundRecord r = store.round(id, t);
        if (r == null) {
            if (t >= cfg.rounds()) {
                store.updateExperiment(id, x -> x.status = Experiment.Status.COMPLETED);
                return "completed";
            }
            return open(e, cfg, t);
        }
        return switch (r.state) {
            case OPEN, TASKS_SENT -> sendTasks(e, cfg, r);
            case COLLECTING -> collect(e, r);
            case CLOSING -> close(e, r);
            case AGGREGATED -> scoreAndEvaluate(e, cfg, r);
            case SCORES_UPDATED -> {
                store.updateExperiment(id, x -> x.currentRound = Math.max(x.currentRound, r.round + 1));
                yield "next round";
            }
            case FAILED -> "failed";
        };
    }

    private String initialModel(Experiment e, ExperimentConfig cfg) {
        List<JsonNode> versions = registry.list(e.id);
        int version;
        if (versions.isEmpty()) {
            byte[] blob = TensorCodec.encode(cfg.model().init(Seeds.derive(cfg.seed(), 2)).list(), CodecSpec.FLOAT32);
            version = registry.create(e.id, cfg.model().toString(), null, null, blob).path("version").asInt();
        } else {
            version = versions.get(0).path("version").asInt();
        }
        store.updateExperiment(e.id, x -> x.modelVersion = version);
        return "initial model v" + version;
    }

    private String open(Experiment e, ExperimentConfig cfg, int t) {
        List<String> pool = store.availableClientIds();
        if (pool.size() < cfg.clientsPerRound()) {
            return "waiting for clients: " + pool.size() + " available, " + cfg.clientsPerRound() + " needed";
        }
        int[] picked = Simulator.sampleClients(cfg.seed(), t, pool.size(), cfg.clientsPerRound());
        List<String> participants = new ArrayList<>();
        for (int k : picked) {
            participants.add(pool.get(k));
        }
        RoundRecord r = new RoundRecord();
        r.experimentId = e.id;
        r.round = t;
        r.state = State.OPEN;
        r.participants = String.join(",", participants);
        r.baseVersion = e.modelVersion;
        r.deadline = OffsetDateTime.now().plusSeconds(e.roundTimeoutSeconds);
        store.createRound(r);
        return "opened round " + t + " with " + participants.size() + " clients";
    }

    /** The data-partition index of a client: the number its id ends with. */
    static int clientIndex(String clientId) {
        int i = clientId.length();
        while (i > 0 && Character.isDigit(clientId.charAt(i - 1))) {
            i--;
        }
        if (i == clientId.length()) {
            throw new IllegalArgumentException("client id " + clientId + " does not end with its partition index");
        }
        return Integer.parseInt(clientId.substring(i));
    }

    private String sendTasks(Experiment e, ExperimentConfig cfg, RoundRecord r) {
        List<String> participants = r.participantList();
        var s = cfg.strategy();
        SelectionResponse sel = scoreMap.selections(e.id, r.round, new SelectionRequest(s.policy().label(),
                s.dropoutRate(), s.topK(), s.eps(), s.lossSignal().name().toLowerCase(Locale.ROOT), cfg.seed(),
                cfg.model().toString(), participants));
        Map<String, String> canonical = new LinkedHashMap<>();
        Map<String, TaskRequest.Participant> tasks = new LinkedHashMap<>();
        for (String c : participants) {
            SelectionRef ref = sel.selections().get(c);
            if (ref == null) {
                throw new IllegalStateException("score-map returned no selection for " + c);
            }
            canonical.put(c, ref.canonical());
            tasks.put(c, new TaskRequest.Participant(clientIndex(c), ref.canonical()));
        }
        long deadline = r.deadline.toInstant().toEpochMilli();
        aggregator.open(e.id, r.round, new AggregationRound(cfg.model().toString(), r.baseVersion, canonical, deadline));
        DgcConfig d = cfg.dgc();
        boolean initialLoss = s.lossSignal() == io.afd.core.scoremap.DropoutStrategy.LossSignal.INITIAL;
        TrainingConfig train = new TrainingConfig(cfg.train().epochs(), cfg.train().batchSize(),
                cfg.train().learningRate(), d.momentum(), Math.max(0, d.clipNorm()), d.sparsityForRound(r.round),
                d.denseBelow(), d.sampleRatio(), d.tolerance(), d.factorMasking(), participants.size(), 0L,
                initialLoss);
        TaskResult res = packager.publish(e.id, r.round, new TaskRequest(cfg.model().toString(), r.baseVersion, tasks,
                train, cfg.downlink().toString(), cfg.uplink().toString(), cfg.seed(),
                s.lossSignal().name().toLowerCase(Locale.ROOT), deadline));
        long down = res.bytesDown().values().stream().mapToLong(Long::longValue).sum();
        store.updateRound(e.id, r.round, x -> {
            x.state = State.COLLECTING;
            x.bytesDown = down;
        });
        return "tasks sent for round " + r.round;
    }

    private String collect(Experiment e, RoundRecord r) {
        AggregationStatus st = aggregator.status(e.id, r.round);
        int n = r.participantList().size();
        boolean all = st.received() >= n;
        boolean late = OffsetDateTime.now().isAfter(r.deadline);
        int quorum = (int) Math.ceil(e.quorum * n);
        if (all || (late && st.received() >= quorum)) {
            store.updateRound(e.id, r.round, x -> {
                x.state = State.CLOSING;
                x.received = st.received();
                x.rejected = st.rejected();
            });
            return "closing round " + r.round;
        }
        if (late) {
            store.updateRound(e.id, r.round, x -> x.state = State.FAILED);
            String why = "round " + r.round + " missed its quorum: " + st.received() + " of " + n
                    + " updates by the deadline (need " + quorum + ")";
            store.updateExperiment(e.id, x -> {
                x.status = Experiment.Status.FAILED;
                x.error = why;
            });
            return why;
        }
        store.updateRound(e.id, r.round, x -> {
            x.received = st.received();
            x.rejected = st.rejected();
        });
        return "collecting " + st.received() + "/" + n;
    }

    private String close(Experiment e, RoundRecord r) {
        CloseResult cr = aggregator.close(e.id, r.round);
        store.updateRound(e.id, r.round, x -> {
            x.state = State.AGGREGATED;
            x.modelVersion = cr.modelVersion();
            x.received = cr.results().size();
            x.rejected = cr.rejected();
            x.bytesUp = cr.results().stream().mapToLong(ClientResult::bytesUp).sum();
            double num = 0;
            long den = 0;
            for (ClientResult c : cr.results()) {
                num += c.trainLoss() * c.numSamples();
                den += c.numSamples();
            }
            x.trainLoss = den == 0 ? null : num / den;
        });
        return "aggregated round " + r.round + " into v" + cr.modelVersion();
    }

    private String scoreAndEvaluate(Experiment e, ExperimentConfig cfg, RoundRecord r) {
        CloseResult cr = aggregator.close(e.id, r.round); // idempotent: the stored result
        scoreMap.results(e.id, r.round, new RoundResults(cr.results()));
        byte[] weights = registry.weights(e.id, Integer.toString(cr.modelVersion()));
        ModelRuntime.Evaluation ev = evaluator.evaluate(e.id, cfg, weights, config.evalBatchSize());
        ObjectNode m = JSON.createObjectNode();
        m.put("round", r.round);
        m.put("testAccuracy", ev.accuracy());
        m.put("testLoss", ev.loss());
        m.put("testSamples", ev.samples());
        registry.metrics(e.id, Integer.toString(cr.modelVersion()), m);
        boolean last = r.round + 1 >= cfg.rounds();
        boolean reached = ev.accuracy() >= cfg.targetAccuracy();
        store.updateRound(e.id, r.round, x -> {
            x.state = State.SCORES_UPDATED;
            x.testAccuracy = ev.accuracy();
            x.testLoss = ev.loss();
            x.finishedAt = OffsetDateTime.now();
        });
        store.updateExperiment(e.id, x -> {
            x.modelVersion = cr.modelVersion();
            x.roundsDone = r.round + 1;
            x.currentRound = r.round + 1;
            x.lastAccuracy = ev.accuracy();
            x.bestAccuracy = x.bestAccuracy == null ? ev.accuracy() : Math.max(x.bestAccuracy, ev.accuracy());
            if (last || reached) {
                x.status = Experiment.Status.COMPLETED;
            }
        });
        return String.format(Locale.ROOT, "round %d: accuracy %.4f", r.round, ev.accuracy());
    }
}
