package io.afd.core.sim;

import io.afd.core.codec.TensorCodec;
import io.afd.core.data.Dataset;
import io.afd.core.data.FederatedDataset;
import io.afd.core.fedavg.FedAvgAccumulator;
import io.afd.core.model.ModelSpec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.round.Client;
import io.afd.core.round.ClientAssignment;
import io.afd.core.round.ClientReport;
import io.afd.core.round.Federation;
import io.afd.core.round.RoundPlanner;
import io.afd.core.round.RoundTask;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.round.SelectionPolicy;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.ParamSet;
import io.afd.core.train.ClientOptimizerState;
import io.afd.core.train.ClientStep;
import io.afd.core.train.RuntimeCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Federation} of one JVM: clients are the partitions of a {@link FederatedDataset},
 * trained one after another when their task is sent ({@link ClientStep}, the edge client's step);
 * the policy and its score maps live in memory; versions are numbered from 0. Every payload is really
 * encoded and decoded, so byte counts are those of the wire format.
 */
public final class InProcessFederation implements Federation {
    private final ModelSpec spec;
    private final FederatedDataset data;
    private final SelectionPolicy policy;
    private final Map<String, ScoreMap> scoreMaps = new LinkedHashMap<>();
    private final ClientStep step = new ClientStep(new RuntimeCache(4));
    private final boolean statefulClients;
    private final Map<Integer, ClientOptimizerState> states = new HashMap<>();
    private final ClientOptimizerState sharedZeroState;
    private final Dataset test;
    private final ModelRuntime evalRuntime;
    private final List<Client> pool = new ArrayList<>();

    private ParamSet global;
    private int version = -1;
    private Round current;
    private final Map<Integer, Closed> closed = new HashMap<>();
    private final Map<Integer, List<ScoreUpdate>> scoreUpdates = new HashMap<>();

    /** What the federation tracks of the round in flight. */
    private static final class Round {
        final int round;
        final long startNanos = System.nanoTime();
        Map<String, Selection> selections = Map.of();
        FedAvgAccumulator accumulator;
        final List<ClientOutcome> outcomes = new ArrayList<>();
        final Map<String, SubModelLayout> layouts = new LinkedHashMap<>();
        long subParams;
        long sent;
        long trainNanos;
        long maxTrainNanos;
        double sparsity;

        Round(int round) {
            this.round = round;
        }
    }

    /**
     * @param planner        the experiment's planner (model, policy, DGC settings)
     * @param data           the clients' partitions and the test set
     * @param maxTestSamples evaluate on at most this many test samples
     */
    public InProcessFederation(RoundPlanner planner, FederatedDataset data, int maxTestSamples) {
        this.spec = planner.settings().model();
        this.data = data;
        this.policy = planner.policy();
        this.statefulClients = planner.settings().train().dgc().keepsClientState();
        this.sharedZeroState = statefulClients ? null : new ClientOptimizerState(spec);
        this.test = DataLoader.head(data.test(), maxTestSamples);
        this.evalRuntime = ModelRuntime.create(spec);
        for (int k = 0; k < data.numClients(); k++) {
            pool.add(new Client(Client.idOf(k), k));
        }
    }

    /** Score maps by key (a live view). */
    public Map<String, ScoreMap> scoreMaps() {
        return scoreMaps;
    }

    /** The score-map changes a round caused. */
    public List<ScoreUpdate> scoreUpdates(int round) {
        return scoreUpdates.getOrDefault(round, List.of());
    }

    /** The current global model. */
    public ParamSet global() {
        return global;
    }

    @Override
    public List<Client> pool() {
        return pool;
    }

    @Override
    public int publishInitialModel(ParamSet initial) {
        if (global == null) {
            global = initial;
            version = 0;
        }
        return version;
    }

    @Override
    public Map<String, Selection> select(int round, List<Client> participants) {
        current = new Round(round);
        current.selections = policy.configureRound(
                round, participants.stream().map(Client::id).toList(), scoreMaps);
        return current.selections;
    }

    @Override
    public long sendTasks(RoundTask task, int baseVersion, List<ClientAssignment> assignments, Instant deadline) {
        if (baseVersion != version) {
            throw new IllegalStateException("round " + task.round() + " is cut from v" + baseVersion
                    + " but the current version is v" + version);
        }
        Round r = current;
        r.accumulator = new FedAvgAccumulator(spec);
        long down = 0;
        for (ClientAssignment a : assignments) {
            Selection sel = a.selection();
            SubModelLayout layout = r.layouts.computeIfAbsent(sel.id(), x -> new SubModelLayout(spec, sel));
            byte[] downBlob = TensorCodec.encode(layout.extract(global).list(), a.downlink());
            int k = a.client().index();
            Dataset local = data.client(k);
            ClientOptimizerState st =
                    statefulClients ? states.computeIfAbsent(k, x -> new ClientOptimizerState(spec)) : sharedZeroState;
            ClientStep.Result res = step.run(layout, downBlob, local.features(), local.labels(), a.localTask(), st);
            // the server's side of the uplink: decode and accumulate
            r.accumulator.add(
                    sel, TensorCodec.decode(res.uplinkBlob()), res.local().numSamples());
            r.outcomes.add(new ClientOutcome(
                    new ClientReport(
                            a.client().id(),
                            res.local().numSamples(),
                            res.local().trainLoss(),
                            res.local().initialLoss()),
                    downBlob.length,
                    res.uplinkBlob().length));
            down += downBlob.length;
            r.subParams += layout.subParams();
            r.sent += res.local().sentValues();
            r.trainNanos += res.trainNanos();
            r.maxTrainNanos = Math.max(r.maxTrainNanos, res.trainNanos());
            r.sparsity = res.local().sparsity();
        }
        return down;
    }

    @Override
    public Collected collect(int round) {
        return new Collected(current.outcomes.size(), 0);
    }

    @Override
    public Closed close(int round) {
        return closed.computeIfAbsent(round, t -> {
            global = current.accumulator.apply(global);
            version++;
            current.accumulator = null;
            return new Closed(version, List.copyOf(current.outcomes), 0);
        });
    }

    @Override
    public void publishResults(int round, Closed c) {
        if (!scoreUpdates.containsKey(round)) {
            List<ClientReport> reports =
                    c.results().stream().map(ClientOutcome::report).toList();
            scoreUpdates.put(round, policy.applyResults(round, current.selections, reports, scoreMaps));
        }
    }

    @Override
    public Evaluation evaluate(int round, int modelVersion, int batchSize) {
        evalRuntime.setParams(global);
        ModelRuntime.Evaluation ev = evalRuntime.evaluate(test.features(), test.labels(), batchSize);
        return new Evaluation(ev.accuracy(), ev.loss(), ev.samples());
    }

    /** The metrics of the round just scored. */
    RoundMetrics metrics(Closed c, Evaluation ev) {
        Round r = current;
        int m = c.results().size();
        long down = c.results().stream().mapToLong(ClientOutcome::bytesDown).sum();
        return new RoundMetrics(
                r.round,
                m,
                ev == null ? Double.NaN : ev.accuracy(),
                ev == null ? Double.NaN : ev.loss(),
                c.meanTrainLoss(),
                (double) down / m,
                (double) c.bytesUp() / m,
                spec.numParams() * 4,
                (double) r.subParams / m,
                r.sparsity,
                (double) r.sent / m,
                r.layouts.size(),
                r.trainNanos / 1_000_000,
                r.maxTrainNanos / 1_000_000,
                (System.nanoTime() - r.startNanos) / 1_000_000);
    }
}
