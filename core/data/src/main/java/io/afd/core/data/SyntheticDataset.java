package io.afd.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * FedProx's Synthetic(alpha, beta) federated classification data (Li et al., "Federated Optimization in
 * Heterogeneous Networks", MLSys 2020, arXiv:1812.06127, section 5.1, and the authors' generator
 * {@code data/synthetic_*}/generate_synthetic.py).
 *
 * <p>d = 60 features, 10 classes. For client k:
 * <ul>
 *   <li>u_k ~ N(0, alpha), B_k ~ N(0, beta) (the second argument is the standard deviation, as in the
 *       generator's {@code np.random.normal(0, alpha)});</li>
 *   <li>W_k (10 x 60) and b_k (10), every entry ~ N(u_k, 1);</li>
 *   <li>v_k (60), every entry ~ N(B_k, 1);</li>
 *   <li>x ~ N(v_k, Sigma), Sigma diagonal with Sigma_jj = j^-1.2 (j = 1..60; a variance);</li>
 *   <li>y = argmax softmax(W_k x + b_k) (computed as the argmax of the logits, which is the same);</li>
 *   <li>number of samples n_k = floor(lognormal(4, 2)) + 50, optionally capped.</li>
 * </ul>
 * alpha controls how much the local models differ, beta how much the local inputs differ.
 * A fraction of every client's samples (default 20 %) is held out and pooled into the global test set.
 * The same seed always gives identical data ({@link Rng}, no JDK Gaussian).
 */
public final class SyntheticDataset {
    /** Feature dimension d. */
    public static final int DIMENSION = 60;
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;

    private SyntheticDataset() {}

    /**
     * Generation options. Samples per client = min(maxSamplesPerClient, floor(exp(N(sampleLogMean,
     * sampleLogSigma^2))) + minSamplesPerClient); then {@code testFraction} of them go to the test pool
     * (every client keeps at least one training sample).
     */
    public record Options(
            double sampleLogMean,
            double sampleLogSigma,
            int minSamplesPerClient,
            int maxSamplesPerClient,
            double testFraction) {
        public Options {
            if (!Double.isFinite(sampleLogMean) || !Double.isFinite(sampleLogSigma) || sampleLogSigma < 0) {
                throw new IllegalArgumentException("sample count lognormal(" + sampleLogMean + ", " + sampleLogSigma
                        + ") must have finite mean and sigma >= 0");
            }
            if (minSamplesPerClient < 1) {
                throw new IllegalArgumentException("minSamplesPerClient must be >= 1, got " + minSamplesPerClient);
            }
            if (maxSamplesPerClient < 1) {
                throw new IllegalArgumentException("maxSamplesPerClient must be >= 1, got " + maxSamplesPerClient);
            }
            if (!(testFraction >= 0 && testFraction < 1)) {
                throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
            }
        }

        /** FedProx's settings: lognormal(4, 2) + 50, no cap, 20 % of each client held out for testing. */
        public static Options defaults() {
            return new Options(4.0, 2.0, 50, Integer.MAX_VALUE, 0.2);
        }

        public Options withMaxSamplesPerClient(int max) {
            return new Options(sampleLogMean, sampleLogSigma, minSamplesPerClient, max, testFraction);
        }

        public Options withTestFraction(double fraction) {
            return new Options(sampleLogMean, sampleLogSigma, minSamplesPerClient, maxSamplesPerClient, fraction);
        }

        public Options withSampleCounts(double logMean, double logSigma, int minSamples) {
            return new Options(logMean, logSigma, minSamples, maxSamplesPerClient, testFraction);
        }
    }

    /**
     * The hidden generative parameters of one client (for diagnostics and tests). Arrays are the
     * generator's own; do not modify them.
     *
     * @param u          u_k, mean of W_k and b_k entries
     * @param bigB       B_k, mean of v_k entries
     * @param v          v_k, mean of x (length 60)
     * @param w          W_k, 10 x 60
     * @param b          b_k, length 10
     * @param numSamples total samples of the client before the test hold-out
     */
    public record ClientParams(double u, double bigB, double[] v, double[][] w, double[] b, int numSamples) {}

    /**
     * Generation output with diagnostics.
     *
     * @param data         the federated dataset (test = pooled client hold-outs, in client order)
     * @param clientTests  hold-out of client k, index k (their concatenation is {@code data.test()})
     * @param clientParams generative parameters of client k, index k
     */
    public record Generated(FederatedDataset data, List<Dataset> clientTests, List<ClientParams> clientParams) {
        public Generated {
            clientTests = List.copyOf(clientTests);
            clientParams = List.copyOf(clientParams);
        }
    }

    /** Synthetic(alpha, beta) with {@link Options#defaults()}. */
    public static FederatedDataset generate(double alpha, double beta, int numClients, long seed) {
        return generate(alpha, beta, numClients, seed, Options.defaults());
    }

    /** Synthetic(alpha, beta) with the given options. */
    public static FederatedDataset generate(double alpha, double beta, int numClients, long seed, Options options) {
        return generateDetailed(alpha, beta, numClients, seed, options).data();
    }

    /** Like {@link #generate(double, double, int, long, Options)} and also returns per-client parameters. */
    public static Generated generateDetailed(double alpha, double beta, int numClients, long seed, Options options) {
        if (!(alpha >= 0) || !(beta >= 0) || Double.isInfinite(alpha) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(
                    "alpha and beta must be finite and >= 0, got alpha=" + alpha + ", beta=" + beta);
        }
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1, got " + numClients);
        }
        Rng master = new Rng(seed);

        // Same order as the reference generator: sample counts, then u_k for all, then B_k for all.
        int[] counts = new int[numClients];
        for (int k = 0; k < numClients; k++) {
            double ln = master.nextLogNormal(options.sampleLogMean(), options.sampleLogSigma());
            double n = Math.floor(ln) + options.minSamplesPerClient(); // (int) lognormal + 50
            counts[k] = (int) Math.min(n, options.maxSamplesPerClient());
        }
        double[] u = new double[numClients];
        for (int k = 0; k < numClients; k++) {
            u[k] = master.nextGaussian(0, alpha);
        }
        double[] bigB = new double[numClients];
        for (int k = 0; k < numClients; k++) {
            bigB[k] = master.nextGaussian(0, beta);
        }

        double[] sd = new double[DIMENSION];
        for (int j = 0; j < DIMENSION; j++) {
            sd[j] = Math.sqrt(Math.pow(j + 1, -1.2)); // Sigma_jj = j^-1.2 is the variance
        }

        List<Dataset> train = new ArrayList<>(numClients);
        List<Dataset> tests = new ArrayList<>(numClients);
        List<ClientParams> params = new ArrayList<>(numClients);
        int[] shape = {DIMENSION};
        for (int k = 0; k < numClients; k++) {
            Rng rng = master.split(); // an independent stream per client
            double[][] w = new double[NUM_CLASSES][DIMENSION];
            for (int c = 0; c < NUM_CLASSES; c++) {
                for (int j = 0; j < DIMENSION; j++) {
                    w[c][j] = rng.nextGaussian(u[k], 1);
                }
            }
            double[] b = new double[NUM_CLASSES];
            for (int c = 0; c < NUM_CLASSES; c++) {
                b[c] = rng.nextGaussian(u[k], 1);
            }
            double[] v = new double[DIMENSION];
            for (int j = 0; j < DIMENSION; j++) {
                v[j] = rng.nextGaussian(bigB[k], 1);
            }

            int n = counts[k];
            float[] x = new float[Math.multiplyExact(n, DIMENSION)];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                int off = i * DIMENSION;
                for (int j = 0; j < DIMENSION; j++) {
                    x[off + j] = (float) rng.nextGaussian(v[j], sd[j]);
                }
                y[i] = argmaxLogits(w, b, x, off);
            }
            Dataset all = Dataset.owning(shape.clone(), x, y, NUM_CLASSES, clientName(k));

            int[] perm = rng.permutation(n);
            int trainCount = Math.max(1, (int) Math.floor((1.0 - options.testFraction()) * n + 1e-9));
            trainCount = Math.min(trainCount, n);
            int[] trainIdx = new int[trainCount];
            int[] testIdx = new int[n - trainCount];
            System.arraycopy(perm, 0, trainIdx, 0, trainCount);
            System.arraycopy(perm, trainCount, testIdx, 0, n - trainCount);
            train.add(all.subset(trainIdx, clientName(k)));
            tests.add(all.subset(testIdx, clientName(k) + "/test"));
            params.add(new ClientParams(u[k], bigB[k], v, w, b, n));
        }
        String description = String.format(
                Locale.ROOT,
                "synthetic(%s,%s) FedProx, %d clients, seed %d, samples/client=min(%d, lognormal(%s,%s)+%d), test fraction %s",
                fmt(alpha),
                fmt(beta),
                numClients,
                seed,
                options.maxSamplesPerClient(),
                fmt(options.sampleLogMean()),
                fmt(options.sampleLogSigma()),
                options.minSamplesPerClient(),
                fmt(options.testFraction()));
        Dataset test = Dataset.concat(tests, "synthetic/test");
        return new Generated(new FederatedDataset(train, test, description), tests, params);
    }

    private static String clientName(int k) {
        return String.format(Locale.ROOT, "f_%05d", k); // the reference generator's user names
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** argmax_c (W x + b)_c for the sample stored at {@code x[off .. off + 60)}; first index wins ties. */
    static int argmaxLogits(double[][] w, double[] b, float[] x, int off) {
        int best = 0;
        double bestLogit = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double z = b[c];
            double[] row = w[c];
            for (int j = 0; j < row.length; j++) {
                z += row[j] * x[off + j];
            }
            if (z > bestLogit) {
                bestLogit = z;
                best = c;
            }
        }
        return best;
    }
}
