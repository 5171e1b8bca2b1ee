package io.afd.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <out>/matrix.json}: the expanded matrix as the runner saw it, written before the first cell
 * runs, read back by the report. It carries the matrix source text and the command, so a report
 * says what produced it.
 *
 * @param name        matrix name
 * @param description free text from the matrix
 * @param source      matrix file as given on the command line
 * @param sourceText  the matrix YAML
 * @param command     the command line that ran it
 * @param created     when the runner wrote this file (ISO-8601)
 * @param computeMode time-model compute mode
 * @param profiles    bandwidth profiles
 * @param report      report settings
 * @param cells       the cells in run order
 */
public record MatrixRecord(
        String name,
        String description,
        String source,
        String sourceText,
        String command,
        String created,
        TimeModel.ComputeMode computeMode,
        List<BandwidthProfile> profiles,
        MatrixSpec.ReportSettings report,
        List<CellInfo> cells) {

    public static final String FILE = "matrix.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One cell as recorded.
     *
     * @param name        cell (and directory) name
     * @param setting     setting name
     * @param policy      policy label
     * @param compression compression label
     * @param dropoutRate dropout rate
     * @param seed        seed
     * @param config      {@link io.afd.core.sim.ExperimentConfig#describe()}
     */
    public record CellInfo(
            String name,
            String setting,
            String policy,
            String compression,
            double dropoutRate,
            long seed,
            Map<String, Object> config) {
        public Cell.SeriesKey series() {
            return new Cell.SeriesKey(setting, policy, compression, dropoutRate);
        }
    }

    public static MatrixRecord of(MatrixSpec spec, String command) {
        List<CellInfo> cells = new ArrayList<>();
        for (Cell c : spec.cells()) {
            cells.add(new CellInfo(
                    c.name(),
                    c.setting(),
                    c.policy(),
                    c.compression().label(),
                    c.dropoutRate(),
                    c.seed(),
                    c.config().describe()));
        }
        return new MatrixRecord(
                spec.name(),
                spec.description(),
                spec.source(),
                spec.sourceText(),
                command,
                Instant.now().toString(),
                spec.computeMode(),
                spec.profiles(),
                spec.report(),
                cells);
    }

    public void write(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "afd-matrix/1");
        doc.put("name", name);
        doc.put("description", description);
        doc.put("source", source);
        doc.put("command", command);
        doc.put("created", created);
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("compute", computeMode.label());
        tm.put("profiles", profiles);
        doc.put("timeModel", tm);
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("targetFraction", report.targetFraction());
        rep.put("targetAccuracy", Double.isNaN(report.targetAccuracy()) ? null : report.targetAccuracy());
        rep.put("speedupTarget", report.speedupTarget());
        rep.put("accuracyTolerance", report.accuracyTolerance());
        rep.put("uploadCompressionTarget", report.uploadCompressionTarget());
        doc.put("report", rep);
        doc.put("cells", cells);
        doc.put("sourceText", sourceText);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), doc);
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads {@code matrix.json}; errors name the file. */
    public static MatrixRecord read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found: is this an 'afd experiment' output directory?");
        }
        try {
            JsonNode d = JSON.readTree(file.toFile());
            if (d == null || !d.path("cells").isArray()) {
                throw new IllegalArgumentException(file + ": not a matrix record (no 'cells' list)");
            }
            JsonNode tm = d.path("timeModel");
            List<BandwidthProfile> profiles = new ArrayList<>();
            for (JsonNode p : tm.path("profiles")) {
                profiles.add(new BandwidthProfile(
                        p.path("name").asText(),
                        p.path("downMbps").asDouble(),
                        p.path("upMbps").asDouble(),
                        p.path("latencyMs").asDouble(),
                        p.path("computeScale").asDouble(1)));
            }
            if (profiles.isEmpty()) {
                profiles.addAll(BandwidthProfile.DEFAULTS);
            }
            JsonNode r = d.path("report");
            MatrixSpec.ReportSettings def = MatrixSpec.ReportSettings.DEFAULTS;
            MatrixSpec.ReportSettings rep = new MatrixSpec.ReportSettings(
                    r.path("targetFraction").asDouble(def.targetFraction()),
                    r.hasNonNull("targetAccuracy") ? r.path("targetAccuracy").asDouble() : Double.NaN,
                    r.path("speedupTarget").asDouble(def.speedupTarget()),
                    r.path("accuracyTolerance").asDouble(def.accuracyTolerance()),
                    r.path("uploadCompressionTarget").asDouble(def.uploadCompressionTarget()));
            List<CellInfo> cells = new ArrayList<>();
            for (JsonNode c : d.path("cells")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> cfg = JSON.convertValue(c.path("config"), Map.class);
                String n = c.path("name").asText("");
                if (n.isEmpty() || n.contains("/") || n.contains("\\") || n.startsWith(".")) {
                    throw new IllegalArgumentException(file + ": bad cell name '" + n + "'");
                }
                cells.add(new CellInfo(
                        n,
                        c.path("setting").asText(),
                        c.path("policy").asText(),
                        c.path("compression").asText(),
                        c.path("dropoutRate").asDouble(),
                        c.path("seed").asLong(),
                        cfg));
            }
            return new MatrixRecord(
                    d.path("name").asText(),
                    d.path("description").asText(""),
                    d.path("source").asText(""),
                    d.path("sourceText").asText(""),
                    d.path("command").asText(""),
                    d.path("created").asText(""),
                    TimeModel.ComputeMode.parse(tm.path("compute").asText("reference")),
                    profiles,
                    rep,
                    cells);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
