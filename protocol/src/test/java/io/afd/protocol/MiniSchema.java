package io.afd.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subset of JSON Schema (2020-12) the protocol's schema files use, enough to check instances in
 * tests without a schema library. {@link #KEYWORDS} lists what it understands; the schema test
 * asserts the files use nothing else.
 */
final class MiniSchema {
    static final Set<String> KEYWORDS = Set.of(
            "$schema",
            "$id",
            "title",
            "description",
            "type",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "maxItems",
            "enum",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "$ref");
    static final List<String> FILES = List.of(
            "client-task.schema.json",
            "client-update.schema.json",
            "round-event.schema.json",
            "dead-letter.schema.json",
            "chunk.schema.json");

    private final Map<String, JsonNode> files = new HashMap<>();

    MiniSchema() {
        ObjectMapper m = new ObjectMapper();
        for (String f : FILES) {
            try (InputStream in = MiniSchema.class.getResourceAsStream("/schemas/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource /schemas/" + f);
                }
                files.put(f, m.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(f, e);
            }
        }
    }

    JsonNode file(String name) {
        return files.get(name);
    }

    static String fileFor(MessageType t) {
        return switch (t) {
            case CLIENT_TASK -> "client-task.schema.json";
            case CLIENT_UPDATE -> "client-update.schema.json";
            case ROUND_EVENT -> "round-event.schema.json";
            case DEAD_LETTER -> "dead-letter.schema.json";
        };
    }

    /** Violations of the schema file by the instance (empty = valid). */
    List<String> validate(String file, JsonNode instance) {
        List<String> out = new ArrayList<>();
        check(files.get(file), instance, "$", out);
        return out;
    }

    private void check(JsonNode s, JsonNode v, String path, List<String> out) {
        if (s.has("$ref")) {
            JsonNode target = files.get(s.get("$ref").asText());
            if (target == null) {
                out.add(path + ": unresolvable $ref " + s.get("$ref"));
                return;
            }
            check(target, v, path, out);
        }
        if (s.has("type")) {
            boolean ok = false;
            JsonNode t = s.get("type");
            for (JsonNode one : t.isArray() ? t : List.of(t)) {
                ok |= hasType(v, one.asText());
            }
            if (!ok) {
                out.add(path + ": expected type " + t + ", got " + v.getNodeType());
                return;
            }
        }
        if (s.has("enum")) {
            boolean ok = false;
            for (JsonNode e : s.get("enum")) {
                ok |= e.equals(v);
            }
            if (!ok) {
                out.add(path + ": " + v + " not in " + s.get("enum"));
            }
        }
        if (v.isTextual()) {
            String str = v.textValue();
            int len = str.codePointCount(0, str.length());
            if (s.has("pattern")
                    && !Pattern.compile(s.get("pattern").asText()).matcher(str).find()) {
                out.add(path + ": '" + str + "' does not match "
                        + s.get("pattern").asText());
            }
            if (s.has("minLength") && len < s.get("minLength").asInt()) {
                out.add(path + ": shorter than " + s.get("minLength"));
            }
            if (s.has("maxLength") && len > s.get("maxLength").asInt()) {
                out.add(path + ": longer than " + s.get("maxLength"));
            }
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            if (s.has("minimum") && d < s.get("minimum").asDouble()) {
                out.add(path + ": " + v + " < minimum " + s.get("minimum"));
            }
            if (s.has("maximum")
                    && (v.isIntegralNumber() && s.get("maximum").isIntegralNumber()
                            ? v.bigIntegerValue().compareTo(s.get("maximum").bigIntegerValue()) > 0
                            : d > s.get("maximum").asDouble())) {
                out.add(path + ": " + v + " > maximum " + s.get("maximum"));
            }
            if (s.has("exclusiveMinimum") && d <= s.get("exclusiveMinimum").asDouble()) {
                out.add(path + ": " + v + " <= exclusiveMinimum " + s.get("exclusiveMinimum"));
            }
            if (s.has("exclusiveMaximum") && d >= s.get("exclusiveMaximum").asDouble()) {
                out.add(path + ": " + v + " >= exclusiveMaximum " + s.get("exclusiveMaximum"));
            }
        }
        if (v.isObject()) {
            JsonNode props = s.get("properties");
            if (s.has("required")) {
                for (JsonNode r : s.get("required")) {
                    if (!v.has(r.asText())) {
                        out.add(path + ": missing required '" + r.asText() + "'");
                    }
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props != null && props.has(f.getKey())) {
                    check(props.get(f.getKey()), f.getValue(), path + "." + f.getKey(), out);
                } else if (s.has("additionalProperties")
                        && !s.get("additionalProperties").asBoolean(true)) {
                    out.add(path + ": unexpected property '" + f.getKey() + "'");
                }
            }
        }
        if (v.isArray()) {
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                out.add(path + ": more than " + s.get("maxItems") + " items");
            }
            if (s.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(s.get("items"), v.get(i), path + "[" + i + "]", out);
                }
            }
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    /** Every keyword used anywhere in the schema files (property names under "properties" excluded). */
    void collectKeywords(JsonNode s, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.add(f.getKey());
            if (f.getKey().equals("properties")) {
                for (JsonNode p : f.getValue()) {
                    collectKeywords(p, out);
                }
            } else if (f.getKey().equals("items")) {
                collectKeywords(f.getValue(), out);
            }
        }
    }
}
