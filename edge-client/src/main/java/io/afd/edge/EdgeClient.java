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

    /**
     * @param id       client id (the key of its Kafka records)
     * @param key      its Ed25519 key, the one it enrolled
     * @param data     its local training data
     * @param runtimes ND4J graphs, shared by clients of the same thread
     * @param chunker  how large updates are split
     */
    public EdgeClient(String id, SigningKey key, Dataset data, RuntimeCache runtimes, Chunker chunker) {
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
        if (done.contains(key) || System.currentTimeMillis() > task.deadlineMillis()) {
            return null; // already answered, or too late to count: the server would reject it as stale
        }
        ModelSpec spec = task.modelSpec();
        SubModelLayout layout = new SubModelLayout(spec, task.parsedSelection());
        ClientOptimizerState state =
                states.computeIfAbsent(task.experimentId() + "|" + spec, k -> new ClientOptimizerState(spec));
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
        return new Outcome(update, envelopes, bytes, r);
    }
}
