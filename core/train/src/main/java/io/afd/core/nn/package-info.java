/**
 * ND4J forward and backward passes ({@link io.afd.core.nn.ModelRuntime}): SameDiff for the CNN, direct
 * BLAS ops for dense nets. The only package that touches ND4J; everything else passes plain arrays.
 */
package io.afd.core.nn;
