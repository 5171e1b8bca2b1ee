/**
 * Deep Gradient Compression settings ({@link io.afd.core.dgc.DgcConfig}: momentum, clipping, warm-up
 * schedule, final sparsity, dense threshold, sampling) and the sampled top-k threshold selection
 * ({@link io.afd.core.dgc.Sparsifier}) on plain float arrays. The training loop that applies them is
 * {@code io.afd.core.train.LocalTrainer}.
 */
package io.afd.core.dgc;
