package io.afd.core.train;

import io.afd.core.dgc.DgcConfig;
import io.afd.core.dgc.Sparsifier;
import io.afd.core.model.ParamSpec;
import io.afd.core.nn.ModelRuntime;
import io.afd.core.nn.NativeThreads;
import io.afd.core.round.TrainConfig;
import io.afd.core.submodel.SubModelLayout;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.ParamSet;
import io.afd.core.tensor.SparseTensor;
import io.afd.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One client's round: local momentum SGD on its sub-model, with Deep Gradient Compression (Lin et
 * al., ICLR 2018, arXiv 1712.01887) applied to what it sends:
 * <ul>
 *   <li>local gradient clipping: each step's gradient is scaled to global L2 norm at most
 *       {@code c·N^(-1/2)} (N = clients in the round) before it is accumulated;</li>
 *   <li>momentum correction: {@code u <- m·u + g}, {@code v <- v + eta·u} (the velocity, not the raw
 *       gradient, is accumulated), and the local weights move by {@code -eta·u};</li>
 *   <li>sparsification at the end of the round: per tensor the top (1-s) fraction of |v| is sent
 *       as {@code -v} (a weight delta) and the rest stays as residual; tensors under
 *       {@code denseBelow} elements go dense;</li>
 *   <li>momentum factor masking: u and v are zeroed where sent;</li>
 *   <li>warm-up: s follows {@link DgcConfig#sparsityForRound(int)}.</li>
 * </ul>
 * u and v live in global coordinates ({@link ClientOptimizerState}). With s = 0 and no clipping the
 * local weights follow plain momentum SGD exactly and the update is their total change. Training runs
 * each ND4J operation on a fixed number of threads ({@link NativeThreads}), so the same inputs give
 * the same update on any machine and with any number of clients training at once. A trainer (its
 * {@link RuntimeCache}) serves one thread at a time; trainers on several threads may train distinct
 * clients at once.
 */
public final class LocalTrainer {
    private final RuntimeCache runtimes;

    public LocalTrainer(RuntimeCache runtimes) {
        this.runtimes = runtimes;
    }

    /**
     * Trains a received sub-model on local data.
     *
     * @param layout             maps the sub-model to global coordinates
     * @param subWeights         the received sub-model (not modified)
     * @param features           local features, sample-major
     * @param labels             local labels
     * @param cfg                training settings
     * @param state              this client's DGC state in global coordinates (updated)
     * @param round              experiment round index (0-based), for the warm-up schedule
     * @param clientsInRound     N for gradient clipping
     * @param seed               seeds batch order and threshold sampling
     * @param computeInitialLoss also measure the received sub-model's loss before training
     */
    public LocalResult train(
            SubModelLayout layout,
            ParamSet subWeights,
            float[] features,
            int[] labels,
            TrainConfig cfg,
            ClientOptimizerState state,
            int round,
            int clientsInRound,
            long seed,
            boolean computeInitialLoss) {
        // A fixed number of threads per ND4J operation: the update's bits then depend neither on the
        // machine's core count nor on how many clients train at once (NativeThreads).
        try (NativeThreads.Scope ops = NativeThreads.clientTraining()) {
            return trainWithFixedOpThreads(
                    layout, subWeights, features, labels, cfg, state, round, clientsInRound, seed, computeInitialLoss);
        }
    }

    private LocalResult trainWithFixedOpThreads(
            SubModelLayout layout,
            ParamSet subWeights,
            float[] features,
            int[] labels,
            TrainConfig cfg,
            ClientOptimizerState state,
            int round,
            int clientsInRound,
            long seed,
            boolean computeInitialLoss) {
        layout.sub().validate(subWeights);
        int n = labels.length;
        int d = layout.sub().inputSize();
        if (n == 0) {
            throw new IllegalArgumentException("client has no local samples");
        }
        if (features.length != (long) n * d) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected " + n + "x" + d);
        }
        ModelRuntime rt = runtimes.get(layout.sub());
        List<ParamSpec> specs = layout.sub().params();
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, float[]> u = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        for (ParamSpec p : specs) {
            w.put(p.name(), subWeights.get(p.name()).data().clone());
            float[] ub = new float[p.size()];
            float[] vb = new float[p.size()];
            layout.gather(p.name(), state.momentum(p.name()), ub);
            layout.gather(p.name(), state.residual(p.name()), vb);
            u.put(p.name(), ub);
            v.put(p.name(), vb);
        }
        rt.setParams(subWeights);

        double initialLoss = Double.NaN;
        if (computeInitialLoss) {
            initialLoss = rt.evaluate(features, labels, Math.max(cfg.batchSize(), 256))
                    .loss();
        }

        DgcConfig dgc = cfg.dgc();
        float m = (float) dgc.momentum();
        float lr = (float) cfg.learningRate();
        double clip = dgc.clipNorm() > 0 ? dgc.clipNorm() / Math.sqrt(Math.max(1, clientsInRound)) : 0;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Map<String, float[]> grads = new HashMap<>();
        double lossSum = 0;
        long lossCount = 0;
        int steps = 0;
        int b = cfg.batchSize();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            shuffle(order, rnd);
            for (int start = 0; start < n; start += b) {
                int bs = Math.min(b, n - start);
                float[] xb = new float[bs * d];
                int[] yb = new int[bs];
                for (int i = 0; i < bs; i++) {
                    int s = order[start + i];
                    System.arraycopy(features, s * d, xb, i * d, d);
                    yb[i] = labels[s];
                }
                double loss = rt.lossAndGradients(xb, yb, bs, grads);
                if (!Double.isFinite(loss)) {
                    throw new ArithmeticException("local training diverged: loss " + loss + " at step " + steps
                            + " (lower the learning rate or enable gradient clipping)");
                }
                lossSum += loss * bs;
                lossCount += bs;
                float scale = 1f;
                if (clip > 0) {
                    double sq = 0;
                    for (float[] g : grads.values()) {
                        for (float x : g) {
                            sq += (double) x * x;
                        }
                    }
                    double norm = Math.sqrt(sq);
                    if (norm > clip) {
                        scale = (float) (clip / norm);
                    }
                }
                for (ParamSpec p : specs) {
                    float[] g = grads.get(p.name());
                    float[] ub = u.get(p.name());
                    float[] vb = v.get(p.name());
                    float[] wb = w.get(p.name());
                    for (int i = 0; i < g.length; i++) {
                        float ui = m * ub[i] + (scale == 1f ? g[i] : scale * g[i]);
                        ub[i] = ui;
                        vb[i] += lr * ui;
                        wb[i] -= lr * ui;
                    }
                    rt.setParam(p.name(), wb);
                }
                steps++;
            }
        }

        double sparsity = dgc.sparsityForRound(round);
        List<NamedTensor> update = new ArrayList<>();
        long sent = 0;
        SplittableRandom thrRnd = rnd.split();
        for (ParamSpec p : specs) {
            float[] vb = v.get(p.name());
            float[] ub = u.get(p.name());
            if (sparsity == 0 || p.size() < dgc.denseBelow()) {
                float[] delta = new float[vb.length];
                for (int i = 0; i < vb.length; i++) {
                    delta[i] = -vb[i];
                }
                java.util.Arrays.fill(vb, 0f);
                if (dgc.factorMasking()) {
                    java.util.Arrays.fill(ub, 0f);
                }
                update.add(new Tensor(p.name(), p.shape(), delta));
                sent += vb.length;
            } else {
                Sparsifier.Selected sel =
                        Sparsifier.selectWithValues(vb, sparsity, dgc.sampleRatio(), dgc.tolerance(), thrRnd);
                int[] idx = sel.indices();
                float[] val = sel.values();
                for (int j = 0; j < idx.length; j++) {
                    int i = idx[j];
                    val[j] = -val[j];
                    vb[i] = 0f;
                    if (dgc.factorMasking()) {
                        ub[i] = 0f;
                    }
                }
                update.add(new SparseTensor(p.name(), p.shape(), idx, val));
                sent += idx.length;
            }
            layout.scatter(p.name(), ub, state.momentum(p.name()));
            layout.scatter(p.name(), vb, state.residual(p.name()));
        }
        ParamSet local = new ParamSet();
        for (ParamSpec p : specs) {
            local.put(new Tensor(p.name(), p.shape(), w.get(p.name())));
        }
        return new LocalResult(update, lossSum / lossCount, initialLoss, n, steps, sparsity, sent, local);
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
