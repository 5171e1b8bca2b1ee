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

    AfdSinglePolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        super(spec, settings, seed);
    }

    @Override
    protected List<String> keys(List<String> clients) {
        return List.of(KEY);
    }

    @Override
    protected Map<String, Selection> select(int round, List<String> clients, Map<String, ScoreMap> maps) {
        return MapFreePolicy.everyone(clients, draw(maps, round, KEY));
    }

    @Override
    protected List<ScoreUpdate> score(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps) {
        List<ClientReport> sorted = new ArrayList<>(reports);
        sorted.sort(Comparator.comparing(ClientReport::clientId));
        double num = 0;
        double den = 0;
        for (ClientReport r : sorted) {
            num += signal(r) * r.numSamples();
            den += r.numSamples();
        }
        // every client trained the round's one selection
        return List.of(observe(maps, round, KEY, selections, reports.get(0).clientId(), num / den));
    }
}
