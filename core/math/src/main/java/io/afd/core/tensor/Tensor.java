package io.afd.core.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense named float32 tensor. The data array is shared, not copied: use {@link #copy()} when
 * an independent tensor is needed.
 */
public record Tensor(String name, int[] shape, float[] data) implements NamedTensor {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (Shapes.size(shape) != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " needs "
                    + Shapes.size(shape) + " values, got " + data.length);
        }
    }

    public static Tensor zeros(String name, int... shape) {
        return new Tensor(name, shape.clone(), new float[Shapes.size(shape)]);
    }

    public Tensor copy() {
        return new Tensor(name, shape.clone(), data.clone());
    }

    @Override
    public Tensor toDense() {
        return this;
    }

    /** True when name, shape and every value's bits are equal. */
    public boolean bitEquals(Tensor other) {
        return name.equals(other.name) && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && bitEquals(t);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
