package io.afd.aggregator;

import io.afd.infra.testing.SharedInfra;
import io.afd.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Aggregator test settings next to {@code InfraTestResource} (real Kafka and PostgreSQL): a fixed free HTTP
 * port so the REST clients can reach the in-test peers ({@code fake.FakePeersResource}: a registry that
 * follows the model registry's contract with blobs in memory, and the orchestrator's secret endpoint), a
 * fresh consumer group, static client secrets, small caps and a short reassembly age.
 *
 * <p>The real model registry is covered by the suite's end-to-end test; here the aggregator's own logic is
 * under test.
 */
public class AggregatorTestResource implements QuarkusTestResourceLifecycleManager {
    /** Clients with a static secret in the configuration. */
    public static final List<String> STATIC_CLIENTS = List.of(
            "client-a",
            "client-b",
            "client-c",
            "client-d",
            "client-e",
            "client-f",
            "client-g",
            "client-h",
            "client-i",
            "client-j",
            "client-k",
            "client-l",
            "client-m",
            "client-n",
            "client-o",
            "client-p",
            "client-x");
    /** Known only to the (fake) orchestrator. */
    public static final String REMOTE_CLIENT = "client-remote";
    /** Known only to the (fake) orchestrator, enrolled with 20 samples. */
    public static final String GREEDY_CLIENT = "client-greedy";
    /** The fake orchestrator's clients and the sample counts they enrolled with. */
    /** Known only to the (fake) orchestrator, which revokes its key during a test. */
    public static final String REVOKED_CLIENT = "client-revoked";

    public static final Map<String, Integer> REMOTE_CLIENTS =
            Map.of(REMOTE_CLIENT, 100, GREEDY_CLIENT, 20, REVOKED_CLIENT, 100);
    /** afd.aggregator.max-update-bytes in tests. */
    public static final int MAX_UPDATE_BYTES = 64 * 1024;

    @Override
    public Map<String, String> start() {
        SharedInfra.get().createTopics(Topics.UPDATES, Topics.DEAD_LETTER, Topics.ROUNDS);
        int port = freePort();
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.http.test-port", Integer.toString(port));
        String self = "http://127.0.0.1:" + port;
        p.put("quarkus.rest-client.registry.url", self);
        p.put("quarkus.rest-client.orchestrator.url", self);
        p.put("mp.messaging.incoming.updates.group.id", "afd-aggregator-test-" + UUID.randomUUID());
        p.put("afd.server-key", TestKeys.SERVER.seedText());
        for (String c : STATIC_CLIENTS) {
            p.put("afd.client-keys.static." + c, TestKeys.publicText(c));
        }
        p.put("afd.aggregator.max-update-bytes", Integer.toString(MAX_UPDATE_BYTES));
        p.put("afd.aggregator.reassembly.max-age", "3s");
        p.put("afd.aggregator.reassembly.eviction-interval", "300ms");
        p.put("afd.aggregator.retry-backoff", "200ms");
        p.put("afd.aggregator.unknown-client-ttl", "1s"); // the key before services/common: still read
        return p;
    }

    @Override
    public void stop() {
        // nothing: SharedInfra stops at JVM exit
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
