package io.afd.protocol.api;

import java.util.Map;

/**
 * Orchestrator to aggregator: open a round.
 *
 * @param architecture   global model spec
 * @param baseVersion    registry version the deltas apply to
 * @param participants   client id -> canonical selection it trains
 * @param deadlineEpochMs when the round closes at the latest
 */
public record AggregationRound(
        String architecture, int baseVersion, Map<String, String> participants, long deadlineEpochMs) {}
