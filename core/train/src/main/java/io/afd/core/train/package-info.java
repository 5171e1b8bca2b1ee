/**
 * One client's local round: {@link io.afd.core.train.LocalTrainer} (local momentum SGD with DGC momentum
 * correction, clipping, sparsification, factor masking and warm-up, state in global coordinates),
 * {@link io.afd.core.train.ClientStep} (decode, train, encode: the step the simulator and the edge client
 * share) and the per-client optimizer state.
 */
package io.afd.core.train;
