package io.afd.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code infra.json} file that {@code InfraMain serve} writes into its directory: a flat JSON
 * object that tools (the quickstart, scripts, tests) read to find the running infrastructure.
 *
 * <pre>
 * {
 *   "state": "running",                     starting | running
 *   "dir": "/repo/.afd/infra",
 *   "servePid": 1234, "serveStartMillis": 1763770000000,
 *   "kafkaBootstrap": "127.0.0.1:9092", "kafkaPid": 1240, "kafkaStartMillis": ...,
 *   "kafkaLog": "/repo/.afd/infra/kafka/kafka.log",
 *   "jdbcUrl": "jdbc:postgresql://127.0.0.1:5432/afd", "username": "postgres", "password": "",
 *   "postgres": "local", "postgresPid": 0,   local | embedded | none
 *   "startedAt": "2026-11-22T00:50:00Z"
 * }
 * </pre>
 *
 * Absent servers leave their keys empty (strings) or 0 (numbers). The file exists only while the
 * serving process runs; it is deleted on a clean stop.
 */
public final class InfraState {

    /** File name inside the infrastructure directory. */
    public static final String FILE = "infra.json";

    private static final Pattern ENTRY =
            Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|-?\\d+|true|false|null)");

    /** Key -> JSON literal (a quoted string, a number or a boolean). */
    private final Map<String, String> values;

    private InfraState(Map<String, String> values) {
        this.values = values;
    }

    /** An empty state to fill with {@link #with}. */
    public static InfraState empty() {
        return new InfraState(new LinkedHashMap<>());
    }

    /** Reads {@code <dir>/infra.json}, if present. */
    public static Optional<InfraState> read(Path dir) {
        return read(dir, FILE);
    }

    /** Reads {@code <dir>/<name>} (a state file of the same format under another name), if present. */
    public static Optional<InfraState> read(Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readString(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static InfraState parse(String json) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            String raw = m.group(2);
            values.put(unescape(m.group(1)), "null".equals(raw) ? "\"\"" : raw);
        }
        return new InfraState(values);
    }

    /** Returns a copy with {@code key} set: numbers and booleans as such, anything else as a string. */
    public InfraState with(String key, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        String literal;
        if (value instanceof Number || value instanceof Boolean) {
            literal = String.valueOf(value);
        } else {
            literal = '"' + escape(value == null ? "" : String.valueOf(value)) + '"';
        }
        copy.put(key, literal);
        return new InfraState(copy);
    }

    /** A value as text (strings unescaped), empty when absent. */
    public String get(String key) {
        String literal = values.get(key);
        if (literal == null) {
            return "";
        }
        return literal.startsWith("\"") ? unescape(literal.substring(1, literal.length() - 1)) : literal;
    }

    /** A numeric value, 0 when absent or not a number. */
    public long getLong(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** All values as text. */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        values.keySet().forEach(k -> out.put(k, get(k)));
        return out;
    }

    /** Writes {@code <dir>/infra.json} atomically. */
    public void write(Path dir) throws IOException {
        write(dir, FILE);
    }

    /** Writes {@code <dir>/<name>} atomically. */
    public void write(Path dir, String name) throws IOException {
        Procs.writeAtomically(dir.resolve(name), toJson());
    }

    public String toJson() {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.append("  \"").append(escape(e.getKey())).append("\": ").append(e.getValue());
            out.append(++i < values.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    /** The body of a JSON string literal for {@code s} (quotes, backslashes and control characters escaped). */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(n);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
