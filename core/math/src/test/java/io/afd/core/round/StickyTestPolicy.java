package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only policy, registered in {@code META-INF/services} of the test class path: each client
 * draws one uniform sub-model the first time and keeps it for good; its map (key
 * {@code sticky/<client>}) records the losses. It shows that a policy is one class plus one
 * registration line, and that the simulator and the score-map service need nothing else.
 */
public final class StickyTestPolicy extends ScoreMapPolicy {
    public static final String NAME = "sticky-test";

    public static final class Factory implements SelectionPolicy.Factory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed) {
            return new StickyTestPolicy(spec, settings, seed);
        }
    }

    StickyTestPolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        super(spec, settings, seed);
    }

    public static String key(String client) {
        return "sticky/" + client;
    }

    @Override
    protected List<String> keys(List<String> clients) {
        return clients.stream().map(StickyTestPolicy::key).toList();
    }

    @Override
    protected Map<String, Selection> select(int round, List<String> clients, Map<String, ScoreMap> maps) {
        Map<String, Selection> out = new LinkedHashMap<>();
        for (String c : clients) {
            ScoreMap m = map(maps, key(c));
            out.put(c, m.current() != null ? m.current() : draw(maps, round, key(c)));
        }
        return out;
    }

    @Override
    protected List<ScoreUpdate> score(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps) {
        List<ScoreUpdate> out = new ArrayList<>();
        for (ClientReport r : reports) {
            out.add(observe(maps, round, key(r.clientId()), selections, r.clientId(), signal(r)));
        }
        return out;
    }
}
