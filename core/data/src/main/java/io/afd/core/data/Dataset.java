package io.afd.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable labelled dataset held in plain Java arrays.
 *
 * <p>Samples are stored one after another in row-major order: sample {@code i} occupies
 * {@code features[i * featureSize() .. (i + 1) * featureSize())}. {@code featureShape} is the shape of
 * one sample, e.g. {@code {1, 28, 28}} (CHW) for a grey image or {@code {60}} for a vector.
 *
 * <p>The public constructor copies its arrays and accessors that return arrays return copies; use
 * {@link #batch(int[], float[], int[])}, {@link #copySample(int, float[], int)} and
 * {@link #feature(int, int)} to read data without allocating.
 */
public final class Dataset {
    private final int[] featureShape;
    private final int featureSize;
    private final float[] features;
    private final int[] labels;
    private final int numClasses;
    private final String name;

    /**
     * @param featureShape shape of one sample, every dimension &gt; 0
     * @param features     {@code labels.length * prod(featureShape)} values, row-major, sample after sample
     * @param labels       class of each sample, in {@code [0, numClasses)}
     * @param numClasses   number of classes, &gt;= 1
     * @param name         a human-readable name (e.g. "fashion-mnist/train" or a LEAF user id)
     * @throws IllegalArgumentException if lengths or labels are inconsistent
     */
    public Dataset(int[] featureShape, float[] features, int[] labels, int numClasses, String name) {
        this(featureShape.clone(), features.clone(), labels.clone(), numClasses, name, true);
    }

    private Dataset(int[] featureShape, float[] features, int[] labels, int numClasses, String name, boolean validate) {
        Objects.requireNonNull(featureShape, "featureShape");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(name, "name");
        this.featureSize = sizeOf(featureShape);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        long expected = (long) labels.length * featureSize;
        if (features.length != expected) {
            throw new IllegalArgumentException("dataset '" + name + "': features has " + features.length
                    + " values but " + labels.length + " samples of shape " + Arrays.toString(featureShape)
                    + " need " + expected);
        }
        if (validate) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException("dataset '" + name + "': label " + labels[i] + " of sample " + i
                            + " is outside [0, " + numClasses + ")");
                }
            }
        }
        this.featureShape = featureShape;
        this.features = features;
        this.labels = labels;
        this.numClasses = numClasses;
        this.name = name;
    }

    /** Package-internal: takes ownership of the arrays (no copy). Labels are still validated. */
    static Dataset owning(int[] featureShape, float[] features, int[] labels, int numClasses, String name) {
        return new Dataset(featureShape, features, labels, numClasses, name, true);
    }

    private static int sizeOf(int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("featureShape must have at least one dimension");
        }
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("featureShape dimensions must be > 0: " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("featureShape too large: " + Arrays.toString(shape));
            }
        }
        return (int) n;
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /** Number of float values per sample, {@code prod(featureShape)}. */
    public int featureSize() {
        return featureSize;
    }

    /** Copy of the per-sample shape. */
    public int[] featureShape() {
        return featureShape.clone();
    }

    public int numClasses() {
        return numClasses;
    }

    public String name() {
        return name;
    }

    /** Label of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Value {@code j} (flat index within the sample) of sample {@code i}. */
    public float feature(int i, int j) {
        if (j < 0 || j >= featureSize) {
            throw new IndexOutOfBoundsException("feature index " + j + " outside [0, " + featureSize + ")");
        }
        return features[i * featureSize + j];
    }

    /** Copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Copy of all features (n * featureSize values). */
    public float[] features() {
        return features.clone();
    }

    /** Copies sample {@code i}'s features into {@code out[offset .. offset + featureSize())}. */
    public void copySample(int i, float[] out, int offset) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("sample " + i + " outside [0, " + labels.length + ")");
        }
        System.arraycopy(features, i * featureSize, out, offset, featureSize);
    }

    /**
     * Gathers the samples {@code indices} into caller-owned buffers: features into
     * {@code xOut[0 .. indices.length * featureSize())}, labels into {@code yOut[0 .. indices.length)}.
     * Buffers may be larger than needed (reuse one buffer for a last, short batch).
     */
    public void batch(int[] indices, float[] xOut, int[] yOut) {
        batch(indices, 0, indices.length, xOut, yOut);
    }

    /**
     * Like {@link #batch(int[], float[], int[])} for {@code indices[from .. to)}, e.g. one mini-batch
     * of an epoch's permutation, without copying the index range first.
     */
    public void batch(int[] indices, int from, int to, float[] xOut, int[] yOut) {
        if (from < 0 || to > indices.length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + indices.length + " indices");
        }
        int count = to - from;
        if (xOut.length < (long) count * featureSize) {
            throw new IllegalArgumentException("xOut holds " + xOut.length + " values, batch of " + count + " needs "
                    + (long) count * featureSize);
        }
        if (yOut.length < count) {
            throw new IllegalArgumentException("yOut holds " + yOut.length + " labels, batch needs " + count);
        }
        for (int b = 0; b < count; b++) {
            int i = indices[from + b];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("sample " + i + " outside [0, " + labels.length + ")");
            }
            System.arraycopy(features, i * featureSize, xOut, b * featureSize, featureSize);
            yOut[b] = labels[i];
        }
    }

    /** A new dataset holding copies of the given samples, in the given order (repeats allowed). */
    public Dataset subset(int[] indices) {
        return subset(indices, name);
    }

    /** Like {@link #subset(int[])} with a new name. */
    public Dataset subset(int[] indices, String newName) {
        float[] x = new float[Math.multiplyExact(indices.length, featureSize)];
        int[] y = new int[indices.length];
        batch(indices, x, y);
        return new Dataset(featureShape.clone(), x, y, numClasses, newName, false);
    }

    /** The same data under another name (arrays are shared, which is safe: both are immutable). */
    public Dataset withName(String newName) {
        return new Dataset(featureShape, features, labels, numClasses, newName, false);
    }

    /** Count of samples per class, length {@code numClasses}. */
    public int[] labelHistogram() {
        int[] h = new int[numClasses];
        for (int y : labels) {
            h[y]++;
        }
        return h;
    }

    /**
     * Concatenates datasets with identical feature shape and class count, in list order.
     *
     * @throws IllegalArgumentException if the list is empty or the parts are incompatible
     */
    public static Dataset concat(List<Dataset> parts, String name) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cannot concatenate an empty list of datasets");
        }
        Dataset first = parts.get(0);
        long total = 0;
        for (Dataset d : parts) {
            first.requireCompatible(d);
            total += d.size();
        }
        if (total * first.featureSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("concatenation too large: " + total + " samples");
        }
        float[] x = new float[(int) (total * first.featureSize)];
        int[] y = new int[(int) total];
        int pos = 0;
        for (Dataset d : parts) {
            System.arraycopy(d.features, 0, x, pos * first.featureSize, d.features.length);
            System.arraycopy(d.labels, 0, y, pos, d.labels.length);
            pos += d.size();
        }
        return new Dataset(first.featureShape.clone(), x, y, first.numClasses, name, false);
    }

    /** Throws IllegalArgumentException unless {@code other} has the same feature shape and class count. */
    void requireCompatible(Dataset other) {
        if (!Arrays.equals(featureShape, other.featureShape) || numClasses != other.numClasses) {
            throw new IllegalArgumentException("incompatible datasets: '" + name + "' has shape "
                    + Arrays.toString(featureShape) + " and " + numClasses + " classes, '" + other.name
                    + "' has shape " + Arrays.toString(other.featureShape) + " and " + other.numClasses + " classes");
        }
    }

    /** Equal when shape, class count, name, labels and features are all equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Dataset d)) {
            return false;
        }
        return numClasses == d.numClasses
                && name.equals(d.name)
                && Arrays.equals(featureShape, d.featureShape)
                && Arrays.equals(labels, d.labels)
                && Arrays.equals(features, d.features);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(name, numClasses);
        h = 31 * h + Arrays.hashCode(featureShape);
        h = 31 * h + Arrays.hashCode(labels);
        return 31 * h + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", n=" + size() + ", shape=" + Arrays.toString(featureShape) + ", classes="
                + numClasses + "]";
    }
}
