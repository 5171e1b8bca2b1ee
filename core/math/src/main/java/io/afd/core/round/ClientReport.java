package io.afd.core.round;

/**
 * What a policy learns from one client's round.
 *
 * @param clientId    the client
 * @param numSamples  its local sample count n_k
 * @param trainLoss   mean training loss over its local epochs
 * @param initialLoss loss of the received sub-model before training (NaN when not measured)
 */
public record ClientReport(String clientId, long numSamples, double trainLoss, double initialLoss) {}
