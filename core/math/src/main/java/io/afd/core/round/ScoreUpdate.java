package io.afd.core.round;

import io.afd.core.scoremap.ScoreMap;

/**
 * A score-map change caused by a round.
 *
 * @param mapKey      the map ({@link AfdSinglePolicy#KEY} or a client id)
 * @param round       the round whose loss caused it
 * @param observation what changed
 */
public record ScoreUpdate(String mapKey, int round, ScoreMap.Observation observation) {}
