package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.List;
import java.util.Map;

/**
 * Plain FedAvg (McMahan et al., AISTATS 2017): every client trains the whole model; no score maps.
 * The dropout rate is ignored.
 */
public final class FedAvgPolicy extends MapFreePolicy {
    /** Registered name. */
    public static final String NAME = "fedavg";

    private final Selection full;

    FedAvgPolicy(ModelSpec spec, SelectionSettings settings) {
        super(settings);
        this.full = Selection.full(spec);
    }

    @Override
    public Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps) {
        return everyone(clients, full);
    }
}
