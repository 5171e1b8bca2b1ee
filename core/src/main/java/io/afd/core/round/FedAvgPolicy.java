package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain FedAvg (McMahan et al., AISTATS 2017): every client trains the whole model; no score maps.
 * The dropout rate is ignored.
 */
public final class FedAvgPolicy implements SelectionPolicy {
    /** Registered name. */
    public static final String NAME = "fedavg";

    /** Its factory. */
    public static final class Factory implements SelectionPolicy.Factory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public boolean dropsUnits() {
            return false;
        }

        @Override
        public SelectionPolicy create(ModelSpec spec, SelectionSettings settings, long seed) {
            return new FedAvgPolicy(spec, settings);
        }
    }

    private final Selection full;
    private final SelectionSettings settings;

    FedAvgPolicy(ModelSpec spec, SelectionSettings settings) {
        this.full = Selection.full(spec);
        this.settings = settings;
    }

    /** Every client gets {@code full}; used by the policies whose dropout rate is 0 too. */
    static Map<String, Selection> everyone(List<String> clients, Selection full) {
        Map<String, Selection> out = new LinkedHashMap<>();
        clients.forEach(c -> out.put(c, full));
        return out;
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
    public Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps) {
        return everyone(clients, full);
    }

    @Override
    public List<ScoreUpdate> applyResults(int round, Map<String, Selection> selections, List<ClientReport> reports,
                                          Map<String, ScoreMap> maps) {
        return List.of();
    }

    @Override
    public String toString() {
        return "FedAvgPolicy" + settings;
    }
}
