package io.afd.core.round;

import io.afd.core.dgc.DgcConfig;

/**
 * Local training settings of one client round (McMahan et al. 2017: E local epochs of minibatch
 * SGD with batch B and rate eta), with the DGC settings that also carry the momentum.
 *
 * @param epochs       local epochs E (>= 1)
 * @param batchSize    minibatch size B (>= 1); the last batch of an epoch may be smaller
 * @param learningRate step size eta (> 0)
 * @param dgc          momentum, clipping and sparsification settings
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, DgcConfig dgc) {
    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "bad training config: epochs=" + epochs + " batch=" + batchSize + " lr=" + learningRate);
        }
        java.util.Objects.requireNonNull(dgc, "dgc");
    }
}
