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
}
