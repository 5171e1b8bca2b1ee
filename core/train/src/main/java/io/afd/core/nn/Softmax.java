package io.afd.core.nn;

/** Numerically stable softmax cross-entropy on rows of a logits array. */
final class Softmax {
    private Softmax() {}

    static int argmax(float[] logits, int off, int classes) {
        int arg = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            if (logits[off + c] > max) {
                max = logits[off + c];
                arg = c;
            }
        }
        return arg;
    }

    /** -log softmax(logits)[label]. */
    static double crossEntropy(float[] logits, int off, int classes, int label) {
        float max = logits[off + argmax(logits, off, classes)];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[off + c] - max);
        }
        return Math.log(sum) - (logits[off + label] - max);
    }

    /**
     * Writes d(mean loss)/d(logits) = (softmax - onehot) / n into {@code grad} for one row and
     * returns the row's loss.
     */
    static double rowGradient(float[] logits, int off, int classes, int label, int n, float[] grad) {
        float max = logits[off + argmax(logits, off, classes)];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[off + c] - max);
        }
        for (int c = 0; c < classes; c++) {
            double p = Math.exp(logits[off + c] - max) / sum;
            grad[off + c] = (float) ((p - (c == label ? 1 : 0)) / n);
        }
        return Math.log(sum) - (logits[off + label] - max);
    }
}
