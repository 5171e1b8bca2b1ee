package io.afd.core.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sparse named tensor: strictly increasing flat row-major indices into the logical dense shape
 * and their values. Coordinates not listed are zero.
 */
public record SparseTensor(String name, int[] shape, int[] indices, float[] values) implements NamedTensor {

    public SparseTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length) {
            throw new IllegalArgumentException(
                    "sparse tensor " + name + ": " + indices.length + " indices but " + values.length + " values");
        }
        int size = Shapes.size(shape);
        int prev = -1;
        for (int idx : indices) {
            if (idx <= prev || idx >= size) {
                throw new IllegalArgumentException("sparse tensor " + name + ": index " + idx + " is out of range [0,"
                        + size + ") or not strictly increasing");
            }
            prev = idx;
        }
    }

    public int nnz() {
        return indices.length;
    }

    @Override
    public Tensor toDense() {
        float[] d = new float[size()];
        for (int i = 0; i < indices.length; i++) {
            d[indices[i]] = values[i];
        }
        return new Tensor(name, shape.clone(), d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseTensor s
                && name.equals(s.name)
                && Arrays.equals(shape, s.shape)
                && Arrays.equals(indices, s.indices)
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(indices), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "SparseTensor[" + name + " " + Arrays.toString(shape) + " nnz=" + indices.length + "]";
    }
}
