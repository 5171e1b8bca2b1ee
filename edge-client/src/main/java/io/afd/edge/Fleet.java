package io.afd.edge;

import io.afd.core.data.FederatedDataset;
import io.afd.core.round.Client;
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import io.afd.protocol.Secrets;

/**
 * Many simulated edge clients in one JVM against the real suite: client k is
 * {@link Client#idOf(int)} with partition k of the experiment's data (the same split the
 * in-process simulator uses), registered with the orchestrator (or re-using its registration),
 * served by one {@link KafkaEdgeRuntime}. Clients train one at a time: ND4J already uses every core.
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
     * Registers (or looks up) every client of the data set and starts serving tasks.
     *
     * @param data             the federated data (client k = partition k)
     * @param orchestrator     management API
     * @param bootstrapServers Kafka
     * @param groupId          consumer group of this fleet
     * @param listener         progress callback, may be null
     */
    public static Fleet start(
            FederatedDataset data,
            OrchestratorApi orchestrator,
            String bootstrapServers,
            String groupId,
            KafkaEdgeRuntime.Listener listener) {
        KafkaEdgeRuntime rt = new KafkaEdgeRuntime(bootstrapServers, groupId, listener);
        RuntimeCache runtimes = new RuntimeCache(4);
        Chunker chunker = new Chunker();
        for (int k = 0; k < data.numClients(); k++) {
            String id = Client.idOf(k);
            int n = data.client(k).size();
            String secret = orchestrator.clientExists(id) ? orchestrator.secret(id) : orchestrator.register(id, n);
            byte[] key = Secrets.decode(secret);
            rt.host(new EdgeClient(id, key, data.client(k), runtimes, chunker), key);
        }
        Fleet f = new Fleet(rt);
        f.thread.start();
        return f;
    }

    public long tasksDone() {
        return runtime.tasksDone();
    }

    public long rejected() {
        return runtime.rejected();
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
