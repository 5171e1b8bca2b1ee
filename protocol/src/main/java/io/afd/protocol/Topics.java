package io.afd.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Kafka topics, record keys and partitioning of the suite.
 *
 * <table>
 * <caption>Topics</caption>
 * <tr><th>topic</th><th>direction</th><th>record key (UTF-8)</th><th>value</th></tr>
 * <tr><td>{@code afd.tasks.<clientId>} ({@link #clientTasksTopic})</td><td>packager &rarr; that client</td><td>clientId</td><td>{@link ClientTask} envelopes</td></tr>
 * <tr><td>{@value #UPDATES}</td><td>client &rarr; aggregator</td><td>clientId</td><td>{@link ClientUpdate} envelopes</td></tr>
 * <tr><td>{@value #ROUNDS}</td><td>services &rarr; services</td><td>experimentId</td><td>{@link RoundEvent} envelopes</td></tr>
 * <tr><td>{@value #DEAD_LETTER}</td><td>services &rarr; operators</td><td>the rejected record's key, unchanged</td><td>{@link DeadLetter} envelopes</td></tr>
 * </table>
 *
 * <p>Each client's tasks have their own topic (one partition), created by the orchestrator when the client enrols;
 * the broker's ACLs let only that client read it (ADR 0017, {@code io.afd.kafka.Grants}). Records are partitioned by
 * key with Kafka's default partitioner ({@link #partitionFor}): all of a client's updates and their chunks land on
 * one partition, in order, and all events of an experiment on one partition, in order. Record headers are not used:
 * everything travels in the signed value. A client must still check, after verifying the signature, that a task's
 * {@code clientId} is its own.
 */
public final class Topics {
    /** The stem of the per-client task topics ({@link #clientTasksTopic}); no topic of this name is used. */
    public static final String TASKS = "afd.tasks";

    public static final String UPDATES = "afd.updates";
    public static final String ROUNDS = "afd.rounds";
    public static final String DEAD_LETTER = "afd.dead-letter";
    /** Prefix of per-client task topics. */
    public static final String CLIENT_TASKS_PREFIX = TASKS + ".";

    private Topics() {}

    /** Per-client task topic {@code afd.tasks.<clientId>} (client ids are valid topic-name characters). */
    public static String clientTasksTopic(String clientId) {
        return CLIENT_TASKS_PREFIX + Check.id(clientId, "clientId");
    }

    /**
     * The record key a message is produced with: clientId for tasks and updates, experimentId for round
     * events; {@code null} for dead letters, which reuse the rejected record's key bytes unchanged.
     */
    public static String keyFor(Message m) {
        Objects.requireNonNull(m, "message");
        if (m instanceof ClientTask t) {
            return t.clientId();
        }
        if (m instanceof ClientUpdate u) {
            return u.clientId();
        }
        if (m instanceof RoundEvent r) {
            return r.experimentId();
        }
        return null;
    }

    /** The partition Kafka's default partitioner picks for a key: {@code (murmur2(utf8(key)) & 0x7fffffff) % n}. */
    public static int partitionFor(String key, int numPartitions) {
        Objects.requireNonNull(key, "key");
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be >= 1, got " + numPartitions);
        }
        return (murmur2(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % numPartitions;
    }

    /** Kafka's 32-bit murmur2 (seed 0x9747b28c), as {@code org.apache.kafka.common.utils.Utils.murmur2}. */
    @SuppressWarnings("fallthrough")
    public static int murmur2(byte[] data) {
        int length = data.length;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = 0x9747b28c ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff)
                    + ((data[i4 + 1] & 0xff) << 8)
                    + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length % 4) {
            case 3:
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
            case 2:
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
            case 1:
                h ^= data[length & ~3] & 0xff;
                h *= m;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
