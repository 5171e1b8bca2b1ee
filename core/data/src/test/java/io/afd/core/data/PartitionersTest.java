package io.afd.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionersTest {
    static final long[] SEEDS = {1, 2, 3, 17, 12345};

    /** {@code perClass[c]} samples of class c, interleaved (not sorted); feature = sample index. */
    static Dataset labelled(int... perClass) {
        int n = Arrays.stream(perClass).sum();
        int[] y = new int[n];
        int[] left = perClass.clone();
        int i = 0;
        while (i < n) {
            for (int c = 0; c < perClass.length && i < n; c++) {
                if (left[c] > 0) {
                    left[c]--;
                    y[i++] = c;
                }
            }
        }
        float[] x = new float[n];
        for (int j = 0; j < n; j++) {
            x[j] = j;
        }
        return new Dataset(new int[] {1}, x, y, perClass.length, "toy");
    }

    static Dataset balanced(int classes, int perClass) {
        int[] counts = new int[classes];
        Arrays.fill(counts, perClass);
        return labelled(counts);
    }

    static void assertDisjointCover(int n, int[][] parts) {
        int[] seen = new int[n];
        for (int[] p : parts) {
            for (int i : p) {
                assertTrue(i >= 0 && i < n, "index " + i);
                seen[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "sample " + i + " assigned " + seen[i] + " times");
        }
    }

    /** The materialised client datasets hold each original sample exactly once (features = original index). */
    static void assertDatasetsCover(Dataset d, List<Dataset> clients) {
        int[][] parts = new int[clients.size()][];
        for (int k = 0; k < clients.size(); k++) {
            Dataset c = clients.get(k);
            parts[k] = new int[c.size()];
            for (int i = 0; i < c.size(); i++) {
                int orig = (int) c.feature(i, 0);
                parts[k][i] = orig;
                assertEquals(d.label(orig), c.label(i), "label travels with its sample");
            }
        }
        assertDisjointCover(d.size(), parts);
    }

    static int distinctLabels(Dataset d) {
        return (int) Arrays.stream(d.labelHistogram()).filter(c -> c > 0).count();
    }

    /** Smallest number of classes that together hold at least 90 % of the client's samples. */
    static int classesFor90Percent(Dataset d) {
        int[] h = d.labelHistogram();
        Arrays.sort(h);
        int covered = 0;
        int k = 0;
        for (int i = h.length - 1; i >= 0 && covered < 0.9 * d.size(); i--) {
            covered += h[i];
            k++;
        }
        return k;
    }

    // ---------------------------------------------------------------------------------------- IID

    @Test
    void iidIsBalancedDisjointCover() {
        Dataset d = balanced(10, 23); // 230 samples
        for (long seed : SEEDS) {
            for (int k : new int[] {1, 7, 10, 230}) {
                int[][] parts = Partitioners.iidIndices(d.size(), k, seed);
                assertEquals(k, parts.length);
                assertDisjointCover(d.size(), parts);
                int min = Arrays.stream(parts).mapToInt(p -> p.length).min().orElseThrow();
                int max = Arrays.stream(parts).mapToInt(p -> p.length).max().orElseThrow();
                assertTrue(max - min <= 1, "sizes " + min + ".." + max);
            }
            assertDatasetsCover(d, Partitioners.iid(d, 7, seed));
        }
        assertThrows(IllegalArgumentException.class, () -> Partitioners.iidIndices(5, 6, 1));
        assertThrows(IllegalArgumentException.class, () -> Partitioners.iidIndices(5, 0, 1));
    }

    @Test
    void iidIsSeededAndShuffled() {
        assertTrue(Arrays.deepEquals(Partitioners.iidIndices(100, 4, 9), Partitioners.iidIndices(100, 4, 9)));
        assertFalse(Arrays.deepEquals(Partitioners.iidIndices(100, 4, 9), Partitioners.iidIndices(100, 4, 10)));
        int[] first = Partitioners.iidIndices(100, 4, 9)[0];
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(first, sorted), "client indices are shuffled");
    }

    // ---------------------------------------------------------------------------------- Dirichlet

    @Test
    void dirichletIsDisjointCoverAndRespectsMinimum() {
        Dataset d = labelled(40, 5, 30, 0, 25, 60, 10, 30); // uneven, one empty class
        for (long seed : SEEDS) {
            for (double alpha : new double[] {0.1, 0.5, 1, 100}) {
                int[][] parts = Partitioners.dirichletIndices(d.labels(), d.numClasses(), 6, alpha, seed, 5);
                assertDisjointCover(d.size(), parts);
                for (int[] p : parts) {
                    assertTrue(p.length >= 5, "client with " + p.length + " < 5 samples at alpha " + alpha);
                }
            }
            assertDatasetsCover(d, Partitioners.dirichlet(d, 6, 0.5, seed, 5));
        }
    }

    @Test
    void smallAlphaIsMuchMoreSkewedThanLargeAlpha() {
        Dataset d = balanced(10, 100);
        double skewed = 0;
        double flat = 0;
        int runs = 0;
        for (long seed : SEEDS) {
            for (Dataset c : Partitioners.dirichlet(d, 10, 0.05, seed, 1)) {
                skewed += classesFor90Percent(c);
                runs++;
            }
            for (Dataset c : Partitioners.dirichlet(d, 10, 100, seed, 1)) {
                flat += classesFor90Percent(c);
            }
        }
        skewed /= runs;
        flat /= runs;
        // alpha = 100 is near-IID: 90 % of a client's data needs 9 of the 10 classes; alpha = 0.05 needs ~1-2
        assertTrue(flat >= 8.5, "alpha=100: mean classes for 90% = " + flat);
        assertTrue(skewed <= 2.5, "alpha=0.05: mean classes for 90% = " + skewed);
    }

    @Test
    void dirichletFailsClearlyWhenMinimumIsUnreachable() {
        Dataset d = balanced(2, 10);
        IllegalArgumentException impossible =
                assertThrows(IllegalArgumentException.class, () -> Partitioners.dirichlet(d, 5, 1.0, 1, 5));
        assertTrue(impossible.getMessage().contains("only 20 samples"), impossible.getMessage());
        IllegalArgumentException retries =
                assertThrows(IllegalArgumentException.class, () -> Partitioners.dirichlet(d, 10, 0.01, 1, 2));
        assertTrue(retries.getMessage().contains("attempts"), retries.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Partitioners.dirichlet(d, 2, 0, 1, 1));
    }

    @Test
    void dirichletIsSeeded() {
        Dataset d = balanced(5, 20);
        int[][] a = Partitioners.dirichletIndices(d.labels(), 5, 4, 0.5, 77, 3);
        int[][] b = Partitioners.dirichletIndices(d.labels(), 5, 4, 0.5, 77, 3);
        int[][] c = Partitioners.dirichletIndices(d.labels(), 5, 4, 0.5, 78, 3);
        assertTrue(Arrays.deepEquals(a, b));
        assertFalse(Arrays.deepEquals(a, c));
    }

    // ------------------------------------------------------------------------------------- shards

    @Test
    void shardsAreDisjointCoverAndPureWhenClassesAlign() {
        // 10 classes x 30 = 300 samples, 10 clients x 2 shards = 20 shards of 15: every shard lies inside one
        // class, so each client sees at most shardsPerClient = 2 labels.
        Dataset d = balanced(10, 30);
        for (long seed : SEEDS) {
            int[][] parts = Partitioners.shardsIndices(d.labels(), 10, 2, seed);
            assertDisjointCover(d.size(), parts);
            for (int[] p : parts) {
                assertEquals(30, p.length);
            }
            for (Dataset c : Partitioners.shards(d, 10, 2, seed)) {
                assertTrue(distinctLabels(c) <= 2, c.name() + " has " + distinctLabels(c) + " labels");
            }
            assertDatasetsCover(d, Partitioners.shards(d, 10, 2, seed));
        }
    }

    @Test
    void shardsLabelBoundWithUnalignedShards() {
        // 317 samples over 24 shards (sizes 13 and 14); the smallest class (20) is larger than the largest
        // shard, so a shard spans at most 2 labels and a client at most 2 * shardsPerClient = 6.
        Dataset d = labelled(40, 20, 33, 50, 21, 60, 25, 28, 20, 20);
        int maxSeen = 0;
        for (long seed : SEEDS) {
            int[][] parts = Partitioners.shardsIndices(d.labels(), 8, 3, seed);
            assertDisjointCover(d.size(), parts);
            int min = Arrays.stream(parts).mapToInt(p -> p.length).min().orElseThrow();
            int max = Arrays.stream(parts).mapToInt(p -> p.length).max().orElseThrow();
            assertTrue(min >= 3 * 13 && max <= 3 * 14);
            for (Dataset c : Partitioners.materialise(d, parts)) {
                int labels = distinctLabels(c);
                assertTrue(labels <= 6, c.name() + " has " + labels + " labels");
                maxSeen = Math.max(maxSeen, labels);
            }
        }
        assertTrue(maxSeen > 3, "unaligned shards do straddle class boundaries");
        assertThrows(IllegalArgumentException.class, () -> Partitioners.shardsIndices(new int[5], 3, 2, 1));
    }

    @Test
    void shardsAreSeeded() {
        Dataset d = balanced(10, 30);
        assertTrue(Arrays.deepEquals(
                Partitioners.shardsIndices(d.labels(), 10, 2, 5), Partitioners.shardsIndices(d.labels(), 10, 2, 5)));
        assertFalse(Arrays.deepEquals(
                Partitioners.shardsIndices(d.labels(), 10, 2, 5), Partitioners.shardsIndices(d.labels(), 10, 2, 6)));
    }

    // ---------------------------------------------------------------------------------------- spec

    @Test
    void specParsesConfigStrings() {
        assertEquals(PartitionSpec.iid(), PartitionSpec.parse("iid"));
        assertEquals(PartitionSpec.iid(), PartitionSpec.parse("  IID "));
        PartitionSpec dir = PartitionSpec.parse("dirichlet:0.3");
        assertEquals(PartitionSpec.Kind.DIRICHLET, dir.kind());
        assertEquals(0.3, dir.alpha());
        assertEquals(PartitionSpec.DEFAULT_DIRICHLET_MIN_SAMPLES, dir.minSamplesPerClient());
        assertEquals(4, PartitionSpec.parse("dirichlet:0.5:4").minSamplesPerClient());
        PartitionSpec sh = PartitionSpec.parse("shards:2");
        assertEquals(PartitionSpec.Kind.SHARDS, sh.kind());
        assertEquals(2, sh.shardsPerClient());
        for (String s : new String[] {"iid", "dirichlet:0.3", "dirichlet:0.5:4", "shards:2"}) {
            assertEquals(
                    PartitionSpec.parse(s),
                    PartitionSpec.parse(PartitionSpec.parse(s).toString()),
                    s);
        }
        for (String bad : new String[] {
            "",
            "iid:1",
            "dirichlet",
            "dirichlet:x",
            "dirichlet:-1",
            "dirichlet:0",
            "shards",
            "shards:0",
            "shards:1.5",
            "pathological:2"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PartitionSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("'") || bad.isEmpty(), e.getMessage());
        }
    }

    @Test
    void partitionBySpecDispatches() {
        Dataset d = balanced(10, 30);
        assertArrayEquals(
                Partitioners.shardsIndices(d.labels(), 10, 2, 3)[4],
                Partitioners.partitionIndices(d.labels(), 10, 10, PartitionSpec.parse("shards:2"), 3)[4]);
        assertArrayEquals(
                Partitioners.iidIndices(300, 10, 3)[4],
                Partitioners.partitionIndices(d.labels(), 10, 10, PartitionSpec.iid(), 3)[4]);
        List<Dataset> clients = Partitioners.partition(d, 5, PartitionSpec.parse("dirichlet:1.0:20"), 3);
        assertDatasetsCover(d, clients);
        for (Dataset c : clients) {
            assertTrue(c.size() >= 20);
        }
    }
}
