package io.afd.orchestrator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.data.Dataset;
import io.afd.core.data.FederatedDataset;
import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.model.ModelSpec;
import io.afd.core.round.Client;
import io.afd.core.round.ClientAssignment;
import io.afd.core.round.ClientReport;
import io.afd.core.round.InMemoryJournal;
import io.afd.core.round.Policies;
import io.afd.core.round.RoundLoop;
import io.afd.core.round.RoundPlanner;
import io.afd.core.round.RoundTask;
import io.afd.core.round.SeedStream;
import io.afd.core.round.SelectionPolicy;
import io.afd.core.round.StepOutcome;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.RoundMetrics;
import io.afd.core.sim.Simulator;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.ParamSet;
import io.afd.core.train.ClientOptimizerState;
import io.afd.core.train.ClientStep;
import io.afd.core.train.RuntimeCache;
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
import jakarta.enterprise.inject.Vetoed;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One config through both adapters of the round loop: the simulator's in-process federation, and
 * the orchestrator's {@link ServicesFederation} against in-process stand-ins for the four peers
 * (each does what its service does, with the same core calls: the policy in score-map, the
 * planner's assignment in packager, the client step on the edge, FedAvg in aggregator). The final
 * models must be equal bit for bit, and so must every evaluated round's accuracy.
 */
class RoundLoopAdaptersTest {
    private static final String YAML = """
            seed: 5
            dataset: {kind: synthetic, alpha: 1, beta: 1, clients: 8, maxSamplesPerClient: 60}
            model: mlp(in=60,hidden=24x16,classes=10)
            rounds: 4
            clientsPerRound: 4
            evalEvery: 2
            train: {epochs: 2, batchSize: 10, learningRate: 0.05}
            strategy: {policy: afd-multi, dropoutRate: 0.5}
            dgc: {enabled: true, momentum: 0.5, sparsity: 0.9, warmup: [0.5], denseBelow: 50}
            downlink: q8
            uplink: float16
            """;

    @Test
    void simulatorAndServicesAdapterGiveTheSameBits() {
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "adapters");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());

        List<RoundMetrics> simRounds = new ArrayList<>();
        Simulator.Result sim = new Simulator(cfg).run(data, new Simulator.Listener() {
            @Override
            public void onRound(RoundMetrics m, List<io.afd.core.round.ScoreUpdate> u, Map<String, ScoreMap> maps) {
                simRounds.add(m);
            }
        });

        Registry registry = new Registry();
        Aggregator aggregator = new Aggregator(cfg.model(), registry);
        Packager packager = new Packager(cfg.model(), registry, aggregator, data);
        ScoreMapPeer scoreMap = new ScoreMapPeer(cfg.model());
        List<String> pool = new ArrayList<>();
        for (int k = 0; k < data.numClients(); k++) {
            pool.add(Client.idOf(k));
        }
        Evaluator evaluator = new Evaluator();
        ServicesFederation federation = new ServicesFederation(
                "adapters", cfg, () -> pool, registry, scoreMap, packager, aggregator, evaluator::evaluate);
        Map<Integer, Double> accuracy = new TreeMap<>();
        InMemoryJournal journal = new InMemoryJournal() {
            @Override
            public void scored(
                    int round,
                    io.afd.core.round.Federation.Closed closed,
                    io.afd.core.round.Federation.Evaluation ev,
                    boolean completes) {
                super.scored(round, closed, ev, completes);
                accuracy.put(round, ev == null ? Double.NaN : ev.accuracy());
            }
        };
        RoundLoop loop = new RoundLoop(new RoundPlanner(cfg.roundSettings()), federation, journal, Clock.systemUTC());
        StepOutcome last = loop.run(1000);

        assertEquals(StepOutcome.Kind.COMPLETED, last.kind(), last.toString());
        ParamSet distributed = new ParamSet(
                TensorCodec.decodeDense(registry.weights("adapters", Integer.toString(journal.modelVersion()))));
        assertTrue(sim.finalModel().bitEquals(distributed), "the services adapter's final model differs");
        assertEquals(simRounds.size(), accuracy.size());
        for (RoundMetrics m : simRounds) {
            assertEquals(m.testAccuracy(), accuracy.get(m.round()), 0.0, "accuracy of round " + m.round());
        }
        assertTrue(Double.isNaN(accuracy.get(1)), "evalEvery 2: round 1 is not evaluated");
        assertEquals(
                3,
                registry.metrics.size(),
                "metrics of rounds 0, 2 and 3, none for round 1: " + registry.metrics.keySet());
    }

    // ---------------------------------------------------------------- stand-ins for the peers

    /** model-registry: versions numbered from 1, weights as AFDT blobs. */
    @Vetoed
    static final class Registry implements RegistryClient {
        final Map<Integer, byte[]> versions = new TreeMap<>();
        final Map<Integer, Map<String, Object>> metrics = new TreeMap<>();

        private VersionInfo info(int v) {
            return new VersionInfo("adapters", v, null, null, null, 0, versions.get(v).length, null, null, null);
        }

        @Override
        public List<VersionInfo> list(String experimentId) {
            return versions.keySet().stream().map(this::info).toList();
        }

        @Override
        public byte[] weights(String experimentId, String version) {
            return versions.get(Integer.parseInt(version));
        }

        @Override
        public VersionInfo create(
                String experimentId, String architecture, Integer round, Integer parentVersion, byte[] blob) {
            int v = versions.size() + 1;
            versions.put(v, blob);
            return info(v);
        }

        @Override
        public VersionInfo metrics(String experimentId, String version, Map<String, Object> m) {
            metrics.put(Integer.parseInt(version), m);
            return info(Integer.parseInt(version));
        }
    }

    /** score-map: the experiment's policy with its maps in memory. */
    @Vetoed
    static final class ScoreMapPeer implements ScoreMapClient {
        private final ModelSpec spec;
        private final Map<String, ScoreMap> maps = new LinkedHashMap<>();
        private final Map<Integer, Map<String, Selection>> selections = new HashMap<>();
        private SelectionPolicy policy;

        ScoreMapPeer(ModelSpec spec) {
            this.spec = spec;
        }

        @Override
        public SelectionResponse selections(String experimentId, int round, SelectionRequest q) {
            if (policy == null) {
                policy = Policies.create(
                        ModelSpec.parse(q.architecture()), q.selection(), SeedStream.POLICY.derive(q.seed()));
            }
            Map<String, Selection> s =
                    selections.computeIfAbsent(round, t -> policy.configureRound(t, q.clients(), maps));
            Map<String, SelectionRef> out = new LinkedHashMap<>();
            s.forEach((c, sel) -> out.put(c, new SelectionRef(sel.id(), sel.canonical())));
            return new SelectionResponse(out);
        }

        @Override
        public void results(String experimentId, int round, RoundResults results) {
            List<ClientReport> reports = results.results().stream()
                    .map(c -> new ClientReport(
                            c.clientId(),
                            c.numSamples(),
                            c.trainLoss(),
                            c.initialLoss() == null ? Double.NaN : c.initialLoss()))
                    .toList();
            policy.applyResults(round, selections.get(round), reports, maps);
        }
    }

    /** aggregator: accepted updates per round, exact FedAvg at close into a new registry version. */
    @Vetoed
    static final class Aggregator implements AggregatorClient {
        private final ModelSpec spec;
        private final Registry registry;
        private final Map<Integer, AggregationRound> rounds = new HashMap<>();
        private final Map<Integer, List<Object[]>> updates = new HashMap<>();
        private final Map<Integer, CloseResult> closed = new HashMap<>();

        Aggregator(ModelSpec spec, Registry registry) {
            this.spec = spec;
            this.registry = registry;
        }

        @Override
        public AggregationStatus open(String experimentId, int round, AggregationRound request) {
            rounds.putIfAbsent(round, request);
            return status(experimentId, round);
        }

        void accept(int round, ClientResult result, byte[] blob) {
            updates.computeIfAbsent(round, t -> new ArrayList<>()).add(new Object[] {result, blob});
        }

        @Override
        public AggregationStatus status(String experimentId, int round) {
            AggregationRound r = rounds.get(round);
            return new AggregationStatus(
                    "OPEN",
                    r.participants().size(),
                    updates.getOrDefault(round, List.of()).size(),
                    0,
                    null);
        }

        @Override
        public CloseResult close(String experimentId, int round) {
            return closed.computeIfAbsent(round, t -> {
                AggregationRound r = rounds.get(t);
                FedAvgAccumulator acc = new FedAvgAccumulator(spec);
                List<ClientResult> results = new ArrayList<>();
                for (Object[] u : updates.get(t)) {
                    ClientResult c = (ClientResult) u[0];
                    acc.add(
                            Selection.parse(r.participants().get(c.clientId())),
                            TensorCodec.decode((byte[]) u[1]),
                            c.numSamples());
                    results.add(c);
                }
                ParamSet base = new ParamSet(
                        TensorCodec.decodeDense(registry.weights(experimentId, Integer.toString(r.baseVersion()))));
                byte[] blob = TensorCodec.encode(acc.apply(base).list(), CodecSpec.FLOAT32);
                int v = registry.create(experimentId, r.architecture(), t, r.baseVersion(), blob)
                        .version();
                return new CloseResult(v, results, 0);
            });
        }
    }

    /** packager and edge clients: each task is cut as the packager cuts it and trained as a client trains it. */
    @Vetoed
    static final class Packager implements PackagerClient {
        private final ModelSpec spec;
        private final Registry registry;
        private final Aggregator aggregator;
        private final FederatedDataset data;
        private final ClientStep step = new ClientStep(new RuntimeCache(2));
        private final Map<String, ClientOptimizerState> states = new HashMap<>();

        Packager(ModelSpec spec, Registry registry, Aggregator aggregator, FederatedDataset data) {
            this.spec = spec;
            this.registry = registry;
            this.aggregator = aggregator;
            this.data = data;
        }

        @Override
        public TaskResult publish(String experimentId, int round, TaskRequest q) {
            ParamSet global = new ParamSet(
                    TensorCodec.decodeDense(registry.weights(experimentId, Integer.toString(q.modelVersion()))));
            RoundTask task = new RoundTask(
                    round,
                    q.train().toTrainConfig(),
                    q.train().clientsInRound(),
                    CodecSpec.parse(q.downlink()),
                    CodecSpec.parse(q.uplink()),
                    q.seed(),
                    q.train().computeInitialLoss());
            Map<String, Long> bytes = new LinkedHashMap<>();
            q.participants().forEach((id, p) -> {
                Selection sel = Selection.parse(p.selection());
                ClientAssignment a = RoundPlanner.assign(task, new Client(id, p.index()), sel);
                SubModelLayout layout = new SubModelLayout(spec, sel);
                byte[] blob = TensorCodec.encode(layout.extract(global).list(), a.downlink());
                // the edge client: what it reads off the wire
                TrainingConfig wire = TrainingConfig.of(a.localTask());
                Dataset local = data.client(p.index());
                ClientStep.Result r = step.run(
                        layout,
                        blob,
                        local.features(),
                        local.labels(),
                        wire.toLocalTask(round, a.uplink()),
                        states.computeIfAbsent(id, c -> new ClientOptimizerState(spec)));
                aggregator.accept(
                        round,
                        new ClientResult(
                                id,
                                r.local().numSamples(),
                                r.local().trainLoss(),
                                Double.isNaN(r.local().initialLoss())
                                        ? null
                                        : r.local().initialLoss(),
                                blob.length,
                                r.uplinkBlob().length),
                        r.uplinkBlob());
                bytes.put(id, (long) blob.length);
            });
            return new TaskResult(bytes);
        }
    }
}
