package io.afd.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Seeded splits of a pooled dataset into client datasets. Every partition is a disjoint cover of the
 * input: each sample goes to exactly one client. Each client's samples are in random order.
 *
 * <ul>
 *   <li>{@link #iid}: shuffle, then cut into {@code numClients} parts whose sizes differ by at most one.</li>
 *   <li>{@link #dirichlet}: label skew as in Hsu, Qi &amp; Brown 2019 (arXiv:1909.06335), in the per-class
 *       form used by Yurochkin et al. 2019 and NIID-Bench: for every class draw client proportions
 *       p ~ Dir_K(alpha) and give client k the share p_k of that class; redraw everything until each
 *       client holds at least {@code minSamplesPerClient} samples. Small alpha: each client sees few
 *       classes; large alpha: close to IID.</li>
 *   <li>{@link #shards}: McMahan et al. 2017 (arXiv:1602.05629): sort by label, cut into
 *       {@code numClients * shardsPerClient} contiguous shards, give each client {@code shardsPerClient}
 *       random shards.</li>
 * </ul>
 * The {@code *Indices} methods return the partition as sample indices (client k = row k); the others
 * materialise client datasets named {@code "<dataset name>/client<k>"}.
 */
public final class Partitioners {
    /** Redraws of the whole Dirichlet allocation before {@link #dirichlet} gives up. */
    public static final int DIRICHLET_MAX_ATTEMPTS = 1000;

    private Partitioners() {}

    // ----------------------------------------------------------------------------------------- IID

    /** IID split of {@code dataset} into {@code numClients} datasets. */
    public static List<Dataset> iid(Dataset dataset, int numClients, long seed) {
        return materialise(dataset, iidIndices(dataset.size(), numClients, seed));
    }

    /**
     * A random permutation of {@code 0..n-1} cut into {@code numClients} consecutive parts; the first
     * {@code n % numClients} parts get one extra sample.
     *
     * @throws IllegalArgumentException if {@code n < numClients} (some client would be empty)
     */
    public static int[][] iidIndices(int n, int numClients, long seed) {
        requireClients(numClients);
        if (n < numClients) {
            throw new IllegalArgumentException(
                    "cannot split " + n + " samples over " + numClients + " clients without leaving a client empty");
        }
        int[] perm = new Rng(seed).permutation(n);
        int[][] parts = new int[numClients][];
        int base = n / numClients;
        int extra = n % numClients;
        int pos = 0;
        for (int k = 0; k < numClients; k++) {
            int len = base + (k < extra ? 1 : 0);
            parts[k] = Arrays.copyOfRange(perm, pos, pos + len);
            pos += len;
        }
        return parts;
    }

    // ----------------------------------------------------------------------------------- Dirichlet

    /** Dirichlet label-skew split of {@code dataset}; see {@link #dirichletIndices}. */
    public static List<Dataset> dirichlet(
            Dataset dataset, int numClients, double alpha, long seed, int minSamplesPerClient) {
        return materialise(
                dataset,
                dirichletIndices(dataset.labels(), dataset.numClasses(), numClients, alpha, seed, minSamplesPerClient));
    }

    /**
     * Dirichlet label-skew partition of samples with the given labels. For each class c (samples in
     * random order) proportions p ~ Dir(alpha, ..., alpha) over the clients are drawn and the class is cut
     * at {@code floor(n_c * cumsum(p))}. The whole draw is repeated until every client has at least
     * {@code minSamplesPerClient} samples.
     *
     * @throws IllegalArgumentException if the constraint is impossible ({@code numClients *
     *                                  minSamplesPerClient > n}) or still unmet after
     *                                  {@value #DIRICHLET_MAX_ATTEMPTS} attempts
     */
    public static int[][] dirichletIndices(
            int[] labels, int numClasses, int numClients, double alpha, long seed, int minSamplesPerClient) {
        requireClients(numClients);
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Dirichlet alpha must be finite and > 0, got " + alpha);
        }
        if (minSamplesPerClient < 0) {
            throw new IllegalArgumentException("minSamplesPerClient must be >= 0, got " + minSamplesPerClient);
        }
        int n = labels.length;
        if ((long) numClients * minSamplesPerClient > n) {
            throw new IllegalArgumentException("cannot give each of " + numClients + " clients at least "
                    + minSamplesPerClient + " samples: only " + n + " samples");
        }
        int[][] byClass = indicesByClass(labels, numClasses);
        Rng rng = new Rng(seed);
        int smallest = -1;
        for (int attempt = 1; attempt <= DIRICHLET_MAX_ATTEMPTS; attempt++) {
            IntList[] clients = new IntList[numClients];
            for (int k = 0; k < numClients; k++) {
                clients[k] = new IntList();
            }
            for (int[] cls : byClass) {
                if (cls.length == 0) {
                    continue;
                }
                int[] idx = cls.clone();
                rng.shuffle(idx);
                double[] p = rng.nextDirichlet(alpha, numClients);
                double cum = 0;
                int start = 0;
                for (int k = 0; k < numClients; k++) {
                    cum += p[k];
                    int end =
                            k == numClients - 1 ? idx.length : (int) Math.min(idx.length, Math.floor(cum * idx.length));
                    end = Math.max(end, start);
                    clients[k].addAll(idx, start, end);
                    start = end;
                }
            }
            smallest = Integer.MAX_VALUE;
            for (IntList c : clients) {
                smallest = Math.min(smallest, c.size);
            }
            if (smallest >= minSamplesPerClient) {
                int[][] out = new int[numClients][];
                for (int k = 0; k < numClients; k++) {
                    out[k] = clients[k].toArray();
                    rng.shuffle(out[k]);
                }
                return out;
            }
        }
        throw new IllegalArgumentException(String.format(
                Locale.ROOT,
                "Dirichlet(alpha=%s) partition of %d samples over %d clients: no draw in %d attempts gave every client"
                        + " at least %d samples (smallest client in the last draw: %d); lower minSamplesPerClient,"
                        + " raise alpha or use fewer clients",
                alpha,
                n,
                numClients,
                DIRICHLET_MAX_ATTEMPTS,
                minSamplesPerClient,
                smallest));
    }

    // -------------------------------------------------------------------------------------- shards

    /** McMahan et al.'s pathological non-IID shard split of {@code dataset}; see {@link #shardsIndices}. */
    public static List<Dataset> shards(Dataset dataset, int numClients, int shardsPerClient, long seed) {
        return materialise(dataset, shardsIndices(dataset.labels(), numClients, shardsPerClient, seed));
    }

    /**
     * Sorts the samples by label (ties by index), cuts the sorted order into
     * {@code S = numClients * shardsPerClient} contiguous shards whose sizes differ by at most one (the first
     * {@code n % S} shards get one extra sample, so nothing is dropped) and deals each client
     * {@code shardsPerClient} shards at random.
     *
     * <p>Label bound: a shard is a contiguous run of the label-sorted order, so if every class has at least
     * as many samples as the largest shard, a shard touches at most two labels and a client at most
     * {@code 2 * shardsPerClient}; if moreover every class size is a multiple of the shard size, shards are
     * pure and a client sees at most {@code shardsPerClient} labels.
     *
     * @throws IllegalArgumentException if there are fewer samples than shards
     */
    public static int[][] shardsIndices(int[] labels, int numClients, int shardsPerClient, long seed) {
        requireClients(numClients);
        if (shardsPerClient < 1) {
            throw new IllegalArgumentException("shardsPerClient must be >= 1, got " + shardsPerClient);
        }
        int n = labels.length;
        long numShardsL = (long) numClients * shardsPerClient;
        if (numShardsL > n) {
            throw new IllegalArgumentException("cannot cut " + n + " samples into " + numShardsL + " non-empty shards ("
                    + numClients + " clients x " + shardsPerClient + " shards)");
        }
        int numShards = (int) numShardsL;
        int[] sorted = sortedByLabel(labels);
        int[] shardStart = new int[numShards + 1];
        int base = n / numShards;
        int extra = n % numShards;
        for (int s = 0; s < numShards; s++) {
            shardStart[s + 1] = shardStart[s] + base + (s < extra ? 1 : 0);
        }
        Rng rng = new Rng(seed);
        int[] shardPerm = rng.permutation(numShards);
        int[][] out = new int[numClients][];
        for (int k = 0; k < numClients; k++) {
            IntList c = new IntList();
            for (int j = 0; j < shardsPerClient; j++) {
                int s = shardPerm[k * shardsPerClient + j];
                c.addAll(sorted, shardStart[s], shardStart[s + 1]);
            }
            out[k] = c.toArray();
            rng.shuffle(out[k]);
        }
        return out;
    }

    // ----------------------------------------------------------------------------------- by spec

    /** Applies a parsed {@link PartitionSpec}. */
    public static List<Dataset> partition(Dataset dataset, int numClients, PartitionSpec spec, long seed) {
        return materialise(dataset, partitionIndices(dataset.labels(), dataset.numClasses(), numClients, spec, seed));
    }

    /** Index form of {@link #partition(Dataset, int, PartitionSpec, long)}. */
    public static int[][] partitionIndices(
            int[] labels, int numClasses, int numClients, PartitionSpec spec, long seed) {
        return switch (spec.kind()) {
            case IID -> iidIndices(labels.length, numClients, seed);
            case DIRICHLET ->
                dirichletIndices(labels, numClasses, numClients, spec.alpha(), seed, spec.minSamplesPerClient());
            case SHARDS -> shardsIndices(labels, numClients, spec.shardsPerClient(), seed);
        };
    }

    /** Client datasets for an index partition, named {@code "<name>/client<k>"}. */
    public static List<Dataset> materialise(Dataset dataset, int[][] parts) {
        List<Dataset> out = new ArrayList<>(parts.length);
        for (int k = 0; k < parts.length; k++) {
            out.add(dataset.subset(parts[k], dataset.name() + "/client" + k));
        }
        return out;
    }

    // ----------------------------------------------------------------------------------- helpers

    private static void requireClients(int numClients) {
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1, got " + numClients);
        }
    }

    static int[][] indicesByClass(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y < 0 || y >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + y + " of sample " + i + " is outside [0, " + numClasses + ")");
            }
            counts[y]++;
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        return byClass;
    }

    /** Indices sorted by label, ties in index order (a stable counting sort). */
    static int[] sortedByLabel(int[] labels) {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is negative");
            }
            max = Math.max(max, labels[i]);
        }
        int[][] byClass = indicesByClass(labels, max + 1);
        int[] out = new int[labels.length];
        int pos = 0;
        for (int[] cls : byClass) {
            System.arraycopy(cls, 0, out, pos, cls.length);
            pos += cls.length;
        }
        return out;
    }

    private static final class IntList {
        int[] data = new int[16];
        int size;

        void addAll(int[] src, int from, int to) {
            int len = to - from;
            if (size + len > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + len));
            }
            System.arraycopy(src, from, data, size, len);
            size += len;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
