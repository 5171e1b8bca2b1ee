package io.afd.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/):
 * a big-endian header {@code 0x00 0x00 type ndims}, then {@code ndims} 32-bit big-endian sizes, then the
 * data. Supported: unsigned-byte images (magic {@code 0x00000803}, sizes {@code [n, rows, cols]}) and
 * unsigned-byte labels (magic {@code 0x00000801}, size {@code [n]}).
 *
 * <p>Files may be gzip-compressed; compression is detected from the gzip magic bytes {@code 1f 8b},
 * never from the file name. Images are scaled to [0, 1] ({@code value / 255}). Format problems
 * (wrong magic, truncation, image/label count mismatch) raise an {@link IOException} whose message names
 * the file; an {@link EOFException} for truncation.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /**
     * Decoded images.
     *
     * @param count  number of images read (may be less than the file holds when a limit was given)
     * @param rows   image height
     * @param cols   image width
     * @param pixels {@code count * rows * cols} values in [0, 1], row-major, image after image
     */
    public record Images(int count, int rows, int cols, float[] pixels) {}

    /** Reads all images of an IDX image file (raw or gzipped). */
    public static Images readImages(Path file) throws IOException {
        return readImages(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code min(limit, n)} images of an IDX image file (raw or gzipped). */
    public static Images readImages(Path file, int limit) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString(), limit);
        }
    }

    /**
     * Reads images from a stream (raw or gzipped); {@code source} names the input in error messages.
     * Does not close the stream.
     */
    public static Images readImages(InputStream rawIn, String source, int limit) throws IOException {
        requireLimit(limit);
        InputStream in = maybeGunzip(rawIn, source);
        try {
            int[] dims = readHeader(in, source, IMAGES_MAGIC, "images");
            int n = dims[0];
            int rows = dims[1];
            int cols = dims[2];
            if (rows <= 0 || cols <= 0) {
                throw new IOException("IDX file " + source + ": image size " + rows + "x" + cols + " is not positive");
            }
            int count = Math.min(n, limit);
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new IOException("IDX file " + source + ": " + count + " images of " + rows + "x" + cols
                        + " are too many to load at once; pass a limit");
            }
            byte[] raw = new byte[(int) bytes];
            int got = readFully(in, raw, 0, raw.length);
            if (got < raw.length) {
                throw new EOFException("IDX file " + source + " is truncated: header declares " + n + " images of "
                        + rows + "x" + cols + ", need " + raw.length + " bytes of pixels for " + count
                        + " of them but only " + got + " follow (" + (got / ((long) rows * cols))
                        + " complete images)");
            }
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xFF) / 255f;
            }
            return new Images(count, rows, cols, pixels);
        } catch (EOFException | ZipException e) {
            throw rethrow(e, source);
        }
    }

    /** Reads all labels of an IDX label file (raw or gzipped). */
    public static int[] readLabels(Path file) throws IOException {
        return readLabels(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code min(limit, n)} labels of an IDX label file (raw or gzipped). */
    public static int[] readLabels(Path file, int limit) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString(), limit);
        }
    }

    /** Reads labels from a stream (raw or gzipped); does not close the stream. */
    public static int[] readLabels(InputStream rawIn, String source, int limit) throws IOException {
        requireLimit(limit);
        InputStream in = maybeGunzip(rawIn, source);
        try {
            int n = readHeader(in, source, LABELS_MAGIC, "labels")[0];
            int count = Math.min(n, limit);
            byte[] raw = new byte[count];
            int got = readFully(in, raw, 0, raw.length);
            if (got < count) {
                throw new EOFException("IDX file " + source + " is truncated: header declares " + n + " labels, need "
                        + count + " but only " + got + " follow");
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (EOFException | ZipException e) {
            throw rethrow(e, source);
        }
    }

    /**
     * Reads an image file and its label file into a dataset of shape {@code {1, rows, cols}}.
     *
     * @param limit at most this many samples (the first ones); {@code Integer.MAX_VALUE} for all
     * @throws IOException on format errors, truncation, a count mismatch between the two files or a
     *                     label outside {@code [0, numClasses)}
     */
    public static Dataset readDataset(Path imagesFile, Path labelsFile, int numClasses, String name, int limit)
            throws IOException {
        int[] declared = {
            declaredCount(imagesFile, IMAGES_MAGIC, "images"), declaredCount(labelsFile, LABELS_MAGIC, "labels")
        };
        if (declared[0] != declared[1]) {
            throw new IOException("IDX count mismatch: " + imagesFile + " declares " + declared[0] + " images but "
                    + labelsFile + " declares " + declared[1] + " labels");
        }
        Images images = readImages(imagesFile, limit);
        int[] labels = readLabels(labelsFile, limit);
        if (images.count() != labels.length) { // cannot happen after the header check, kept as a guard
            throw new IOException("IDX count mismatch: read " + images.count() + " images from " + imagesFile + " but "
                    + labels.length + " labels from " + labelsFile);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= numClasses) {
                throw new IOException("IDX file " + labelsFile + ": label " + labels[i] + " of sample " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        return Dataset.owning(new int[] {1, images.rows(), images.cols()}, images.pixels(), labels, numClasses, name);
    }

    /** {@link #readDataset(Path, Path, int, String, int)} without a limit. */
    public static Dataset readDataset(Path imagesFile, Path labelsFile, int numClasses, String name)
            throws IOException {
        return readDataset(imagesFile, labelsFile, numClasses, name, Integer.MAX_VALUE);
    }

    /** The sample count in the header of an IDX file with the expected magic. */
    public static int declaredCount(Path file, int expectedMagic, String what) throws IOException {
        try (InputStream raw = open(file)) {
            InputStream in = maybeGunzip(raw, file.toString());
            try {
                return readHeader(in, file.toString(), expectedMagic, what)[0];
            } catch (EOFException | ZipException e) {
                throw rethrow(e, file.toString());
            }
        }
    }

    /** True if the file starts with the gzip magic bytes {@code 1f 8b}. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file not found");
        }
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    private static InputStream maybeGunzip(InputStream in, String source) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            } catch (EOFException | ZipException e) {
                throw rethrow(e, source);
            }
        }
        return buffered;
    }

    private static int[] readHeader(InputStream in, String source, int expectedMagic, String what) throws IOException {
        byte[] head = new byte[4];
        int got = readFully(in, head, 0, 4);
        if (got < 4) {
            throw new EOFException("IDX file " + source + " is truncated: " + got + " bytes, too short for the "
                    + "4-byte magic number");
        }
        int magic = toInt(head, 0);
        if (magic != expectedMagic) {
            String hint = "";
            if (magic == IMAGES_MAGIC) {
                hint = " (this is an IDX image file)";
            } else if (magic == LABELS_MAGIC) {
                hint = " (this is an IDX label file)";
            } else if ((magic >>> 16) != 0) {
                hint = " (not an IDX file: IDX files start with two zero bytes)";
            }
            throw new IOException(String.format(
                    "IDX file %s: bad magic number 0x%08x, expected 0x%08x for unsigned-byte %s%s",
                    source, magic, expectedMagic, what, hint));
        }
        int ndims = expectedMagic & 0xFF;
        byte[] dimBytes = new byte[4 * ndims];
        got = readFully(in, dimBytes, 0, dimBytes.length);
        if (got < dimBytes.length) {
            throw new EOFException("IDX file " + source + " is truncated inside its header: " + (4 + got) + " of "
                    + (4 + dimBytes.length) + " header bytes");
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = toInt(dimBytes, 4 * i);
            if (dims[i] < 0) {
                throw new IOException("IDX file " + source + ": dimension " + i + " is negative or too large ("
                        + Integer.toUnsignedString(dims[i]) + ")");
            }
        }
        return dims;
    }

    private static int toInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** Reads until {@code len} bytes or end of stream; returns the number read. */
    private static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(buf, off + total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    private static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    private static IOException rethrow(IOException e, String source) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.contains(source)) {
            return e;
        }
        if (e instanceof EOFException) {
            EOFException eof =
                    new EOFException("IDX file " + source + " is truncated (gzip stream ends early): " + msg);
            eof.initCause(e);
            return eof;
        }
        return new IOException("IDX file " + source + " is not a valid gzip stream: " + msg, e);
    }
}
