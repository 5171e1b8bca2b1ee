package io.afd.core.scoremap;

import io.afd.core.model.ModelSpec;
import io.afd.core.submodel.Selection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An activation score map (Bouacida et al., "Adaptive Federated Dropout", arXiv 2011.04050, §III):
 * one real score per unit of every droppable layer, initially 0, plus the last loss signal and the
 * last selection.
 *
 * <p>Protocol per round: {@link #nextSelection} gives the sub-model to train; once the round's loss
 * signal is known, {@link #observe} updates the map:
 * <ul>
 *   <li>no selection yet: uniform random selection (this is Federated Dropout);</li>
 *   <li>{@code l_t < l_{t-1}}: every unit of the last selection gets
 *       {@code score += (l_{t-1} - l_t) / l_{t-1}} and the same selection is reused;</li>
 *   <li>otherwise: a new selection per layer by weighted sampling without replacement with
 *       probability proportional to {@code score + eps} (Efraimidis–Spirakis keys), or, in the
 *       deterministic variant, the top-k scores (ties broken at random).</li>
 * </ul>
 * Not thread-safe.
 */
public final class ScoreMap {
    /** Default eps added to every score so unscored units stay reachable. */
    public static final double DEFAULT_EPS = 1e-3;

    private final LinkedHashMap<String, double[]> scores = new LinkedHashMap<>();
    private Double lastLoss;
    private Selection current;
    private boolean reuse;
    private int observations;

    public ScoreMap(ModelSpec spec) {
        for (String layer : spec.droppableLayers()) {
            scores.put(layer, new double[spec.units(layer)]);
        }
    }

    /** Restores a persisted map. */
    public ScoreMap(Map<String, double[]> scores, Double lastLoss, Selection current, boolean reuse, int observations) {
        scores.forEach((k, v) -> this.scores.put(k, v.clone()));
        this.lastLoss = lastLoss;
        this.current = current;
        this.reuse = reuse;
        this.observations = observations;
    }

    /** Scores of a layer (a copy). */
    public double[] scores(String layer) {
        double[] s = scores.get(layer);
        if (s == null) {
            throw new IllegalArgumentException("no layer " + layer);
        }
        return s.clone();
    }

    public Map<String, double[]> allScores() {
        LinkedHashMap<String, double[]> m = new LinkedHashMap<>();
        scores.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    public Double lastLoss() {
        return lastLoss;
    }

    public Selection current() {
        return current;
    }

    public boolean reuseNext() {
        return reuse;
    }

    public int observations() {
        return observations;
    }

    /**
     * The selection for the next round.
     *
     * @param dropoutRate fraction of units dropped per layer
     * @param topK        deterministic top-k instead of weighted sampling
     * @param eps         added to each score before weighted sampling (> 0)
     * @param rnd         randomness for the draw
     */
    public Selection nextSelection(double dropoutRate, boolean topK, double eps, SplittableRandom rnd) {
        if (current != null && reuse) {
            return current;
        }
        LinkedHashMap<String, int[]> kept = new LinkedHashMap<>();
        boolean uniform = current == null;
        scores.forEach((layer, s) -> {
            int k = Selection.keepCount(s.length, dropoutRate);
            kept.put(
                    layer,
                    uniform
                            ? Sampling.uniform(s.length, k, rnd)
                            : topK ? Sampling.topK(s, k, rnd) : Sampling.weighted(s, eps, k, rnd));
        });
        current = new Selection(kept);
        return current;
    }

    /** Records that {@code selection} was trained this round (e.g. when restored from storage). */
    public void setCurrent(Selection selection) {
        this.current = selection;
    }

    /**
     * Feeds the round's loss signal for the current selection.
     *
     * @return what changed
     */
    public Observation observe(double loss) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("loss signal must be finite, got " + loss);
        }
        if (current == null) {
            throw new IllegalStateException("observe() before any selection was made");
        }
        Double prev = lastLoss;
        double increment = 0;
        if (prev != null && loss < prev && prev > 0) {
            increment = (prev - loss) / prev;
            for (String layer : current.layers()) {
                double[] s = scores.get(layer);
                for (int u : current.kept(layer)) {
                    s[u] += increment;
                }
            }
            reuse = true;
        } else {
            reuse = false;
        }
        lastLoss = loss;
        observations++;
        return new Observation(prev, loss, increment, reuse, current);
    }

    /**
     * One score update.
     *
     * @param previousLoss l_{t-1}, null on the first observation
     * @param loss         l_t
     * @param increment    added to every kept unit's score (0 when the loss did not fall)
     * @param reuse        whether the same selection is kept for the next round
     * @param selection    the selection that was scored
     */
    public record Observation(Double previousLoss, double loss, double increment, boolean reuse, Selection selection) {}

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ScoreMap[lastLoss=" + lastLoss + ", reuse=" + reuse);
        scores.forEach((k, v) -> sb.append(", ")
                .append(k)
                .append("=max ")
                .append(Arrays.stream(v).max().orElse(0)));
        return sb.append(']').toString();
    }
}
