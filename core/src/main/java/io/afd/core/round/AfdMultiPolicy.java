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

    /** Its factory. */
    public static final class Factory implements SelectionPolicy.Factory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public List<String> aliases() {
            return List.of("afd-mm", "multi");
        }

        @Override
        public SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed) {
            return new AfdMultiPolicy(spec, settings, seed);
        }
    }

    AfdMultiPolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        super(spec, settings, seed);
    }

    @Override
    public List<String> mapKeys(List<String> clients) {
        return usesScoreMaps() ? List.copyOf(clients) : List.of();
    }

    @Override
    public Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps) {
        if (!usesScoreMaps()) {
            return whole(clients);
        }
        Map<String, Selection> out = new LinkedHashMap<>();
        for (String c : clients) {
            out.put(c, draw(maps, round, c));
        }
        return out;
    }

    @Override
    public List<ScoreUpdate> applyResults(int round, Map<String, Selection> selections, List<ClientReport> reports,
                                          Map<String, ScoreMap> maps) {
        List<ScoreUpdate> updates = new ArrayList<>();
        if (!usesScoreMaps()) {
            return updates;
        }
        for (ClientReport r : reports) {
            ScoreMap m = map(maps, r.clientId());
            m.setCurrent(trained(selections, r.clientId()));
            updates.add(new ScoreUpdate(r.clientId(), round, m.observe(signal(r))));
        }
        return updates;
    }
}
