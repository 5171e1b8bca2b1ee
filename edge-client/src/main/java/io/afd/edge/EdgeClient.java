package io.afd.edge;

import io.afd.core.data.Dataset;
import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.train.ClientOptimizerState;
import io.afd.core.train.ClientStep;
import io.afd.core.train.LocalResult;
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import io.afd.protocol.ClientTask;
import io.afd.protocol.ClientUpdate;
import io.afd.protocol.MessageType;
import io.afd.protocol.SigningKey;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One edge client: turns a received task (header + sub-model blob) into signed update envelopes.
 * It runs the core {@link ClientStep} (the simulator's too): decode the sub-model, train it on its
 * local data with DGC (momentum and residual kept in global coordinates across rounds, per model
 * architecture), encode the sparse delta with the uplink codec and its seed; then it signs every
 * envelope with its own key. Transport-free: {@link KafkaEdgeRuntime} moves the bytes.
 *
 * <p>With a state directory the client survives restarts ({@link OptimizerStateStore}): once an update is
 * acknowledged, {@link #committed} saves the answered rounds and the DGC momentum and residual, and a new instance
 * starts from them, so it sends what the old one would have sent.
 */
public final class EdgeClient {
    private static final int MAX_REMEMBERED_TASKS = 1024;

    private final String id;
    private final SigningKey signingKey;
    private final Dataset data;
    private final ClientStep step;
    private final Chunker chunker;
    private final Map<String, ClientOptimizerState> states = new HashMap<>();
    private final Set<String> done = new LinkedHashSet<>();
    /** Answered rounds per experiment|model, as saved. */
    private final Map<String, Set<Integer>> answered = new HashMap<>();

    private final OptimizerStateStore store;

    /**
     * @param id       client id (the key of its Kafka records)
     * @param key      its Ed25519 key, the one it enrolled
     * @param data     its local training data
     * @param runtimes ND4J graphs, shared by clients of the same thread
     * @param chunker  how large updates are split
     */
    public EdgeClient(String id, SigningKey key, Dataset data, RuntimeCache runtimes, Chunker chunker) {
        this(id, key, data, runtimes, chunker, null);
    }

    /**
     * @param stateDir where the client keeps its DGC state and answered rounds between runs (null: in memory only)
     */
    public EdgeClient(
            String id,
            SigningKey key,
            Dataset data,
            RuntimeCache runtimes,
            Chunker chunker,
            java.nio.file.Path stateDir) {
        this.store = stateDir == null ? null : new OptimizerStateStore(stateDir);
        this.id = id;
        this.signingKey = java.util.Objects.requireNonNull(key, "key");
        this.data = data;
        this.step = new ClientStep(runtimes);
        this.chunker = chunker;
    }

    public String id() {
        return id;
    }

    public int numSamples() {
        return data.size();
    }

    /** What handling a task produced. */
    public record Outcome(ClientUpdate update, List<byte[]> envelopes, long uplinkBytes, LocalResult result) {}

    /**
     * Trains on a task and returns the update envelopes to send, or null when this task was already
     * handled (a redelivered task is not trained twice) or its deadline has passed.
     *
     * @param task          the task header
     * @param payload       the sub-model blob (AFDT)
     * @param bytesReceived wire bytes of the task's envelopes
     */
    public Outcome handle(ClientTask task, byte[] payload, long bytesReceived) {
        if (!id.equals(task.clientId())) {
            throw new IllegalArgumentException("task for " + task.clientId() + " delivered to " + id);
        }
        String key = task.experimentId() + "/" + task.round();
        ModelSpec spec = task.modelSpec();
        String stateKey = task.experimentId() + "|" + spec;
        ClientOptimizerState state = states.computeIfAbsent(stateKey, k -> restore(task.experimentId(), spec, k));
        if (done.contains(key) || System.currentTimeMillis() > task.deadlineMillis()) {
            return null; // already answered, or too late to count: the server would reject it as stale
        }
        SubModelLayout layout = new SubModelLayout(spec, task.parsedSelection());
        ClientStep.Result step = this.step.run(
                layout,
                payload,
                data.features(),
                data.labels(),
                task.train().toLocalTask(task.round(), task.uplinkSpec()),
                state);
        LocalResult r = step.local();
        long trainMillis = step.trainNanos() / 1_000_000;
        byte[] blob = step.uplinkBlob();
        ClientUpdate update = ClientUpdate.answering(
                task, r.numSamples(), r.trainLoss(), r.initialLoss(), trainMillis, bytesReceived);
        List<byte[]> envelopes = chunker.encode(MessageType.CLIENT_UPDATE, update, blob, signingKey);
        long bytes = envelopes.stream().mapToLong(b -> b.length).sum();
        done.add(key);
        if (done.size() > MAX_REMEMBERED_TASKS) {
            done.remove(done.iterator().next());
        }
        answered.computeIfAbsent(stateKey, k -> new LinkedHashSet<>()).add(task.round());
        return new Outcome(update, envelopes, bytes, r);
    }

    /** The saved state of an experiment and model, or a fresh one; its answered rounds count as done. */
    private ClientOptimizerState restore(String experimentId, ModelSpec spec, String stateKey) {
        if (store != null) {
            var saved = store.load(id, experimentId, spec);
            if (saved.isPresent()) {
                answered.put(stateKey, new LinkedHashSet<>(saved.get().answeredRounds()));
                saved.get().answeredRounds().forEach(r -> done.add(experimentId + "/" + r));
                if (saved.get().state() != null) {
                    return saved.get().state();
                }
            }
        }
        return new ClientOptimizerState(spec);
    }

    /**
     * Saves, after the task's update was acknowledged, what this client must remember of it: the answered round, and
     * for stateful DGC the momentum and residual. Without a state directory it does nothing.
     */
    public void committed(ClientTask task) {
        if (store == null) {
            return;
        }
        ModelSpec spec = task.modelSpec();
        String stateKey = task.experimentId() + "|" + spec;
        boolean stateful = task.train().toTrainConfig().dgc().keepsClientState();
        store.save(
                id,
                task.experimentId(),
                spec,
                answered.getOrDefault(stateKey, Set.of()),
                stateful ? states.get(stateKey) : null);
    }
}
