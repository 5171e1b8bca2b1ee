/**
 * Sub-model-aware FedAvg ({@link io.afd.core.fedavg.FedAvgAccumulator}): sample-weighted, each coordinate
 * averaged over the clients whose selection covered it, in exact fixed-point sums so the result does not
 * depend on arrival order. Limits: at most 2^15 contributions per round, |n_k · delta| at most 2^20,
 * resolution 2^-28 per contribution.
 */
package io.afd.core.fedavg;
