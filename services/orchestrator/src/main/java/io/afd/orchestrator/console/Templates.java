package io.afd.orchestrator.console;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The console's experiment templates: the repository's example configs ({@code examples/}), packaged into the
 * service at build time under {@code console-templates/}, read once.
 */
@ApplicationScoped
public class Templates {
    /** A template: its file name without {@code .yaml}, and its text. */
    public record Template(String name, String yaml) {}

    private static final String DIR = "console-templates";
    private volatile List<Template> all;

    public List<Template> all() {
        List<Template> t = all;
        if (t == null) {
            t = load();
            all = t;
        }
        return t;
    }

    private static List<Template> load() {
        URL url = Thread.currentThread().getContextClassLoader().getResource(DIR);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(fs.getPath(DIR));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's templates", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Template> read(Path dir) throws IOException {
        List<Template> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".yaml")) {
                    try (InputStream in = Files.newInputStream(f)) {
                        out.add(new Template(
                                name.substring(0, name.length() - ".yaml".length()),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
