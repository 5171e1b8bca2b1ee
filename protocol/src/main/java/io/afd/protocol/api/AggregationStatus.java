package io.afd.protocol.api;

/**
 * Aggregator's view of a round.
 *
 * @param state        OPEN or CLOSED
 * @param participants expected clients
 * @param received     accepted updates
 * @param rejected     rejected messages recorded for the round
 * @param modelVersion the version written at close, or null
 */
public record AggregationStatus(String state, int participants, int received, int rejected, Integer modelVersion) {}
