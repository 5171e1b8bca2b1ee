package io.afd.core.train;

import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import java.util.List;

/**
 * What a client round produced.
 *
 * @param update         the weight delta to send, in sub-model coordinates (sparse or dense tensors)
 * @param trainLoss      mean training loss over all local steps (sample-weighted)
 * @param initialLoss    loss of the received sub-model on the local data before training, or NaN
 *                       when it was not computed
 * @param numSamples     local sample count n_k
 * @param steps          optimizer steps taken
 * @param sparsity       DGC sparsity applied this round
 * @param sentValues     coordinates sent
 * @param localWeights   the client's sub-model weights after training
 */
public record LocalResult(
        List<NamedTensor> update,
        double trainLoss,
        double initialLoss,
        int numSamples,
        int steps,
        double sparsity,
        long sentValues,
        ParamSet localWeights) {}
