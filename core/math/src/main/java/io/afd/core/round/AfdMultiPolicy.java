package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-Model AFD: one score map per client (keyed by client id); each participant gets its own
 * sub-model and its map is scored by its own local loss.
 */
public final class AfdMultiPolicy extends ScoreMapPolicy {
    /** Registered name. */
    public static final String NAME = "afd-multi";

    AfdMultiPolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        super(spec, settings, seed);
    }

    @Override
    protected List<String> keys(List<String> clients) {
        return List.copyOf(clients);
    }

    @Override
    protected Map<String, Selection> select(int round, List<String> clients, Map<String, ScoreMap> maps) {
        Map<String, Selection> out = new LinkedHashMap<>();
        for (String c : clients) {
            out.put(c, draw(maps, round, c));
        }
        return out;
    }

    @Override
    protected List<ScoreUpdate> score(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps) {
        List<ScoreUpdate> updates = new ArrayList<>();
        for (ClientReport r : reports) {
            updates.add(observe(maps, round, r.clientId(), selections, r.clientId(), signal(r)));
        }
        return updates;
    }
}
