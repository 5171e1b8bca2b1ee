package io.afd.protocol.api;

import java.util.List;

/** Orchestrator to score-map: the accepted results of a round, to update the score maps. */
public record RoundResults(List<io.afd.protocol.RoundEvent.ClientResult> results) {}
