package io.afd.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    static final int N = 5;
    static final int ROWS = 4;
    static final int COLS = 3;

    @TempDir
    Path tmp;

    /** Pixel of image i at (r, c); includes 0 (image 0 at (0, 0)) and 255 (image 1 at (1, 1)). */
    static int pixel(int i, int r, int c) {
        return i == 1 && r == 1 && c == 1 ? 255 : (i * 53 + r * 17 + c * 101) % 256;
    }

    static byte[] imagesBytes(int magic, int n, int rows, int cols, int actualImages) {
        ByteBuffer b = ByteBuffer.allocate(16 + actualImages * rows * cols);
        b.putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < actualImages; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    b.put((byte) pixel(i, r, c));
                }
            }
        }
        return b.array();
    }

    static byte[] labelsBytes(int magic, int n, int actual) {
        ByteBuffer b = ByteBuffer.allocate(8 + actual);
        b.putInt(magic).putInt(n);
        for (int i = 0; i < actual; i++) {
            b.put((byte) (i * 3 % 10));
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    Path write(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    static void assertImagesExact(IdxReader.Images im, int count) {
        assertEquals(count, im.count());
        assertEquals(ROWS, im.rows());
        assertEquals(COLS, im.cols());
        assertEquals(count * ROWS * COLS, im.pixels().length);
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLS; c++) {
                    assertEquals(pixel(i, r, c) / 255f, im.pixels()[(i * ROWS + r) * COLS + c]);
                }
            }
        }
    }

    @Test
    void readsRawAndGzippedImagesExactly() throws IOException {
        byte[] raw = imagesBytes(IdxReader.IMAGES_MAGIC, N, ROWS, COLS, N);
        Path plain = write("imgs", raw);
        // deliberately misleading names: detection is by content, not by suffix
        Path gz = write("imgs-not-compressed.idx", gzip(raw));
        Path plainGzName = write("imgs.gz", raw);
        assertTrue(IdxReader.isGzip(gz));
        assertFalse(IdxReader.isGzip(plainGzName));
        for (Path p : new Path[] {plain, gz, plainGzName}) {
            IdxReader.Images im = IdxReader.readImages(p);
            assertImagesExact(im, N);
        }
        float[] px = IdxReader.readImages(plain).pixels();
        float max = 0;
        float min = 1;
        for (float v : px) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertTrue(min >= 0 && max <= 1f);
        assertEquals(1f, max, "a 255 pixel maps to exactly 1");
        assertImagesExact(IdxReader.readImages(gz, 2), 2);
    }

    @Test
    void readsRawAndGzippedLabels() throws IOException {
        byte[] raw = labelsBytes(IdxReader.LABELS_MAGIC, N, N);
        int[] expected = {0, 3, 6, 9, 2};
        assertArrayEquals(expected, IdxReader.readLabels(write("l", raw)));
        assertArrayEquals(expected, IdxReader.readLabels(write("l2", gzip(raw))));
        assertArrayEquals(new int[] {0, 3}, IdxReader.readLabels(write("l3", gzip(raw)), 2));
        assertArrayEquals(expected, IdxReader.readLabels(new ByteArrayInputStream(gzip(raw)), "mem", 100));
    }

    @Test
    void readDatasetBuildsChwImages() throws IOException {
        Path im = write("i.gz", gzip(imagesBytes(IdxReader.IMAGES_MAGIC, N, ROWS, COLS, N)));
        Path lb = write("l", labelsBytes(IdxReader.LABELS_MAGIC, N, N));
        Dataset d = IdxReader.readDataset(im, lb, 10, "tiny");
        assertArrayEquals(new int[] {1, ROWS, COLS}, d.featureShape());
        assertEquals(N, d.size());
        assertArrayEquals(new int[] {0, 3, 6, 9, 2}, d.labels());
        assertEquals(pixel(3, 2, 1) / 255f, d.feature(3, 2 * COLS + 1));
        assertEquals(3, IdxReader.readDataset(im, lb, 10, "tiny", 3).size());
        IOException e = assertThrows(IOException.class, () -> IdxReader.readDataset(im, lb, 5, "few classes"));
        assertTrue(e.getMessage().contains("label 6"), e.getMessage());
    }

    @Test
    void truncatedPixelsGiveClearEof() throws IOException {
        byte[] raw = imagesBytes(IdxReader.IMAGES_MAGIC, N, ROWS, COLS, N);
        byte[] cut = Arrays.copyOf(raw, raw.length - 5);
        Path p = write("cut", cut);
        EOFException e = assertThrows(EOFException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(p.toString()), e.getMessage());
        // a limit that stays inside the data still works
        assertImagesExact(IdxReader.readImages(p, 4), 4);

        Path gz = write("cut.gz", gzip(cut));
        EOFException e2 = assertThrows(EOFException.class, () -> IdxReader.readImages(gz));
        assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());

        // the gzip stream itself cut short
        byte[] gzFull = gzip(raw);
        Path gzCut = write("gzcut", Arrays.copyOf(gzFull, gzFull.length / 2));
        IOException e3 = assertThrows(IOException.class, () -> IdxReader.readImages(gzCut));
        assertTrue(e3.getMessage().contains(gzCut.toString()), e3.getMessage());

        Path header = write("hdr", Arrays.copyOf(raw, 9));
        EOFException e4 = assertThrows(EOFException.class, () -> IdxReader.readImages(header));
        assertTrue(e4.getMessage().contains("header"), e4.getMessage());

        Path labels = write("lcut", labelsBytes(IdxReader.LABELS_MAGIC, N, N - 1));
        EOFException e5 = assertThrows(EOFException.class, () -> IdxReader.readLabels(labels));
        assertTrue(e5.getMessage().contains("truncated"), e5.getMessage());
        assertThrows(EOFException.class, () -> IdxReader.readLabels(write("empty", new byte[0])));
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        Path labelsAsImages = write("l", labelsBytes(IdxReader.LABELS_MAGIC, N, N));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains("bad magic") && e.getMessage().contains("label file"), e.getMessage());

        Path imagesAsLabels = write("i", imagesBytes(IdxReader.IMAGES_MAGIC, N, ROWS, COLS, N));
        IOException e2 = assertThrows(IOException.class, () -> IdxReader.readLabels(imagesAsLabels));
        assertTrue(e2.getMessage().contains("0x00000803"), e2.getMessage());

        Path floats = write("f", imagesBytes(0x00000D03, N, ROWS, COLS, N)); // IDX float32 images
        assertThrows(IOException.class, () -> IdxReader.readImages(floats));

        Path text = write("t", "hello world, not idx".getBytes());
        IOException e3 = assertThrows(IOException.class, () -> IdxReader.readImages(text));
        assertTrue(e3.getMessage().contains("not an IDX file"), e3.getMessage());
    }

    @Test
    void imageLabelCountMismatchIsRejected() throws IOException {
        Path im = write("i", imagesBytes(IdxReader.IMAGES_MAGIC, N, ROWS, COLS, N));
        Path lb = write("l.gz", gzip(labelsBytes(IdxReader.LABELS_MAGIC, N + 1, N + 1)));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readDataset(im, lb, 10, "x"));
        assertTrue(
                e.getMessage().contains("mismatch")
                        && e.getMessage().contains(String.valueOf(N))
                        && e.getMessage().contains(String.valueOf(N + 1)),
                e.getMessage());
    }

    @Test
    void missingFileIsClear() {
        assertThrows(NoSuchFileException.class, () -> IdxReader.readImages(tmp.resolve("nope")));
    }
}
