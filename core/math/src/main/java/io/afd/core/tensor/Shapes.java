package io.afd.core.tensor;

import java.util.Arrays;

/** Small helpers for row-major shapes. */
public final class Shapes {
    private Shapes() {}

    /** Product of the dimensions; throws on negative dimensions or int overflow. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape too large: " + Arrays.toString(shape));
            }
        }
        return (int) n;
    }

    /** Row-major strides of a shape. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
