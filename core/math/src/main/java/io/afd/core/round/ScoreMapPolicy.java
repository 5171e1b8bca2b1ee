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
 * whole model and keeps no maps. Subclasses say which maps ({@link #keys}), how they select
 * ({@link #select}) and how they score ({@link #score}).
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

    /** The maps a round of these clients uses. */
    protected abstract List<String> keys(List<String> clients);

    /** The selections, with a positive dropout rate. */
    protected abstract Map<String, Selection> select(int round, List<String> clients, Map<String, ScoreMap> maps);

    /** The score updates of a non-empty list of reports, with a positive dropout rate. */
    protected abstract List<ScoreUpdate> score(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps);

    @Override
    public final SelectionSettings settings() {
        return settings;
    }

    @Override
    public final boolean usesScoreMaps() {
        return settings.dropoutRate() > 0;
    }

    @Override
    public final List<String> mapKeys(List<String> clients) {
        return usesScoreMaps() ? keys(clients) : List.of();
    }

    @Override
    public final Map<String, Selection> configureRound(int round, List<String> clients, Map<String, ScoreMap> maps) {
        return usesScoreMaps() ? select(round, clients, maps) : MapFreePolicy.everyone(clients, Selection.full(spec));
    }

    @Override
    public final List<ScoreUpdate> applyResults(
            int round, Map<String, Selection> selections, List<ClientReport> reports, Map<String, ScoreMap> maps) {
        return usesScoreMaps() && !reports.isEmpty() ? score(round, selections, reports, maps) : List.of();
    }

    /** The draw of map {@code key} for a round. */
    protected Selection draw(Map<String, ScoreMap> maps, int round, String key) {
        return map(maps, key)
                .nextSelection(
                        settings.dropoutRate(), settings.topK(), settings.eps(), PolicyRandom.of(seed, round, key));
    }

    protected ScoreMap map(Map<String, ScoreMap> maps, String key) {
        return maps.computeIfAbsent(key, k -> new ScoreMap(spec));
    }

    /** Scores map {@code key} with one loss, measured on the selection {@code clientId} trained. */
    protected ScoreUpdate observe(
            Map<String, ScoreMap> maps,
            int round,
            String key,
            Map<String, Selection> selections,
            String clientId,
            double loss) {
        Selection s = selections.get(clientId);
        if (s == null) {
            throw new IllegalArgumentException("client " + clientId + " reported without a selection");
        }
        ScoreMap m = map(maps, key);
        m.setCurrent(s);
        return new ScoreUpdate(key, round, m.observe(loss));
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

    @Override
    public String toString() {
        return getClass().getSimpleName() + settings;
    }
}
