package io.afd.scoremap.mapping;

import io.afd.protocol.api.SelectionRef;
import io.afd.scoremap.ScoreMapState;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * API view of a score map.
 *
 * @param key          {@code global} (Single-Model) or the client id (Multi-Model)
 * @param scores       current score per unit, per droppable layer (model order)
 * @param lastLoss     the last loss signal observed, null before the first
 * @param current      the map's current selection, null before the first
 * @param reuse        whether the next round keeps {@code current}
 * @param observations number of loss signals observed
 * @param updatedRound the last round that changed the map
 * @param updatedAt    when it changed
 */
public record ScoreMapView(
        String key,
        Map<String, double[]> scores,
        Double lastLoss,
        SelectionRef current,
        boolean reuse,
        int observations,
        Integer updatedRound,
        OffsetDateTime updatedAt) {

    public static ScoreMapView of(ScoreMapState s) {
        return new ScoreMapView(
                s.mapKey,
                ScoresJson.read(s.scores),
                s.lastLoss,
                s.currentSelection == null ? null : new SelectionRef(s.currentId, s.currentSelection),
                s.reuse,
                s.observations,
                s.updatedRound,
                s.updatedAt);
    }
}
