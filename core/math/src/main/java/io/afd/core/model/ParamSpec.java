package io.afd.core.model;

import io.afd.core.tensor.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * Declares one parameter tensor of a model: its name, shape, and which of its axes are indexed by
 * droppable units (the layer's own output units, or the previous droppable layer's units on the
 * input axis).
 */
public record ParamSpec(String name, int[] shape, List<AxisBinding> bindings) {
    public ParamSpec {
        shape = shape.clone();
        bindings = List.copyOf(bindings);
        for (AxisBinding b : bindings) {
            if (b.axis() >= shape.length) {
                throw new IllegalArgumentException(name + ": binding on axis " + b.axis() + " of rank " + shape.length);
            }
        }
    }

    public int size() {
        return Shapes.size(shape);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (bindings.isEmpty() ? "" : " " + bindings);
    }
}
