/**
 * Activation score maps of Adaptive Federated Dropout (Bouacida et al. 2021): per droppable unit a
 * score, raised by the relative loss drop of the selection that caused it;
 * {@link io.afd.core.scoremap.ScoreMap#nextSelection} implements the selection rule (uniform first,
 * reuse after a drop, else weighted sampling by score + eps or top-k), {@link io.afd.core.scoremap.Sampling}
 * the draws. Who owns which map is the policies' business ({@code io.afd.core.round}).
 */
package io.afd.core.scoremap;
