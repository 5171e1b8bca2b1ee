package io.afd.core.round;

import java.util.Objects;

/**
 * A client of the pool.
 *
 * @param id    its id (the key of its Kafka records)
 * @param index the number that selects its data partition and its per-client seeds
 */
public record Client(String id, int index) {
    public Client {
        Objects.requireNonNull(id, "id");
        if (index < 0) {
            throw new IllegalArgumentException("client index must be >= 0, got " + index + " for " + id);
        }
    }

    /**
     * The id the simulator and the edge-client fleet give client {@code k} ("client-" and five
     * digits): stable across processes, sorts like the indices, and ends in the index the
     * orchestrator's pool reads back.
     */
    public static String idOf(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("client index must be >= 0, got " + k);
        }
        return String.format("client-%05d", k);
    }
}
