package io.afd.protocol.api;

import java.util.Map;

/**
 * Orchestrator to aggregator: open a round.
 *
 * @param architecture   global model spec
 * @param baseVersion    registry version the deltas apply to
 * @param participants   client id -> canonical selection it trains
 * @param deadlineEpochMs when the round closes at the latest
 * @param uplink          the uplink codec the round's tasks name (e.g. {@code sparse-f32}): an update whose
 *                        tensors use another encoding is refused before decoding; null admits any encoding
 */
public record AggregationRound(
        String architecture, int baseVersion, Map<String, String> participants, long deadlineEpochMs, String uplink) {}
