package io.afd.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** 4 samples of shape {2, 3}; value = 10 * sample + position. */
    static Dataset small() {
        float[] x = new float[4 * 6];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = 10 * i + j;
            }
        }
        return new Dataset(new int[] {2, 3}, x, new int[] {0, 2, 2, 1}, 3, "small");
    }

    @Test
    void accessorsAndHistogram() {
        Dataset d = small();
        assertEquals(4, d.size());
        assertEquals(6, d.featureSize());
        assertArrayEquals(new int[] {2, 3}, d.featureShape());
        assertEquals(3, d.numClasses());
        assertEquals(25f, d.feature(2, 5));
        assertEquals(1, d.label(3));
        assertArrayEquals(new int[] {1, 1, 2}, d.labelHistogram());
    }

    @Test
    void constructorCopiesAndAccessorsReturnCopies() {
        float[] x = {1, 2};
        int[] y = {0, 1};
        int[] shape = {1};
        Dataset d = new Dataset(shape, x, y, 2, "c");
        x[0] = 99;
        y[0] = 1;
        shape[0] = 2;
        assertEquals(1f, d.feature(0, 0));
        assertEquals(0, d.label(0));
        assertArrayEquals(new int[] {1}, d.featureShape());
        d.features()[1] = 42;
        d.labels()[1] = 0;
        d.featureShape()[0] = 7;
        assertEquals(2f, d.feature(1, 0));
        assertEquals(1, d.label(1));
        assertEquals(1, d.featureSize());
    }

    @Test
    void constructorValidates() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Dataset(new int[] {2}, new float[3], new int[] {0, 0}, 2, "len"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Dataset(new int[] {1}, new float[2], new int[] {0, 2}, 2, "lab"));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Dataset(new int[] {1}, new float[1], new int[] {-1}, 2, "neg"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Dataset(new int[] {0}, new float[0], new int[] {0}, 2, "dim"));
        assertThrows(
                IllegalArgumentException.class, () -> new Dataset(new int[] {}, new float[0], new int[0], 2, "rank0"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Dataset(new int[] {1}, new float[0], new int[0], 0, "classes"));
    }

    @Test
    void subsetCopiesInGivenOrder() {
        Dataset d = small();
        Dataset s = d.subset(new int[] {3, 0, 3}, "s");
        assertEquals(3, s.size());
        assertEquals("s", s.name());
        assertArrayEquals(new int[] {1, 0, 1}, s.labels());
        assertEquals(30f, s.feature(0, 0));
        assertEquals(5f, s.feature(1, 5));
        assertEquals(35f, s.feature(2, 5));
        assertEquals(0, d.subset(new int[0]).size());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {4}));
    }

    @Test
    void batchGathersIntoReusableBuffers() {
        Dataset d = small();
        float[] x = new float[3 * 6 + 2];
        int[] y = new int[4];
        d.batch(new int[] {2, 1}, x, y);
        assertEquals(20f, x[0]);
        assertEquals(15f, x[11]);
        assertEquals(2, y[0]);
        assertEquals(2, y[1]);
        d.batch(new int[] {0, 1, 3, 2}, 2, 4, x, y);
        assertEquals(30f, x[0]);
        assertEquals(25f, x[11]);
        assertArrayEquals(new int[] {1, 2}, new int[] {y[0], y[1]});
        assertThrows(IllegalArgumentException.class, () -> d.batch(new int[] {0, 1, 2, 3}, x, y));
        assertThrows(IllegalArgumentException.class, () -> d.batch(new int[] {0, 1}, x, new int[1]));
    }

    @Test
    void concatAndEquality() {
        Dataset d = small();
        Dataset c = Dataset.concat(List.of(d.subset(new int[] {0, 1}), d.subset(new int[] {2, 3})), "small");
        assertEquals(d, c);
        assertEquals(d.hashCode(), c.hashCode());
        assertNotEquals(d, d.withName("other"));
        Dataset other = new Dataset(new int[] {6}, new float[6], new int[] {0}, 3, "flat");
        assertThrows(IllegalArgumentException.class, () -> Dataset.concat(List.of(d, other), "x"));
    }

    @Test
    void federatedDatasetChecksCompatibilityAndCounts() {
        Dataset d = small();
        FederatedDataset f = new FederatedDataset(
                List.of(d.subset(new int[] {0}), d.subset(new int[] {1, 2})), d.subset(new int[] {3}), "toy");
        assertEquals(3, f.totalTrainSamples());
        assertEquals(2, f.numClients());
        assertArrayEquals(new int[] {1, 2}, f.clientSizes());
        assertEquals(3, f.pooledTrain("p").size());
        Dataset other = new Dataset(new int[] {6}, new float[6], new int[] {0}, 3, "flat");
        assertThrows(IllegalArgumentException.class, () -> new FederatedDataset(List.of(other), d, "bad"));
        assertThrows(IllegalArgumentException.class, () -> new FederatedDataset(List.of(), d, "empty"));
    }
}
