package io.afd.core.round;

import io.afd.core.scoremap.ScoreMap;

/**
 * How an experiment chooses its clients' sub-models: the typed {@code strategy} section of an
 * experiment, carried as is to the score-map service.
 *
 * @param policy      a registered policy name ({@link Policies}), stored in its canonical form
 * @param dropoutRate fraction of units dropped per droppable layer, in [0, 1) (ignored by fedavg)
 * @param topK        deterministic top-k instead of weighted sampling (score-map policies only)
 * @param eps         score smoothing of weighted sampling, &gt; 0 (default {@link ScoreMap#DEFAULT_EPS})
 * @param lossSignal  which loss drives the score maps
 */
public record SelectionSettings(String policy, double dropoutRate, boolean topK, double eps, LossSignal lossSignal) {
    public SelectionSettings {
        if (policy == null || policy.isBlank()) {
            throw new IllegalArgumentException("policy is required (" + String.join(", ", Policies.names()) + ")");
        }
        policy = Policies.canonical(policy);
        if (lossSignal == null) {
            throw new IllegalArgumentException("lossSignal is required (train, initial)");
        }
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0,1), got " + dropoutRate);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        }
    }

    /** The policy with the defaults: no top-k, {@link ScoreMap#DEFAULT_EPS}, training loss. */
    public static SelectionSettings of(String policy, double dropoutRate) {
        return new SelectionSettings(policy, dropoutRate, false, ScoreMap.DEFAULT_EPS, LossSignal.TRAIN);
    }

    /** The dropout rate that takes effect: 0 for a policy that trains the whole model. */
    public double effectiveDropoutRate() {
        return Policies.dropsUnits(policy) ? dropoutRate : 0;
    }
}
