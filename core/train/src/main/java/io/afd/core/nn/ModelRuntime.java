package io.afd.core.nn;

import io.afd.core.model.ModelSpec;
import io.afd.core.tensor.ParamSet;
import java.util.Map;

/**
 * Forward and backward passes of one architecture on ND4J. Parameters are copied in from plain
 * Java tensors and gradients copied out, so optimizers, DGC and aggregation stay in Java arrays.
 * Implementations are not thread-safe: use one per thread. See docs/adr/0002 for why the CNN runs
 * on SameDiff and the dense families on direct ND4J matrix ops.
 */
public interface ModelRuntime {

    /** The runtime for a spec: SameDiff for the CNN, direct ND4J BLAS ops for MLP and logistic regression. */
    static ModelRuntime create(ModelSpec spec) {
        return spec.kind() == ModelSpec.Kind.CNN ? new SameDiffRuntime(spec) : new DenseRuntime(spec);
    }

    ModelSpec spec();

    /** Copies weights in. Names and shapes must match the spec. */
    void setParams(ParamSet params);

    /** Copies one tensor's values in. */
    void setParam(String name, float[] values);

    /** Reads the weights back out. */
    ParamSet getParams();

    /**
     * Mean softmax cross-entropy over a batch and its gradient for every parameter.
     *
     * @param x      exactly {@code n * inputSize} features, sample-major
     * @param labels {@code n} class indices
     * @param n      batch size
     * @param grads  output: gradient values by parameter name; arrays are allocated when absent or
     *               of the wrong size, else overwritten
     * @return the batch's mean loss
     */
    double lossAndGradients(float[] x, int[] labels, int n, Map<String, float[]> grads);

    /** Logits, {@code n x numClasses} row-major. */
    float[] logits(float[] x, int n);

    /** Loss and accuracy over a labelled set, in batches. */
    default Evaluation evaluate(float[] features, int[] labels, int batchSize) {
        ModelSpec spec = spec();
        int n = labels.length;
        int d = spec.inputSize();
        int classes = spec.numClasses();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] xb = new float[b * d];
            System.arraycopy(features, start * d, xb, 0, b * d);
            float[] lg = logits(xb, b);
            for (int i = 0; i < b; i++) {
                int yi = labels[start + i];
                lossSum += Softmax.crossEntropy(lg, i * classes, classes, yi);
                if (Softmax.argmax(lg, i * classes, classes) == yi) {
                    correct++;
                }
            }
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n, n);
    }

    /** Mean loss and accuracy over {@code samples} examples. */
    record Evaluation(double loss, double accuracy, int samples) {}
}
