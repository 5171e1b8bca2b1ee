package io.afd.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's score maps over rounds, read from {@code scoremaps.jsonl} (one line per round:
 * {@code {"round": t, "maps": n, "scores": {"<layer>": [per-unit mean score], ...}}}).
 *
 * @param rounds the round index of each column
 * @param layers per layer, one score array per round (columns), units as rows
 */
public record ScoreMapHistory(List<Integer> rounds, Map<String, List<double[]>> layers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ScoreMapHistory read(Path file) {
        List<Integer> rounds = new ArrayList<>();
        Map<String, List<double[]>> layers = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " is not valid JSON", e);
            }
            if (row == null || !row.path("scores").isObject()) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " has no 'scores' object");
            }
            rounds.add(row.path("round").asInt(i));
            for (var e : row.path("scores").properties()) {
                double[] s = new double[e.getValue().size()];
                for (int u = 0; u < s.length; u++) {
                    s[u] = e.getValue().get(u).asDouble();
                }
                layers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s);
            }
        }
        return new ScoreMapHistory(List.copyOf(rounds), layers);
    }

    public boolean isEmpty() {
        return rounds.isEmpty();
    }
}
