package io.afd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code afd summarize}: one Markdown table row per finished run directory. */
@Command(
        name = "summarize",
        mixinStandardHelpOptions = true,
        description = "Print a Markdown table of finished runs (directories holding metrics.json).")
public final class SummarizeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", description = "Run directories, or parents of run directories.")
    List<Path> dirs;

    @Override
    public Integer call() throws Exception {
        List<Path> runs = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.exists(d.resolve("metrics.json"))) {
                runs.add(d);
            } else if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> Files.exists(p.resolve("metrics.json")))
                            .sorted()
                            .forEach(runs::add);
                }
            } else {
                throw new IllegalArgumentException("no run at " + d + " (expected a directory with metrics.json)");
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no finished runs under " + dirs);
        }
        ObjectMapper json = new ObjectMapper();
        Table t = new Table(
                "run",
                "policy",
                "DGC",
                "rounds",
                "final acc",
                "best acc",
                "down/client/round",
                "up/client/round",
                "up, last round",
                "down saving",
                "up saving (last)");
        for (Path run : runs) {
            JsonNode doc;
            try {
                doc = json.readTree(run.resolve("metrics.json").toFile());
            } catch (Exception e) {
                throw new IllegalArgumentException(
                        run.resolve("metrics.json") + " is not valid metrics JSON: " + e.getMessage(), e);
            }
            JsonNode c = doc.path("config");
            JsonNode s = doc.path("summary");
            if (s.isMissingNode() || c.isMissingNode()) {
                throw new IllegalArgumentException(run.resolve("metrics.json") + " lacks config or summary");
            }
            JsonNode rounds = doc.path("rounds");
            double lastUp =
                    rounds.get(rounds.size() - 1).path("bytesUpPerClient").asDouble();
            double dense = s.path("denseBytes").asDouble();
            t.row(
                    c.path("name").asText(),
                    c.path("policy").asText(),
                    c.path("dgc").asBoolean() ? "yes" : "no",
                    s.path("rounds").asInt(),
                    Table.pct(s.path("finalAccuracy").asDouble()),
                    Table.pct(s.path("bestAccuracy").asDouble()),
                    Table.bytes(s.path("meanBytesDownPerClient").asDouble()),
                    Table.bytes(s.path("meanBytesUpPerClient").asDouble()),
                    Table.bytes(lastUp),
                    Table.times(s.path("downlinkReduction").asDouble()),
                    String.format(Locale.ROOT, "%.1fx", dense / lastUp));
        }
        System.out.print(t.render());
        return 0;
    }
}
