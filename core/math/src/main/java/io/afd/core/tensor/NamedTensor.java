package io.afd.core.tensor;

/**
 * A named tensor of float32 values in row-major (C) order, either dense ({@link Tensor}) or
 * sparse ({@link SparseTensor}). Shapes are immutable; the values are owned by the holder.
 */
public sealed interface NamedTensor permits Tensor, SparseTensor {

    /** Stable parameter name, e.g. {@code conv1/W}. */
    String name();

    /** Logical dense shape (row-major). Callers must not mutate the returned array. */
    int[] shape();

    /** Number of logical (dense) elements: the product of {@link #shape()}. */
    default int size() {
        return Shapes.size(shape());
    }

    /** Dense copy of this tensor. */
    Tensor toDense();
}
