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
import io.afd.core.tensor.NamedTensor;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Federation} of one JVM: clients are the partitions of a {@link FederatedDataset},
 * trained when their task is sent ({@link ClientStep}, the edge client's step), on up to
 * {@code threads} threads at once; the policy and its score maps live in memory; versions are
 * numbered from 0. Every payload is really encoded and decoded, so byte counts are those of the wire
 * format.
 *
 * <p>Parallel clients give the sequential run's bits: a client's training depends only on its task
 * (seeded by round and client), its own optimizer state and the round's global model, and each ND4J
 * operation runs on a fixed number of threads ({@code NativeThreads}); each worker thread has its
 * own runtimes.
 * Results are taken in assignment order, so the accumulator, the reports handed to the round closer
 * and the metrics see the clients in the order the sequential run does (the exact FedAvg sums would
 * not care). Close the federation to stop its threads.
 */
public final class InProcessFederation implements Federation, AutoCloseable {
    private final ModelSpec spec;
    private final FederatedDataset data;
    private final SelectionPolicy policy;
    private final Map<String, ScoreMap> scoreMaps = new LinkedHashMap<>();
    private final boolean statefulClients;
    private final Map<Integer, ClientOptimizerState> states = new HashMap<>();
    private final int threads;
    /** The calling thread's worker, for {@code threads == 1}. */
    private final Worker inline;
    /** Each training thread's worker (runtimes are not thread-safe). */
    private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);

    private final Dataset test;
    private final ModelRuntime evalRuntime;
    private final List<Client> pool = new ArrayList<>();

    /** The training threads, started with the first parallel round. */
    private ExecutorService trainers;

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

    /** What a training thread owns: its runtimes, and the all-zero state of stateless clients. */
    private final class Worker {
        final ClientStep step = new ClientStep(new RuntimeCache(4));
        final ClientOptimizerState zeroState = statefulClients ? null : new ClientOptimizerState(spec);
    }

    /** One client's work, prepared on the round's thread: the shared maps are touched only there. */
    private record Job(ClientAssignment assignment, SubModelLayout layout, Dataset local, ClientOptimizerState state) {}

    /** What the server keeps of one client's work. */
    private record Done(
            int bytesDown,
            int bytesUp,
            List<NamedTensor> update,
            int numSamples,
            double trainLoss,
            double initialLoss,
            long sentValues,
            double sparsity,
            long trainNanos) {}

    /** Sequential: {@code new InProcessFederation(planner, data, maxTestSamples, 1)}. */
    public InProcessFederation(RoundPlanner planner, FederatedDataset data, int maxTestSamples) {
        this(planner, data, maxTestSamples, 1);
    }

    /**
     * @param planner        the experiment's planner (model, policy, DGC settings)
     * @param data           the clients' partitions and the test set
     * @param maxTestSamples evaluate on at most this many test samples
     * @param threads        clients trained at once (1 = one after another on the calling thread);
     *                       at most the clients per round are used
     */
    public InProcessFederation(RoundPlanner planner, FederatedDataset data, int maxTestSamples, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.spec = planner.settings().model();
        this.data = data;
        this.policy = planner.policy();
        this.statefulClients = planner.settings().train().dgc().keepsClientState();
        this.threads = Math.min(threads, planner.settings().clientsPerRound());
        this.inline = this.threads == 1 ? new Worker() : null;
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
        List<Job> jobs = new ArrayList<>(assignments.size());
        for (ClientAssignment a : assignments) {
            Selection sel = a.selection();
            SubModelLayout layout = r.layouts.computeIfAbsent(sel.id(), x -> new SubModelLayout(spec, sel));
            int k = a.client().index();
            ClientOptimizerState st =
                    statefulClients ? states.computeIfAbsent(k, x -> new ClientOptimizerState(spec)) : null;
            jobs.add(new Job(a, layout, data.client(k), st));
        }
        long down = 0;
        if (threads == 1) {
            for (Job j : jobs) {
                down += accept(r, j, train(inline, j));
            }
        } else {
            down = trainInParallel(r, jobs);
        }
        return down;
    }

    /**
     * Trains on the worker threads, a bounded window ahead of the result being taken (so at most that many
     * updates are held), and takes the results in assignment order. A failure is raised as the
     * sequential run would raise it: that of the first failing client in order.
     */
    private long trainInParallel(Round r, List<Job> jobs) {
        if (trainers == null) {
            AtomicInteger n = new AtomicInteger();
            trainers = Executors.newFixedThreadPool(threads, job -> {
                Thread t = new Thread(job, "afd-client-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        int window = 2 * threads;
        List<Future<Done>> futures = new ArrayList<>(jobs.size());
        long down = 0;
        try {
            for (int i = 0; i < jobs.size(); i++) {
                while (futures.size() < jobs.size() && futures.size() < i + window) {
                    Job j = jobs.get(futures.size());
                    futures.add(trainers.submit(() -> train(workers.get(), j)));
                }
                Done d = take(futures.get(i));
                futures.set(i, null);
                down += accept(r, jobs.get(i), d);
            }
        } finally {
            for (Future<Done> f : futures) {
                if (f != null) {
                    f.cancel(true);
                }
            }
        }
        return down;
    }

    private static Done take(Future<Done> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while clients were training", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** A client's round, on any thread: downlink encode, the client step, the server's decode. */
    private Done train(Worker w, Job j) {
        ClientAssignment a = j.assignment();
        byte[] downBlob = TensorCodec.encode(j.layout().extract(global).list(), a.downlink());
        ClientOptimizerState st = j.state() != null ? j.state() : w.zeroState;
        ClientStep.Result res =
                w.step.run(j.layout(), downBlob, j.local().features(), j.local().labels(), a.localTask(), st);
        // the server's side of the uplink: decode (accumulated on the round's thread)
        List<NamedTensor> update = TensorCodec.decode(res.uplinkBlob());
        return new Done(
                downBlob.length,
                res.uplinkBlob().length,
                update,
                res.local().numSamples(),
                res.local().trainLoss(),
                res.local().initialLoss(),
                res.local().sentValues(),
                res.local().sparsity(),
                res.trainNanos());
    }

    /** Accumulates one client's update and records its outcome; its download bytes. */
    private static long accept(Round r, Job j, Done d) {
        ClientAssignment a = j.assignment();
        r.accumulator.add(a.selection(), d.update(), d.numSamples());
        r.outcomes.add(new ClientOutcome(
                new ClientReport(a.client().id(), d.numSamples(), d.trainLoss(), d.initialLoss()),
                d.bytesDown(),
                d.bytesUp()));
        r.subParams += j.layout().subParams();
        r.sent += d.sentValues();
        r.trainNanos += d.trainNanos();
        r.maxTrainNanos = Math.max(r.maxTrainNanos, d.trainNanos());
        r.sparsity = d.sparsity();
        return d.bytesDown();
    }

    /** Stops the training threads (the federation can still evaluate). */
    @Override
    public void close() {
        if (trainers != null) {
            trainers.shutdownNow();
            trainers = null;
        }
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
