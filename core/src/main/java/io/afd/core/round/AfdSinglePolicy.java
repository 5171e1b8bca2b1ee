package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Single-Model AFD: one score map per experiment (key {@value #KEY}); every participant of a round
 * gets the same sub-model; the loss signal is the sample-weighted mean of the reporting clients'
 * losses, summed in client-id order so it does not depend on arrival order.
 */
public final class AfdSinglePolicy extends ScoreMapPolicy {
    /** Registered name. */
    public static final String NAME = "afd-single";
    /** The key of the experiment's one score map. */
    public static final String KEY = "global";

    /** Its factory. */
    public static final class Factory implements SelectionPolicy.Factory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public List<String> aliases() {
            return List.of("afd-sm", "single");
        }

        @Override
        public SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed) {
            return new AfdSinglePolicy(spec, settings, seed);
        }
    }

    AfdSinglePolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        super(spec, settings, seed);
    }

    @Override
    public List<String> mapKeys(List<String> clients) {
        return usesScoreMaps() ? List.of(KEY) : List.of();
    }

    @Override
    public Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps) {
        if (!usesScoreMaps()) {
            return whole(clients);
        }
        return FedAvgPolicy.everyone(clients, draw(maps, round, KEY));
    }

    @Override
    public List<ScoreUpdate> applyResults(int round, Map<String, Selection> selections, List<ClientReport> reports,
                                          Map<String, ScoreMap> maps) {
        if (!usesScoreMaps() || reports.isEmpty()) {
            return List.of();
        }
        List<ClientReport> sorted = new ArrayList<>(reports);
        sorted.sort(Comparator.comparing(ClientReport::clientId));
        double num = 0;
        double den = 0;
        for (ClientReport r : sorted) {
            num += signal(r) * r.numSamples();
            den += r.numSamples();
        }
        ScoreMap m = map(maps, KEY);
        // the loss was measured on this round's selection: make it the map's current one
        m.setCurrent(trained(selections, reports.get(0).clientId()));
        return List.of(new ScoreUpdate(KEY, round, m.observe(num / den)));
    }
}
