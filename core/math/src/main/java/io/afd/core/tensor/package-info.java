/**
 * Named float tensors: dense {@link io.afd.core.tensor.Tensor}, sparse {@link io.afd.core.tensor.SparseTensor}
 * (sorted int indices + values) and {@link io.afd.core.tensor.ParamSet}, an ordered set of a model's
 * parameters. Plain Java arrays, row-major, no ND4J. Limits: a tensor has at most 2^31-1 elements.
 */
package io.afd.core.tensor;
