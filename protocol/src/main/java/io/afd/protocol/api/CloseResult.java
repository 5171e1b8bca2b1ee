package io.afd.protocol.api;

import java.util.List;

/** Aggregator's answer to closing a round: the new version and who contributed. */
public record CloseResult(int modelVersion, List<io.afd.protocol.RoundEvent.ClientResult> results, int rejected) {}
