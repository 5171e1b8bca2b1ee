package io.afd.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, arXiv:1708.07747): 60 000 training and 10 000 test
 * grey 28x28 images of 10 clothing classes, in the IDX format of MNIST.
 *
 * <p>Debian's package {@code dataset-fashion-mnist} installs the four gzipped IDX files into
 * {@value #DEBIAN_DIRECTORY}. The environment variable {@value #ENV_VAR} overrides that location.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final String DEBIAN_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    /** Environment variable naming a directory that overrides {@link #DEBIAN_DIRECTORY}. */
    public static final String ENV_VAR = "AFD_FASHION_MNIST_DIR";

    public static final int NUM_CLASSES = 10;
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** The four files of one copy of the data set. */
    public record Location(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {}

    /** Class names, index = label. */
    public static List<String> classNames() {
        return CLASS_NAMES;
    }

    /** {@code $AFD_FASHION_MNIST_DIR} if set and not blank, else {@value #DEBIAN_DIRECTORY}. */
    public static Path defaultDirectory() {
        String env = System.getenv(ENV_VAR);
        if (env != null && !env.isBlank()) {
            return Path.of(env.trim());
        }
        return Path.of(DEBIAN_DIRECTORY);
    }

    /** True if the four files can be found in {@link #defaultDirectory()}. */
    public static boolean isAvailable() {
        return isAvailable(defaultDirectory());
    }

    /** True if the four files can be found in {@code dir} or one of its immediate subdirectories. */
    public static boolean isAvailable(Path dir) {
        return find(dir).isPresent();
    }

    /**
     * Locates the four files, each as {@code NAME} or {@code NAME.gz} (the uncompressed one preferred), all
     * in {@code dir} itself or all in one immediate subdirectory (subdirectories tried in name order).
     */
    public static Optional<Location> find(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Optional<Location> here = findIn(dir);
        if (here.isPresent()) {
            return here;
        }
        List<Path> subdirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).sorted().forEach(subdirs::add);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path sub : subdirs) {
            Optional<Location> f = findIn(sub);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    private static Optional<Location> findIn(Path dir) {
        Path a = file(dir, TRAIN_IMAGES);
        Path b = file(dir, TRAIN_LABELS);
        Path c = file(dir, TEST_IMAGES);
        Path d = file(dir, TEST_LABELS);
        if (a == null || b == null || c == null || d == null) {
            return Optional.empty();
        }
        return Optional.of(new Location(a, b, c, d));
    }

    private static Path file(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(base + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** Loads train and test from {@link #defaultDirectory()}. */
    public static TrainTest load() throws IOException {
        return load(defaultDirectory());
    }

    /** Loads the full train (60 000) and test (10 000) sets from {@code dir}. */
    public static TrainTest load(Path dir) throws IOException {
        return load(dir, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Loads at most {@code trainLimit} / {@code testLimit} samples (the first ones in file order) from
     * {@code dir}; datasets have shape {@code {1, 28, 28}}, values in [0, 1], 10 classes.
     *
     * @throws NoSuchFileException if the files are not found
     */
    public static TrainTest load(Path dir, int trainLimit, int testLimit) throws IOException {
        Location f = find(dir)
                .orElseThrow(() -> new NoSuchFileException(
                        String.valueOf(dir),
                        null,
                        "Fashion-MNIST not found: expected " + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES
                                + " and " + TEST_LABELS
                                + " (each optionally .gz) in this directory or one directory below;"
                                + " install Debian's dataset-fashion-mnist (" + DEBIAN_DIRECTORY + ") or set "
                                + ENV_VAR));
        Dataset train =
                IdxReader.readDataset(f.trainImages(), f.trainLabels(), NUM_CLASSES, "fashion-mnist/train", trainLimit);
        Dataset test =
                IdxReader.readDataset(f.testImages(), f.testLabels(), NUM_CLASSES, "fashion-mnist/test", testLimit);
        return new TrainTest(train, test);
    }
}
