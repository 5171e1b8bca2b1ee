package io.afd.infra;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where things are: the repository root, the broker's jars, the afd-infra classes. */
public final class Layout {

    /** System property naming the directory of the Kafka server jars. */
    public static final String KAFKA_LIBS_PROPERTY = "afd.kafka.libs";
    /** Environment variable naming the directory of the Kafka server jars. */
    public static final String KAFKA_LIBS_ENV = "AFD_KAFKA_LIBS";
    /** System property naming the repository root (else found by walking up to {@code mvnw}). */
    public static final String REPO_ROOT_PROPERTY = "afd.repo.root";

    static final String BUILD_HINT = "build them with `./mvnw -B -q -pl infra -am install -DskipTests` "
            + "or point -D" + KAFKA_LIBS_PROPERTY + " / " + KAFKA_LIBS_ENV + " at a directory of the "
            + "kafka_2.13 jars and their dependencies";

    private Layout() {}

    /**
     * The repository root: {@code -Dafd.repo.root}, else the nearest directory holding {@code mvnw}
     * above the current directory, else above the afd-infra classes.
     */
    public static Optional<Path> repoRoot() {
        String explicit = System.getProperty(REPO_ROOT_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit).toAbsolutePath().normalize());
        }
        Optional<Path> fromCwd = walkUpToMvnw(Path.of("").toAbsolutePath());
        if (fromCwd.isPresent()) {
            return fromCwd;
        }
        return codeSource().flatMap(Layout::walkUpToMvnw);
    }

    private static Optional<Path> walkUpToMvnw(Path start) {
        for (Path p = start.normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The directory of the Kafka server jars: {@code -Dafd.kafka.libs}, else {@code $AFD_KAFKA_LIBS},
     * else {@code <repo>/infra/target/kafka-libs}, else {@code kafka-libs} next to the afd-infra
     * jar or classes directory.
     *
     * @throws IllegalStateException with a build hint when none of them holds the jars
     */
    public static Path kafkaLibs() {
        String explicit = Procs.setting(KAFKA_LIBS_PROPERTY, KAFKA_LIBS_ENV);
        if (explicit != null) {
            Path dir = Path.of(explicit).toAbsolutePath().normalize();
            if (!holdsKafka(dir)) {
                throw new IllegalStateException("No Kafka server jars (kafka_2.13-*.jar) in " + dir + " (from -D"
                        + KAFKA_LIBS_PROPERTY + " / " + KAFKA_LIBS_ENV + "); " + BUILD_HINT);
            }
            return dir;
        }
        Optional<Path> root = repoRoot();
        if (root.isPresent()) {
            Path dir = root.get().resolve("infra/target/kafka-libs");
            if (holdsKafka(dir)) {
                return dir;
            }
        }
        Optional<Path> sibling = codeSource().map(p -> p.getParent().resolve("kafka-libs"));
        if (sibling.isPresent() && holdsKafka(sibling.get())) {
            return sibling.get();
        }
        throw new IllegalStateException("Kafka server jars not found (looked in "
                + root.map(r -> r.resolve("infra/target/kafka-libs").toString()).orElse("<no repository root>")
                + sibling.map(s -> " and " + s).orElse("") + "); " + BUILD_HINT);
    }

    static boolean holdsKafka(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "kafka_2.13-*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** The jar or classes directory afd-infra is loaded from, if it is a local file. */
    public static Optional<Path> codeSource() {
        try {
            var source = Layout.class.getProtectionDomain().getCodeSource();
            if (source == null
                    || source.getLocation() == null
                    || !"file".equals(source.getLocation().getProtocol())) {
                return Optional.empty();
            }
            Path p = Path.of(source.getLocation().toURI());
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
