package io.afd.edge;

import io.afd.core.data.Dataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import io.afd.protocol.Secrets;
import java.nio.file.Path;

/**
 * One edge client as its own process, Kafka only: it serves its tasks until stopped.
 *
 * <pre>
 * EdgeClientMain --bootstrap HOST:PORT --id client-00007 --secret BASE64URL --config experiment.yaml
 * </pre>
 * Its local data is partition k of the experiment's data set, k being the number its id ends with
 * (the same split the simulator and the fleet use); the id and secret come from registering with
 * the orchestrator ({@code POST /api/clients}).
 */
public final class EdgeClientMain {
    private EdgeClientMain() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        String id = null;
        String secret = null;
        Path config = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--id" -> id = args[i + 1];
                case "--secret" -> secret = args[i + 1];
                case "--config" -> config = Path.of(args[i + 1]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + " (--bootstrap, --id, --secret, --config)");
            }
        }
        if (bootstrap == null || id == null || secret == null || config == null || args.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "usage: --bootstrap HOST:PORT --id CLIENT_ID --secret SECRET --config FILE");
        }
        int k = Integer.parseInt(id.replaceAll("^.*?(\\d+)$", "$1"));
        ExperimentConfig cfg = ExperimentConfig.load(config);
        Dataset local = DataLoader.load(cfg.dataset(), cfg.seed()).client(k);
        byte[] key = Secrets.decode(secret);
        KafkaEdgeRuntime rt = new KafkaEdgeRuntime(
                bootstrap,
                "afd-edge-" + id,
                (c, out, ms) -> System.err.printf(
                        "%s: round %d of %s trained on %d samples, loss %.4f, update %d bytes (%d ms)%n",
                        c.id(),
                        out.update().round(),
                        out.update().experimentId(),
                        out.update().numSamples(),
                        out.update().trainLoss(),
                        out.uplinkBytes(),
                        ms));
        rt.host(new EdgeClient(id, key, local, new RuntimeCache(2), new Chunker()), key);
        Runtime.getRuntime().addShutdownHook(new Thread(rt::stop));
        System.err.printf("%s: %d local samples, listening on %s%n", id, local.size(), bootstrap);
        rt.run();
        rt.close();
    }
}
