package io.afd.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path tmp;

    private void writeCopy(Path dir, boolean gz, int nTrain, int nTest) throws IOException {
        Files.createDirectories(dir);
        String s = gz ? ".gz" : "";
        byte[] trI = IdxReaderTest.imagesBytes(IdxReader.IMAGES_MAGIC, nTrain, 28, 28, nTrain);
        byte[] trL = IdxReaderTest.labelsBytes(IdxReader.LABELS_MAGIC, nTrain, nTrain);
        byte[] teI = IdxReaderTest.imagesBytes(IdxReader.IMAGES_MAGIC, nTest, 28, 28, nTest);
        byte[] teL = IdxReaderTest.labelsBytes(IdxReader.LABELS_MAGIC, nTest, nTest);
        Files.write(dir.resolve(FashionMnist.TRAIN_IMAGES + s), gz ? IdxReaderTest.gzip(trI) : trI);
        Files.write(dir.resolve(FashionMnist.TRAIN_LABELS + s), gz ? IdxReaderTest.gzip(trL) : trL);
        Files.write(dir.resolve(FashionMnist.TEST_IMAGES + s), gz ? IdxReaderTest.gzip(teI) : teI);
        Files.write(dir.resolve(FashionMnist.TEST_LABELS + s), gz ? IdxReaderTest.gzip(teL) : teL);
    }

    @Test
    void loadsGzippedCopyInDirectory() throws IOException {
        writeCopy(tmp, true, 6, 4);
        assertTrue(FashionMnist.isAvailable(tmp));
        TrainTest tt = FashionMnist.load(tmp);
        assertEquals(6, tt.train().size());
        assertEquals(4, tt.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, tt.train().featureShape());
        assertEquals(10, tt.train().numClasses());
        assertEquals(IdxReaderTest.pixel(5, 27, 3) / 255f, tt.train().feature(5, 27 * 28 + 3));
        TrainTest limited = FashionMnist.load(tmp, 2, 3);
        assertEquals(2, limited.train().size());
        assertEquals(3, limited.test().size());
    }

    @Test
    void findsRawCopyOneDirectoryDeeper() throws IOException {
        writeCopy(tmp.resolve("fashion").resolve("raw"), false, 3, 2);
        assertFalse(FashionMnist.isAvailable(tmp), "two levels deep is too deep");
        assertTrue(FashionMnist.isAvailable(tmp.resolve("fashion")));
        assertEquals(3, FashionMnist.load(tmp.resolve("fashion")).train().size());
    }

    @Test
    void missingFilesGiveClearError() throws IOException {
        writeCopy(tmp, true, 3, 2);
        Files.delete(tmp.resolve(FashionMnist.TEST_LABELS + ".gz"));
        assertFalse(FashionMnist.isAvailable(tmp));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(tmp));
        assertTrue(e.getMessage().contains(FashionMnist.ENV_VAR), e.getMessage());
        assertFalse(FashionMnist.isAvailable(tmp.resolve("does-not-exist")));
    }

    @Test
    void defaultDirectoryIsDebiansUnlessOverridden() {
        String env = System.getenv(FashionMnist.ENV_VAR);
        if (env == null || env.isBlank()) {
            assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.defaultDirectory());
        } else {
            assertEquals(Path.of(env.trim()), FashionMnist.defaultDirectory());
        }
    }

    /** Runs only where the real data set is installed (e.g. Debian's dataset-fashion-mnist). */
    @Test
    void realDataWhenInstalled() throws IOException {
        Assumptions.assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST not installed");
        TrainTest tt = FashionMnist.load(FashionMnist.defaultDirectory(), 1000, 1000);
        assertEquals(1000, tt.train().size());
        assertEquals(1000, tt.test().size());
        for (int c : tt.train().labelHistogram()) {
            assertTrue(c > 50, "every class is present in the first 1000 training images");
        }
    }
}
