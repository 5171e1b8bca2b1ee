package io.afd.scoremap.mapping;

import io.afd.scoremap.ScoreUpdateRecord;

/**
 * API view of one score update ({@code io.afd.core.round.ScoreUpdate}).
 *
 * @param mapKey       the score map
 * @param round        the round whose loss was observed
 * @param previousLoss l_{t-1}, null on the map's first observation
 * @param loss         l_t
 * @param increment    added to the score of every unit of the scored selection (0 unless the loss fell)
 * @param reuse        whether the map keeps the selection for its next round
 * @param selectionId  id of the scored selection
 */
public record ScoreUpdateView(
        String mapKey,
        int round,
        Double previousLoss,
        double loss,
        double increment,
        boolean reuse,
        String selectionId) {

    public static ScoreUpdateView of(ScoreUpdateRecord r) {
        return new ScoreUpdateView(r.mapKey, r.round, r.previousLoss, r.loss, r.increment, r.reuse, r.selectionId);
    }
}
