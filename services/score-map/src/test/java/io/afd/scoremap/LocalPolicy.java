package io.afd.scoremap;

import io.afd.core.round.ClientReport;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.round.SelectionPolicy;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A policy with its score maps in memory, as the simulator's in-process federation runs it. */
final class LocalPolicy {
    private final SelectionPolicy policy;
    private final Map<String, ScoreMap> maps = new LinkedHashMap<>();
    private Map<String, Selection> last = Map.of();

    LocalPolicy(SelectionPolicy policy) {
        this.policy = policy;
    }

    Map<String, Selection> configureRound(int round, List<String> clients) {
        last = policy.configureRound(round, clients, maps);
        return last;
    }

    List<ScoreUpdate> onRoundResults(int round, List<ClientReport> reports) {
        return policy.applyResults(round, last, reports, maps);
    }

    /** Installs a persisted score map (a restarted simulator). */
    void putScoreMap(String key, ScoreMap map) {
        maps.put(key, map);
    }

    Map<String, ScoreMap> scoreMaps() {
        return maps;
    }
}
