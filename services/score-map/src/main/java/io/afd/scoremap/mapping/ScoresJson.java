package io.afd.scoremap.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.core.model.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage form of a score map's scores: a JSON object {@code {layer: [score per unit]}} in model layer
 * order. Jackson writes doubles with {@link Double#toString} and reads them back exactly, so a restored
 * map is bit-identical to the one that was stored.
 */
public final class ScoresJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, double[]>> TYPE = new TypeReference<>() {};

    private ScoresJson() {}

    public static String write(Map<String, double[]> scores) {
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            for (double v : e.getValue()) {
                if (!Double.isFinite(v)) {
                    throw new IllegalStateException("score map layer " + e.getKey() + " has a non-finite score " + v);
                }
            }
        }
        try {
            return JSON.writeValueAsString(scores);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize scores", e);
        }
    }

    /** Parses stored scores, as written (layer order kept). */
    public static LinkedHashMap<String, double[]> read(String json) {
        try {
            return JSON.readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scores are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses stored scores and checks them against the model: exactly its droppable layers, each with one
     * score per unit; returned in model layer order.
     */
    public static LinkedHashMap<String, double[]> read(String json, ModelSpec spec) {
        LinkedHashMap<String, double[]> raw = read(json);
        List<String> layers = spec.droppableLayers();
        if (!raw.keySet().equals(new java.util.HashSet<>(layers))) {
            throw new IllegalStateException(
                    "stored score map layers " + raw.keySet() + " do not match the model's " + layers);
        }
        LinkedHashMap<String, double[]> out = new LinkedHashMap<>();
        for (String layer : layers) {
            double[] s = raw.get(layer);
            if (s.length != spec.units(layer)) {
                throw new IllegalStateException("stored score map layer " + layer + " has " + s.length
                        + " scores, the model has " + spec.units(layer) + " units");
            }
            out.put(layer, s);
        }
        return out;
    }
}
