package io.afd.core.round;

import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.List;
import java.util.Map;

/** What the policies without score maps share: nothing to load, nothing learnt from results. */
abstract class MapFreePolicy implements SelectionPolicy {
    private final SelectionSettings settings;

    MapFreePolicy(SelectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public SelectionSettings settings() {
        return settings;
    }

    @Override
    public boolean usesScoreMaps() {
        return false;
    }

    @Override
    public List<String> mapKeys(List<String> clients) {
        return List.of();
    }

    @Override
    public List<ScoreUpdate> applyResults(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps) {
        return List.of();
    }

    /** Every client gets {@code s}. */
    static Map<String, Selection> everyone(List<String> clients, Selection s) {
        Map<String, Selection> out = new java.util.LinkedHashMap<>();
        clients.forEach(c -> out.put(c, s));
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + settings;
    }
}
