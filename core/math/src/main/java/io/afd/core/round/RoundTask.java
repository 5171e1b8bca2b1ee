package io.afd.core.round;

import io.afd.core.codec.CodecSpec;

/**
 * What every task of one round shares, resolved for that round.
 *
 * @param round              the round
 * @param train              local training with this round's DGC sparsity and no warm-up left
 *                           ({@code train.dgc().sparsityForRound(any) == this round's sparsity})
 * @param clientsInRound     N, the participants of the round (local clipping uses c·N^(-1/2))
 * @param downlink           downlink codec, not yet seeded per client
 * @param uplink             uplink codec, not yet seeded per client
 * @param seed               the experiment's master seed
 * @param computeInitialLoss whether clients also measure the loss before training
 */
public record RoundTask(
        int round,
        TrainConfig train,
        int clientsInRound,
        CodecSpec downlink,
        CodecSpec uplink,
        long seed,
        boolean computeInitialLoss) {}
