package io.afd.orchestrator.service;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.round.Client;
import io.afd.core.round.ClientAssignment;
import io.afd.core.round.ClientReport;
import io.afd.core.round.Federation;
import io.afd.core.round.RoundTask;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.submodel.Selection;
import io.afd.core.tensor.ParamSet;
import io.afd.orchestrator.client.AggregatorClient;
import io.afd.orchestrator.client.PackagerClient;
import io.afd.orchestrator.client.ScoreMapClient;
import io.afd.protocol.RoundEvent.ClientResult;
import io.afd.protocol.TrainingConfig;
import io.afd.protocol.api.AggregationRound;
import io.afd.protocol.api.AggregationStatus;
import io.afd.protocol.api.CloseResult;
import io.afd.protocol.api.RoundResults;
import io.afd.protocol.api.SelectionRef;
import io.afd.protocol.api.SelectionRequest;
import io.afd.protocol.api.SelectionResponse;
import io.afd.protocol.api.TaskRequest;
import io.afd.protocol.api.TaskResult;
import io.afd.protocol.api.VersionInfo;
import io.afd.services.common.client.RegistryClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The {@link Federation} of one experiment over the suite's services: the client pool is the
 * orchestrator's, selections come from score-map, tasks go out through packager, updates are
 * collected and averaged by aggregator, versions and metrics live in model-registry. Every call is
 * idempotent per (experiment, round) on the peer's side (docs/services.md).
 */
public final class ServicesFederation implements Federation {
    private static final Logger LOG = Logger.getLogger(ServicesFederation.class);

    /** Server-side evaluation of a version's weights. */
    public interface Evaluate {
        ModelRuntime.Evaluation evaluate(String experimentId, ExperimentConfig cfg, byte[] weights, int batchSize);
    }

    private final String experimentId;
    private final ExperimentConfig cfg;
    private final Supplier<List<String>> availableClients;
    private final RegistryClient registry;
    private final ScoreMapClient scoreMap;
    private final PackagerClient packager;
    private final AggregatorClient aggregator;
    private final Evaluate evaluator;

    public ServicesFederation(
            String experimentId,
            ExperimentConfig cfg,
            Supplier<List<String>> availableClients,
            RegistryClient registry,
            ScoreMapClient scoreMap,
            PackagerClient packager,
            AggregatorClient aggregator,
            Evaluate evaluator) {
        this.experimentId = experimentId;
        this.cfg = cfg;
        this.availableClients = availableClients;
        this.registry = registry;
        this.scoreMap = scoreMap;
        this.packager = packager;
        this.aggregator = aggregator;
        this.evaluator = evaluator;
    }

    @Override
    public List<Client> pool() {
        List<Client> pool = new ArrayList<>();
        for (String id : availableClients.get()) {
            try {
                pool.add(new Client(id, Client.indexOf(id)));
            } catch (IllegalArgumentException e) {
                // registered before registration checked the rule: leave it out rather than stall the round
                LOG.warnf("client %s left out of the pool: %s", id, e.getMessage());
            }
        }
        return pool;
    }

    @Override
    public int publishInitialModel(ParamSet initial) {
        List<VersionInfo> versions = registry.list(experimentId); // oldest first
        if (!versions.isEmpty()) {
            return versions.get(0).version();
        }
        byte[] blob = TensorCodec.encode(initial.list(), CodecSpec.FLOAT32);
        return registry.create(experimentId, cfg.model().toString(), null, null, blob)
                .version();
    }

    @Override
    public Map<String, Selection> select(int round, List<Client> participants) {
        List<String> ids = participants.stream().map(Client::id).toList();
        SelectionResponse sel = scoreMap.selections(
                experimentId,
                round,
                new SelectionRequest(cfg.strategy(), cfg.seed(), cfg.model().toString(), ids));
        Map<String, Selection> out = new LinkedHashMap<>();
        for (String c : ids) {
            SelectionRef ref = sel.selections().get(c);
            if (ref == null) {
                throw new IllegalStateException("score-map returned no selection for " + c);
            }
            out.put(c, Selection.parse(ref.canonical()));
        }
        return out;
    }

    @Override
    public long sendTasks(RoundTask task, int baseVersion, List<ClientAssignment> assignments, Instant deadline) {
        Map<String, String> canonical = new LinkedHashMap<>();
        Map<String, TaskRequest.Participant> participants = new LinkedHashMap<>();
        for (ClientAssignment a : assignments) {
            canonical.put(a.client().id(), a.selection().canonical());
            participants.put(
                    a.client().id(),
                    new TaskRequest.Participant(
                            a.client().index(), a.selection().canonical()));
        }
        long deadlineMs = deadline.toEpochMilli();
        aggregator.open(
                experimentId,
                task.round(),
                new AggregationRound(
                        cfg.model().toString(),
                        baseVersion,
                        canonical,
                        deadlineMs,
                        task.uplink().toString()));
        // the packager derives each client's seeds from the master seed with the same planner
        TrainingConfig train = TrainingConfig.forRound(
                task.train(), task.round(), task.clientsInRound(), 0L, task.computeInitialLoss());
        TaskResult res = packager.publish(
                experimentId,
                task.round(),
                new TaskRequest(
                        cfg.model().toString(),
                        baseVersion,
                        participants,
                        train,
                        task.downlink().toString(),
                        task.uplink().toString(),
                        task.seed(),
                        deadlineMs));
        return res.bytesDown().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Collected collect(int round) {
        AggregationStatus st = aggregator.status(experimentId, round);
        return new Collected(st.received(), st.rejected());
    }

    @Override
    public Closed close(int round) {
        CloseResult cr = aggregator.close(experimentId, round);
        List<ClientOutcome> results = new ArrayList<>();
        for (ClientResult c : cr.results()) {
            results.add(new ClientOutcome(
                    new ClientReport(
                            c.clientId(),
                            c.numSamples(),
                            c.trainLoss(),
                            c.initialLoss() == null ? Double.NaN : c.initialLoss()),
                    c.bytesDown(),
                    c.bytesUp()));
        }
        return new Closed(cr.modelVersion(), results, cr.rejected());
    }

    @Override
    public void publishResults(int round, Closed closed) {
        List<ClientResult> results = new ArrayList<>();
        for (ClientOutcome o : closed.results()) {
            ClientReport r = o.report();
            results.add(new ClientResult(
                    r.clientId(),
                    (int) r.numSamples(),
                    r.trainLoss(),
                    Double.isNaN(r.initialLoss()) ? null : r.initialLoss(),
                    o.bytesDown(),
                    o.bytesUp()));
        }
        scoreMap.results(experimentId, round, new RoundResults(results));
    }

    @Override
    public Evaluation evaluate(int round, int modelVersion, int batchSize) {
        String v = Integer.toString(modelVersion);
        byte[] weights = registry.weights(experimentId, v);
        ModelRuntime.Evaluation ev = evaluator.evaluate(experimentId, cfg, weights, batchSize);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", round);
        m.put("testAccuracy", ev.accuracy());
        m.put("testLoss", ev.loss());
        m.put("testSamples", ev.samples());
        registry.metrics(experimentId, v, m);
        return new Evaluation(ev.accuracy(), ev.loss(), ev.samples());
    }
}
