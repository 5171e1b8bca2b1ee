package io.afd.edge;

import io.afd.core.data.Dataset;
import io.afd.core.round.Client;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.train.RuntimeCache;
import io.afd.protocol.Chunker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One edge client as its own process. First it enrols, once, with the one-time token an admin issued
 * ({@code POST /api/clients}, or {@code POST /api/clients/{id}/enrolment-tokens} for a new key): it generates its
 * Ed25519 key, which stays in the key directory, and keeps the services' public key. Then it serves its tasks over
 * Kafka until stopped.
 *
 * <pre>
 * EdgeClientMain enrol --orchestrator URL --id client-00007 --token ENROLMENT_TOKEN [--key-dir DIR]
 * EdgeClientMain run --id client-00007 --config experiment.yaml [--key-dir DIR] [--bootstrap HOST:PORT]
 * </pre>
 * The enrolment also gives the client its Kafka login (kept owner-only in the key directory), which reads only its
 * own task topic; {@code --bootstrap} overrides the broker address the enrolment named.
 * The key directory defaults to {@code .afd/edge-keys}. Its local data is partition k of the experiment's data
 * set, k being the number its id ends with (the same split the simulator and the fleet use).
 */
public final class EdgeClientMain {
    static final String DEFAULT_KEY_DIR = ".afd/edge-keys";

    private EdgeClientMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("enrol") || args[0].equals("run"))) {
            throw new IllegalArgumentException("usage: enrol --orchestrator URL --id CLIENT_ID --token TOKEN"
                    + " [--key-dir DIR] | run --id CLIENT_ID --config FILE [--key-dir DIR] [--bootstrap HOST:PORT]");
        }
        Map<String, String> opt = options(
                args,
                args[0].equals("enrol")
                        ? Set.of("orchestrator", "id", "token", "key-dir")
                        : Set.of("bootstrap", "id", "config", "key-dir"));
        Path keyDir = Path.of(opt.getOrDefault("key-dir", DEFAULT_KEY_DIR));
        String id = require(opt, "id");
        if (args[0].equals("enrol")) {
            ClientIdentity me = ClientIdentity.enrol(
                    OrchestratorApi.forEnrolment(require(opt, "orchestrator")), id, require(opt, "token"), keyDir);
            System.err.printf("%s: enrolled key %s; kept in %s%n", id, me.key().keyId(), keyDir);
            return;
        }
        run(id, opt.get("bootstrap"), Path.of(require(opt, "config")), keyDir);
    }

    private static void run(String id, String bootstrap, Path config, Path keyDir) throws java.io.IOException {
        ClientIdentity me = ClientIdentity.load(keyDir, id);
        if (bootstrap != null && !bootstrap.isBlank()) {
            me = me.withBootstrap(bootstrap);
        }
        int k = Client.indexOf(id);
        ExperimentConfig cfg = ExperimentConfig.load(config);
        Dataset local = DataLoader.load(cfg.dataset(), cfg.seed()).client(k);
        KafkaEdgeRuntime rt = new KafkaEdgeRuntime(
                me.serverLookup(),
                (c, out, ms) -> System.err.printf(
                        "%s: round %d of %s trained on %d samples, loss %.4f, update %d bytes (%d ms)%n",
                        c.id(),
                        out.update().round(),
                        out.update().experimentId(),
                        out.update().numSamples(),
                        out.update().trainLoss(),
                        out.uplinkBytes(),
                        ms),
                1);
        rt.host(
                new EdgeClient(id, me.key(), local, new RuntimeCache(2), new Chunker(), keyDir.resolve("state")),
                me.kafka());
        Runtime.getRuntime().addShutdownHook(new Thread(rt::stop));
        System.err.printf(
                "%s: key %s, %d local samples, reading %s at %s%n",
                id,
                me.key().keyId(),
                local.size(),
                io.afd.protocol.Topics.clientTasksTopic(id),
                me.kafka().bootstrapServers());
        rt.run();
        rt.close();
    }

    private static Map<String, String> options(String[] args, Set<String> known) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "bad option " + args[i] + " for " + args[0] + " (known: --" + String.join(", --", known) + ")");
            }
            m.put(name, args[i + 1]);
        }
        return m;
    }

    private static String require(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
