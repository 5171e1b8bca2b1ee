package io.afd.core.round;

import io.afd.core.model.ModelSpec;
import io.afd.core.scoremap.ScoreMap;
import io.afd.core.submodel.Selection;
import java.util.List;
import java.util.Map;

/**
 * What the Adaptive Federated Dropout policies share (Bouacida et al., INFOCOM Workshops 2021,
 * arXiv 2011.04050): activation score maps, a loss signal per map, and the selection rule of
 * {@link ScoreMap#nextSelection} (uniform the first time; the same selection again after the loss
 * fell, with its units' scores raised by the relative drop; else weighted sampling by score + eps,
 * or the deterministic top-k variant when {@code topK} is set). A dropout rate of 0 trains the
 * whole model and keeps no maps.
 */
abstract class ScoreMapPolicy implements SelectionPolicy {
    protected final ModelSpec spec;
    protected final SelectionSettings settings;
    private final long seed;

    ScoreMapPolicy(ModelSpec spec, SelectionSettings settings, long seed) {
        this.spec = spec;
        this.settings = settings;
        this.seed = seed;
    }

    @Override
    public SelectionSettings settings() {
        return settings;
    }

    @Override
    public boolean usesScoreMaps() {
        return settings.dropoutRate() > 0;
    }

    /** The draw of map {@code key} for a round. */
    protected Selection draw(Map<String, ScoreMap> maps, int round, String key) {
        return map(maps, key).nextSelection(settings.dropoutRate(), settings.topK(), settings.eps(),
                PolicyRandom.of(seed, round, key));
    }

    protected ScoreMap map(Map<String, ScoreMap> maps, String key) {
        return maps.computeIfAbsent(key, k -> new ScoreMap(spec));
    }

    /** The report's loss signal. */
    protected double signal(ClientReport r) {
        double l = settings.lossSignal() == LossSignal.INITIAL ? r.initialLoss() : r.trainLoss();
        if (!Double.isFinite(l)) {
            throw new IllegalArgumentException("client " + r.clientId() + " reported a non-finite "
                    + settings.lossSignal().label() + " loss: " + l);
        }
        return l;
    }

    /** What client {@code clientId} trained this round. */
    protected static Selection trained(Map<String, Selection> selections, String clientId) {
        Selection s = selections.get(clientId);
        if (s == null) {
            throw new IllegalArgumentException("client " + clientId + " reported without a selection");
        }
        return s;
    }

    protected Map<String, Selection> whole(List<String> clients) {
        return FedAvgPolicy.everyone(clients, Selection.full(spec));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + settings;
    }
}
