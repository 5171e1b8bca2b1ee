package io.afd.edge;

import io.afd.core.data.FederatedDataset;
import io.afd.core.round.Client;
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Many simulated edge clients in one JVM against the real suite: client k is {@link Client#idOf(int)} with
 * partition k of the experiment's data (the same split the in-process simulator uses), each with its own Ed25519
 * key kept in a key directory ({@link ClientIdentity}) and its own Kafka login (it reads only its own task topic), served by one
 * {@link KafkaEdgeRuntime}. A client the
 * orchestrator does not know is registered; one without a key here gets a new enrolment token and enrols a fresh
 * key (the admin token does both); one with a key here reuses it. Clients train one at a time: ND4J already uses
 * every core.
 */
public final class Fleet implements AutoCloseable {
    private final KafkaEdgeRuntime runtime;
    private final Thread thread;

    private Fleet(KafkaEdgeRuntime runtime) {
        this.runtime = runtime;
        this.thread = new Thread(runtime::run, "edge-fleet");
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) ->
                org.slf4j.LoggerFactory.getLogger(Fleet.class).error("edge fleet stopped: {}", e.toString(), e));
    }

    /**
     * Registers and enrols (or reuses) every client of the data set and starts serving tasks.
     *
     * @param data             the federated data (client k = partition k)
     * @param orchestrator     management API, with an admin token
     * @param bootstrapServers Kafka, or null for the address the enrolment gave
     * @param keyDir           where the clients' keys and Kafka logins are kept
     * @param listener         progress callback, may be null
     */
    public static Fleet start(
            FederatedDataset data,
            OrchestratorApi orchestrator,
            String bootstrapServers,
            Path keyDir,
            KafkaEdgeRuntime.Listener listener) {
        List<ClientIdentity> ids = new ArrayList<>();
        for (int k = 0; k < data.numClients(); k++) {
            ClientIdentity id =
                    identity(orchestrator, Client.idOf(k), data.client(k).size(), keyDir);
            ids.add(bootstrapServers == null ? id : id.withBootstrap(bootstrapServers));
        }
        KafkaEdgeRuntime rt = new KafkaEdgeRuntime(ids.get(0).serverLookup(), listener, 1);
        RuntimeCache runtimes = new RuntimeCache(4);
        Chunker chunker = new Chunker();
        for (int k = 0; k < data.numClients(); k++) {
            ClientIdentity id = ids.get(k);
            rt.host(
                    new EdgeClient(id.clientId(), id.key(), data.client(k), runtimes, chunker, keyDir.resolve("state")),
                    id.kafka());
        }
        Fleet f = new Fleet(rt);
        f.thread.start();
        return f;
    }

    private static ClientIdentity identity(OrchestratorApi orchestrator, String id, int samples, Path keyDir) {
        boolean registered = orchestrator.clientExists(id);
        if (registered && ClientIdentity.exists(keyDir, id)) {
            return ClientIdentity.load(keyDir, id);
        }
        try {
            // a key of a client the orchestrator no longer knows (a fresh database) is of no use
            Files.deleteIfExists(keyDir.resolve(id + ".key"));
            Files.deleteIfExists(keyDir.resolve(id + ".kafka"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String token = registered ? orchestrator.newEnrolmentToken(id) : orchestrator.register(id, samples);
        return ClientIdentity.enrol(orchestrator, id, token, keyDir);
    }

    public long tasksDone() {
        return runtime.tasksDone();
    }

    public long rejected() {
        return runtime.rejected();
    }

    /** Per client, what its Kafka consumer fetched so far. */
    public java.util.Map<String, KafkaEdgeRuntime.Traffic> traffic() {
        return runtime.traffic();
    }

    @Override
    public void close() {
        runtime.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.close();
    }
}
