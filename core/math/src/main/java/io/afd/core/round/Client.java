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
     * The data-partition index a client id ends with ({@code client-00042} is 42): the fleet, the
     * simulator and the orchestrator's pool give client k partition k.
     *
     * @throws IllegalArgumentException when the id does not end with digits, or they exceed
     *     {@link Integer#MAX_VALUE}
     */
    public static int indexOf(String id) {
        int i = id.length();
        while (i > 0 && Character.isDigit(id.charAt(i - 1)) && id.charAt(i - 1) < 0x80) {
            i--;
        }
        if (i == id.length()) {
            throw new IllegalArgumentException(
                    "client id '" + id + "' must end with its data-partition index (for example client-00042)");
        }
        try {
            return Integer.parseInt(id.substring(i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "client id '" + id + "' ends with a partition index above " + Integer.MAX_VALUE);
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
