package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Federated Dropout (Caldas et al. 2018, arXiv 1812.07210): a fresh uniform random sub-model per
 * client per round, keeping k = max(1, round((1-d)·n)) units of every droppable layer; no score maps.
 */
public final class RandomFdPolicy extends MapFreePolicy {
    /** Registered name. */
    public static final String NAME = "random-fd";

    private final ModelSpec spec;
    private final long seed;

    RandomFdPolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        super(settings);
        this.spec = spec;
        this.seed = seed;
    }

    @Override
    public Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps) {
        double d = settings().dropoutRate();
        if (d == 0) {
            return everyone(clients, Selection.full(spec));
        }
        Map<String, Selection> out = new LinkedHashMap<>();
        for (String c : clients) {
            // a fresh map has no history: its next selection is uniform
            out.put(c, new ScoreMap(spec).nextSelection(d, false, settings().eps(), PolicyRandom.of(seed, round, c)));
        }
        return out;
    }
}
