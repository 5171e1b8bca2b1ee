package io.afd.core.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.afd.core.codec.CodecSpec;
import io.afd.core.codec.TensorCodec;
import io.afd.core.round.ScoreUpdate;
import io.afd.core.scoremap.ScoreMap;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's results into a directory:
 * <ul>
 *   <li>{@code metrics.csv}: one row per round ({@link RoundMetrics#CSV_HEADER});</li>
 *   <li>{@code metrics.json}: the config, every round and a summary;</li>
 *   <li>{@code scoremaps.jsonl}: per round, the score maps (Single-Model: the global map;
 *       Multi-Model: the per-unit mean over client maps), for heatmaps;</li>
 *   <li>{@code final-model.afdt}: the final global weights, float32 {@link TensorCodec} blob.</li>
 * </ul>
 * As a {@link Simulator.Listener} it appends each round as it finishes, so a killed run leaves
 * every finished round on disk.
 */
public final class MetricsWriter implements Simulator.Listener {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSONL = new ObjectMapper();

    private final Path dir;
    private BufferedWriter csv;
    private BufferedWriter scores;

    public MetricsWriter(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onStart(
            ExperimentConfig config, io.afd.core.data.FederatedDataset data, io.afd.core.model.ModelSpec model) {
        try {
            Files.createDirectories(dir);
            csv = Files.newBufferedWriter(dir.resolve("metrics.csv"), StandardCharsets.UTF_8);
            csv.write(RoundMetrics.CSV_HEADER);
            csv.newLine();
            csv.flush();
            scores = Files.newBufferedWriter(dir.resolve("scoremaps.jsonl"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + dir, e);
        }
    }

    @Override
    public void onRound(RoundMetrics m, List<ScoreUpdate> updates, Map<String, ScoreMap> maps) {
        try {
            csv.write(m.csvRow());
            csv.newLine();
            csv.flush();
            if (!maps.isEmpty()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("round", m.round());
                row.put("maps", maps.size());
                row.put("scores", meanScores(maps));
                scores.write(JSONL.writeValueAsString(row));
                scores.newLine();
                scores.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + dir, e);
        }
    }

    /** Per layer, the per-unit mean over the maps. */
    static Map<String, double[]> meanScores(Map<String, ScoreMap> maps) {
        Map<String, double[]> mean = new LinkedHashMap<>();
        for (ScoreMap sm : maps.values()) {
            sm.allScores().forEach((layer, s) -> {
                double[] acc = mean.computeIfAbsent(layer, k -> new double[s.length]);
                for (int i = 0; i < s.length; i++) {
                    acc[i] += s[i] / maps.size();
                }
            });
        }
        return mean;
    }

    /** Writes metrics.json and the final model once the run is over. */
    public void finish(Simulator.Result r) {
        try {
            if (csv != null) {
                csv.close();
            }
            if (scores != null) {
                scores.close();
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("config", r.config().describe());
            doc.put("summary", summary(r));
            doc.put("rounds", r.rounds());
            JSON.writeValue(dir.resolve("metrics.json").toFile(), doc);
            Files.write(
                    dir.resolve("final-model.afdt"),
                    TensorCodec.encode(r.finalModel().list(), CodecSpec.FLOAT32));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
    }

    /** Headline numbers of a run. */
    public static Map<String, Object> summary(Simulator.Result r) {
        Map<String, Object> s = new LinkedHashMap<>();
        RoundMetrics last = r.last();
        double down = r.rounds().stream()
                .mapToDouble(RoundMetrics::bytesDownPerClient)
                .average()
                .orElse(0);
        double up = r.rounds().stream()
                .mapToDouble(RoundMetrics::bytesUpPerClient)
                .average()
                .orElse(0);
        s.put("rounds", r.rounds().size());
        s.put("finalAccuracy", last.testAccuracy());
        s.put("bestAccuracy", r.bestAccuracy());
        s.put("finalTestLoss", last.testLoss());
        s.put("reachedTarget", r.reachedTarget());
        s.put("meanBytesDownPerClient", down);
        s.put("meanBytesUpPerClient", up);
        s.put("denseBytes", last.denseBytes());
        s.put("downlinkReduction", down == 0 ? 0 : last.denseBytes() / down);
        s.put("uplinkReduction", up == 0 ? 0 : last.denseBytes() / up);
        s.put("finalUplinkReduction", last.bytesUpPerClient() == 0 ? 0 : last.denseBytes() / last.bytesUpPerClient());
        s.put("wallMillis", r.wallMillis());
        return s;
    }
}
