package io.afd.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reader for the JSON files of LEAF (Caldas et al., "LEAF: A Benchmark for Federated Settings",
 * arXiv:1812.01097):
 * <pre>{"users": ["u1", ...], "num_samples": [n1, ...],
 *  "user_data": {"u1": {"x": [...], "y": [...]}, ...}}</pre>
 * Other top-level fields (e.g. {@code "hierarchies"}) are ignored. The files are parsed with Jackson's
 * streaming API, so large LEAF shards are not materialised as JSON trees.
 *
 * <ul>
 *   <li>{@link Format#FEMNIST}: each x is a flat list of 784 numbers, stored as shape {@code {1, 28, 28}};
 *       y is an integer class in [0, 62).</li>
 *   <li>{@link Format#SHAKESPEARE}: each x is an 80-character string and y a single character; characters
 *       are mapped to their index in LEAF's 80-letter vocabulary {@link #ALL_LETTERS}; features are those
 *       indices as floats, shape {@code {80}}, 80 classes.</li>
 * </ul>
 * Every inconsistency (num_samples vs data, x vs y lengths, wrong sample sizes, unknown characters,
 * malformed JSON) raises an {@link IOException} whose message names the file and, where it applies, the user.
 */
public final class LeafJsonReader {
    /** LEAF's Shakespeare vocabulary ({@code models/utils/language_utils.py}); index = class. */
    public static final String ALL_LETTERS =
            "\n !\"&'(),-.0123456789:;>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz}";
    /** Length of a Shakespeare input sequence in LEAF. */
    public static final int SHAKESPEARE_SEQ_LEN = 80;

    private static final JsonFactory JSON = new JsonFactory();
    private static final int[] CHAR_INDEX = new int[128];

    static {
        Arrays.fill(CHAR_INDEX, -1);
        for (int i = 0; i < ALL_LETTERS.length(); i++) {
            CHAR_INDEX[ALL_LETTERS.charAt(i)] = i;
        }
    }

    /** A LEAF task: how x and y are encoded. */
    public enum Format {
        /** Federated EMNIST: 28x28 images as flat 784-vectors, 62 classes. */
        FEMNIST(new int[] {1, 28, 28}, 62),
        /** Next-character prediction: 80-character strings, 80 classes. */
        SHAKESPEARE(new int[] {SHAKESPEARE_SEQ_LEN}, 80);

        private final int[] featureShape;
        private final int numClasses;

        Format(int[] featureShape, int numClasses) {
            this.featureShape = featureShape;
            this.numClasses = numClasses;
        }

        public int[] featureShape() {
            return featureShape.clone();
        }

        public int featureSize() {
            int n = 1;
            for (int d : featureShape) {
                n *= d;
            }
            return n;
        }

        public int numClasses() {
            return numClasses;
        }
    }

    private LeafJsonReader() {}

    /** Index of {@code c} in {@link #ALL_LETTERS}, or -1 if it is not in the vocabulary. */
    public static int charIndex(char c) {
        return c < 128 ? CHAR_INDEX[c] : -1;
    }

    /**
     * Reads a LEAF train directory and test directory ({@code *.json} files directly inside each) into a
     * federated dataset: one client per training user in sorted user-id order (client dataset name = user
     * id); test = all test users' samples pooled, in sorted user order.
     */
    public static FederatedDataset read(Path trainDir, Path testDir, Format format) throws IOException {
        return read(trainDir, testDir, format, false);
    }

    /** Like {@link #read(Path, Path, Format)} with the format detected from the first training sample. */
    public static FederatedDataset read(Path trainDir, Path testDir) throws IOException {
        return read(trainDir, testDir, detectFormat(trainDir));
    }

    /**
     * Like {@link #read(Path, Path, Format)}; with {@code mapUnknownChars} a Shakespeare character outside
     * the vocabulary becomes the last index (79, '}'), which is where LEAF's {@code letter_to_vec} puts
     * {@code find() == -1}; otherwise it is an error.
     */
    public static FederatedDataset read(Path trainDir, Path testDir, Format format, boolean mapUnknownChars)
            throws IOException {
        Map<String, Dataset> train = readDirectory(trainDir, format, mapUnknownChars);
        Map<String, Dataset> test = readDirectory(testDir, format, mapUnknownChars);
        if (train.isEmpty()) {
            throw new IOException("LEAF train directory " + trainDir + " holds no users");
        }
        List<Dataset> testParts = new ArrayList<>(test.values());
        Dataset pooledTest = testParts.isEmpty()
                ? Dataset.owning(format.featureShape(), new float[0], new int[0], format.numClasses(), "leaf/test")
                : Dataset.concat(testParts, "leaf/test");
        String description = "LEAF " + format.name().toLowerCase(java.util.Locale.ROOT) + ": " + train.size()
                + " users from " + trainDir + ", test pooled from " + test.size() + " users in " + testDir;
        return new FederatedDataset(new ArrayList<>(train.values()), pooledTest, description);
    }

    /**
     * Reads every {@code *.json} file directly in {@code dir} (in file-name order) and returns the users
     * sorted by id. A user appearing in two files is an error.
     */
    public static Map<String, Dataset> readDirectory(Path dir, Format format, boolean mapUnknownChars)
            throws IOException {
        List<Path> files = jsonFiles(dir);
        Map<String, Dataset> users = new TreeMap<>();
        Map<String, Path> origin = new HashMap<>();
        for (Path f : files) {
            for (Map.Entry<String, Dataset> e :
                    readFile(f, format, mapUnknownChars).entrySet()) {
                Path prev = origin.putIfAbsent(e.getKey(), f);
                if (prev != null) {
                    throw new IOException("LEAF user '" + e.getKey() + "' appears in both " + prev + " and " + f);
                }
                users.put(e.getKey(), e.getValue());
            }
        }
        return users;
    }

    /** Reads one LEAF JSON file; users in the file's {@code "users"} order. */
    public static Map<String, Dataset> readFile(Path file, Format format) throws IOException {
        return readFile(file, format, false);
    }

    /** Reads one LEAF JSON file; see {@link #read(Path, Path, Format, boolean)} for {@code mapUnknownChars}. */
    public static Map<String, Dataset> readFile(Path file, Format format, boolean mapUnknownChars) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "LEAF JSON file not found");
        }
        try (JsonParser p = JSON.createParser(file.toFile())) {
            return new FileParser(p, file, format, mapUnknownChars).parse();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new IOException("malformed LEAF JSON in " + file + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Detects the format from the first sample found: a list of numbers means FEMNIST, a string means
     * Shakespeare. {@code path} is a JSON file or a directory of them.
     */
    public static Format detectFormat(Path path) throws IOException {
        List<Path> files = Files.isDirectory(path) ? jsonFiles(path) : List.of(path);
        for (Path f : files) {
            try (JsonParser p = JSON.createParser(f.toFile())) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.FIELD_NAME && "x".equals(p.currentName())) {
                        if (p.nextToken() != JsonToken.START_ARRAY) {
                            continue;
                        }
                        JsonToken first = p.nextToken();
                        if (first == JsonToken.START_ARRAY) {
                            return Format.FEMNIST;
                        }
                        if (first == JsonToken.VALUE_STRING) {
                            return Format.SHAKESPEARE;
                        }
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IOException("malformed LEAF JSON in " + f + ": " + e.getOriginalMessage(), e);
            }
        }
        throw new IOException("cannot detect the LEAF format of " + path + ": no sample found");
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "LEAF data directory not found");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException("no .json files in LEAF data directory " + dir);
        }
        return files;
    }

    /** Streaming parser of one file. */
    private static final class FileParser {
        private final JsonParser p;
        private final Path file;
        private final Format format;
        private final boolean mapUnknownChars;
        private final int featureSize;

        FileParser(JsonParser p, Path file, Format format, boolean mapUnknownChars) {
            this.p = p;
            this.file = file;
            this.format = format;
            this.mapUnknownChars = mapUnknownChars;
            this.featureSize = format.featureSize();
        }

        Map<String, Dataset> parse() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("expected a JSON object at the top level");
            }
            List<String> users = null;
            List<Integer> numSamples = null;
            Map<String, Dataset> data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "users" -> users = readUsers();
                    case "num_samples" -> numSamples = readNumSamples();
                    case "user_data" -> data = readUserData();
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw error("unexpected " + p.currentToken() + " in the top-level object");
            }
            if (p.nextToken() != null) {
                throw error("trailing content after the top-level object");
            }
            if (users == null) {
                throw error("missing field \"users\"");
            }
            if (numSamples == null) {
                throw error("missing field \"num_samples\"");
            }
            if (data == null) {
                throw error("missing field \"user_data\"");
            }
            if (users.size() != numSamples.size()) {
                throw error("\"users\" lists " + users.size() + " users but \"num_samples\" has " + numSamples.size()
                        + " entries");
            }
            Set<String> seen = new HashSet<>();
            Map<String, Dataset> out = new LinkedHashMap<>();
            for (int i = 0; i < users.size(); i++) {
                String u = users.get(i);
                if (!seen.add(u)) {
                    throw error("user '" + u + "' is listed twice in \"users\"");
                }
                Dataset d = data.get(u);
                if (d == null) {
                    throw error("user '" + u + "' is listed in \"users\" but has no entry in \"user_data\"");
                }
                if (d.size() != numSamples.get(i)) {
                    throw error("user '" + u + "': num_samples says " + numSamples.get(i) + " but user_data has "
                            + d.size() + " samples");
                }
                out.put(u, d);
            }
            for (String u : data.keySet()) {
                if (!seen.contains(u)) {
                    throw error("user '" + u + "' has an entry in \"user_data\" but is not listed in \"users\"");
                }
            }
            return out;
        }

        private List<String> readUsers() throws IOException {
            expect(JsonToken.START_ARRAY, "\"users\" must be an array of strings");
            List<String> users = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    throw error("\"users\" must be an array of strings, found " + p.currentToken());
                }
                users.add(p.getText());
            }
            return users;
        }

        private List<Integer> readNumSamples() throws IOException {
            expect(JsonToken.START_ARRAY, "\"num_samples\" must be an array of integers");
            List<Integer> n = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                int v = readInt("\"num_samples\"");
                if (v < 0) {
                    throw error("\"num_samples\" contains the negative value " + v);
                }
                n.add(v);
            }
            return n;
        }

        private Map<String, Dataset> readUserData() throws IOException {
            expect(JsonToken.START_OBJECT, "\"user_data\" must be an object keyed by user id");
            Map<String, Dataset> data = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String user = p.currentName();
                p.nextToken();
                if (data.containsKey(user)) {
                    throw error("user '" + user + "' appears twice in \"user_data\"");
                }
                data.put(user, readUser(user));
            }
            return data;
        }

        private Dataset readUser(String user) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error("user '" + user + "': expected an object with \"x\" and \"y\", found " + p.currentToken());
            }
            FloatBuffer x = null;
            int xCount = 0;
            int[] y = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("x".equals(field)) {
                    x = new FloatBuffer(featureSize * 16);
                    xCount = format == Format.FEMNIST ? readImageRows(user, x) : readStringRows(user, x);
                } else if ("y".equals(field)) {
                    y = format == Format.FEMNIST ? readIntLabels(user) : readCharLabels(user);
                } else {
                    p.skipChildren();
                }
            }
            if (x == null) {
                throw error("user '" + user + "' has no \"x\"");
            }
            if (y == null) {
                throw error("user '" + user + "' has no \"y\"");
            }
            if (xCount != y.length) {
                throw error(
                        "user '" + user + "' has " + xCount + " samples in \"x\" but " + y.length + " labels in \"y\"");
            }
            return Dataset.owning(format.featureShape(), x.toArray(), y, format.numClasses(), user);
        }

        private int readImageRows(String user, FloatBuffer x) throws IOException {
            expect(
                    JsonToken.START_ARRAY,
                    "user '" + user + "': \"x\" must be an array of " + featureSize + "-number arrays");
            int count = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw error("user '" + user + "', sample " + count + ": expected an array of " + featureSize
                            + " numbers, found " + p.currentToken());
                }
                int len = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonToken t = p.currentToken();
                    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                        throw error("user '" + user + "', sample " + count + ": non-numeric value " + t + " in x");
                    }
                    x.add(p.getFloatValue());
                    len++;
                }
                if (len != featureSize) {
                    throw error("user '" + user + "', sample " + count + ": x has " + len + " values, expected "
                            + featureSize);
                }
                count++;
            }
            return count;
        }

        private int readStringRows(String user, FloatBuffer x) throws IOException {
            expect(JsonToken.START_ARRAY, "user '" + user + "': \"x\" must be an array of strings");
            int count = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    throw error("user '" + user + "', sample " + count + ": expected a " + featureSize
                            + "-character string, found " + p.currentToken());
                }
                String s = p.getText();
                if (s.length() != featureSize) {
                    throw error("user '" + user + "', sample " + count + ": x has " + s.length()
                            + " characters, expected " + featureSize);
                }
                for (int i = 0; i < s.length(); i++) {
                    x.add(index(s.charAt(i), user, count));
                }
                count++;
            }
            return count;
        }

        private int[] readIntLabels(String user) throws IOException {
            expect(JsonToken.START_ARRAY, "user '" + user + "': \"y\" must be an array of integers");
            IntBuffer y = new IntBuffer();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                int v = readInt("user '" + user + "' y[" + y.size + "]");
                if (v < 0 || v >= format.numClasses()) {
                    throw error("user '" + user + "', sample " + y.size + ": label " + v + " is outside [0, "
                            + format.numClasses() + ")");
                }
                y.add(v);
            }
            return y.toArray();
        }

        private int[] readCharLabels(String user) throws IOException {
            expect(JsonToken.START_ARRAY, "user '" + user + "': \"y\" must be an array of one-character strings");
            IntBuffer y = new IntBuffer();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.VALUE_STRING || p.getTextLength() != 1) {
                    throw error("user '" + user + "', sample " + y.size + ": y must be a one-character string, found "
                            + (p.currentToken() == JsonToken.VALUE_STRING
                                    ? "\"" + p.getText() + "\""
                                    : p.currentToken()));
                }
                y.add(index(p.getText().charAt(0), user, y.size));
            }
            return y.toArray();
        }

        private int index(char c, String user, int sample) throws IOException {
            int i = charIndex(c);
            if (i >= 0) {
                return i;
            }
            if (mapUnknownChars) {
                return ALL_LETTERS.length() - 1;
            }
            throw error(String.format(
                    "user '%s', sample %d: character U+%04X ('%s') is not in LEAF's 80-letter vocabulary",
                    user, sample, (int) c, Character.isISOControl(c) ? "?" : String.valueOf(c)));
        }

        private int readInt(String what) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                long v = p.getLongValue();
                if (v != (int) v) {
                    throw error(what + ": integer " + v + " out of range");
                }
                return (int) v;
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
                throw error(what + ": " + d + " is not an integer");
            }
            throw error(what + ": expected an integer, found " + t);
        }

        private void expect(JsonToken token, String message) throws IOException {
            if (p.currentToken() != token) {
                throw error(message + " (found " + p.currentToken() + ")");
            }
        }

        private IOException error(String message) {
            JsonLocation loc = p.currentLocation();
            return new IOException("LEAF file " + file + ": " + message
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        }
    }

    private static final class FloatBuffer {
        float[] data;
        int size;

        FloatBuffer(int capacity) {
            data = new float[Math.max(16, capacity)];
        }

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, Math.addExact(data.length, data.length >> 1) + 16);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class IntBuffer {
        int[] data = new int[16];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
