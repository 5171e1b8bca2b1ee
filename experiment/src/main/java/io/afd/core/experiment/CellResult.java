package io.afd.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.sim.RoundMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished cell read back from its {@code metrics.json}.
 *
 * @param info   the cell as recorded in {@code matrix.json}
 * @param dir    the cell's directory
 * @param config the {@code config} object of metrics.json
 * @param rounds every round's metrics
 */
public record CellResult(MatrixRecord.CellInfo info, Path dir, JsonNode config, List<RoundMetrics> rounds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] LONG_FIELDS = {"denseBytes", "trainMillis", "computeMillisMax", "wallMillis"};
    private static final String[] DOUBLE_FIELDS = {
        "bytesDownPerClient", "bytesUpPerClient", "subModelParams", "sparsity", "uploadedValues", "trainLoss"
    };

    /**
     * Reads {@code dir/metrics.json}. A missing, truncated or malformed file gives an
     * {@link IllegalArgumentException} whose message starts with the file's path.
     */
    public static CellResult read(MatrixRecord.CellInfo info, Path dir) {
        Path f = dir.resolve("metrics.json");
        JsonNode d;
        try {
            d = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    f + " is not valid metrics JSON (corrupt or incomplete; delete the "
                            + "cell directory and rerun 'afd experiment' to redo it): " + firstLine(e.getMessage()),
                    e);
        }
        if (d == null || !d.path("config").isObject() || !d.path("summary").isObject()) {
            throw new IllegalArgumentException(f + " is incomplete: it lacks the 'config' or 'summary' object");
        }
        JsonNode rs = d.path("rounds");
        if (!rs.isArray() || rs.isEmpty()) {
            throw new IllegalArgumentException(f + " is incomplete: it has no 'rounds'");
        }
        List<RoundMetrics> rounds = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            JsonNode r = rs.get(i);
            for (String k : LONG_FIELDS) {
                need(f, i, r, k);
            }
            for (String k : DOUBLE_FIELDS) {
                need(f, i, r, k);
            }
            need(f, i, r, "round");
            rounds.add(new RoundMetrics(
                    r.path("round").asInt(),
                    r.path("clients").asInt(),
                    num(r.path("testAccuracy")),
                    num(r.path("testLoss")),
                    num(r.path("trainLoss")),
                    num(r.path("bytesDownPerClient")),
                    num(r.path("bytesUpPerClient")),
                    r.path("denseBytes").asLong(),
                    num(r.path("subModelParams")),
                    num(r.path("sparsity")),
                    num(r.path("uploadedValues")),
                    r.path("distinctSubModels").asInt(),
                    r.path("trainMillis").asLong(),
                    r.path("computeMillisMax").asLong(),
                    r.path("wallMillis").asLong()));
        }
        return new CellResult(info, dir, d.path("config"), List.copyOf(rounds));
    }

    private static void need(Path f, int i, JsonNode r, String k) {
        JsonNode v = r.get(k);
        if (v == null || !(v.isNumber() || v.isTextual())) {
            throw new IllegalArgumentException(f + " is incomplete: rounds[" + i + "] lacks " + k);
        }
    }

    /** Jackson writes NaN as the string "NaN" by default; accept numbers, "NaN" and null. */
    private static double num(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public RoundMetrics last() {
        return rounds.get(rounds.size() - 1);
    }

    /** Accuracy of the last evaluated round. */
    public double finalAccuracy() {
        for (int i = rounds.size() - 1; i >= 0; i--) {
            if (!Double.isNaN(rounds.get(i).testAccuracy())) {
                return rounds.get(i).testAccuracy();
            }
        }
        return Double.NaN;
    }

    /**
     * Mean accuracy of the last {@code n} evaluated rounds (fewer if fewer were evaluated): a final
     * accuracy less sensitive to the round-to-round swings of non-IID training.
     */
    public double tailAccuracy(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        double sum = 0;
        int seen = 0;
        for (int i = rounds.size() - 1; i >= 0 && seen < n; i--) {
            double acc = rounds.get(i).testAccuracy();
            if (!Double.isNaN(acc)) {
                sum += acc;
                seen++;
            }
        }
        return seen == 0 ? Double.NaN : sum / seen;
    }

    public double bestAccuracy() {
        return rounds.stream()
                .mapToDouble(RoundMetrics::testAccuracy)
                .filter(d -> !Double.isNaN(d))
                .max()
                .orElse(Double.NaN);
    }

    /** The score maps file, if the policy keeps score maps. */
    public Path scoreMapsFile() {
        Path p = dir.resolve("scoremaps.jsonl");
        return Files.isRegularFile(p) ? p : null;
    }
}
