package io.afd.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeafJsonReaderTest {
    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(
                    LeafJsonReaderTest.class.getResource("/data/leaf/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture generator's pixel formula (see the committed JSON). */
    static float femnistPixel(int uid, int sample, int j) {
        return (float) (((j * 7 + sample * 13 + uid * 31) % 11) / 10.0);
    }

    static final String TEXT = "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n"
            + "The slings and arrows of outrageous fortune,\nOr to take arms against a sea of troubles\n"
            + "And by opposing end them? To die: to sleep; No more; and by a sleep to say we end}";

    @Test
    void vocabularyHasEightyLetters() {
        assertEquals(80, LeafJsonReader.ALL_LETTERS.length());
        assertEquals(0, LeafJsonReader.charIndex('\n'));
        assertEquals(1, LeafJsonReader.charIndex(' '));
        assertEquals(79, LeafJsonReader.charIndex('}'));
        assertEquals(LeafJsonReader.ALL_LETTERS.indexOf('a'), LeafJsonReader.charIndex('a'));
        assertEquals(-1, LeafJsonReader.charIndex('|'));
        assertEquals(-1, LeafJsonReader.charIndex('é'));
    }

    @Test
    void readsFemnistFixture() throws IOException {
        FederatedDataset fd =
                LeafJsonReader.read(resource("femnist/train"), resource("femnist/test"), LeafJsonReader.Format.FEMNIST);
        assertEquals(3, fd.numClients());
        // sorted user order, although f_0003 comes first in its file
        assertEquals(
                List.of("f_0001", "f_0002", "f_0003"),
                fd.clients().stream().map(Dataset::name).toList());
        assertArrayEquals(new int[] {2, 2, 3}, fd.clientSizes());
        assertEquals(7, fd.totalTrainSamples());
        assertArrayEquals(new int[] {1, 28, 28}, fd.featureShape());
        assertEquals(62, fd.numClasses());
        assertArrayEquals(new int[] {61, 0, 35}, fd.client(2).labels());
        assertArrayEquals(new int[] {10, 36}, fd.client(1).labels());
        for (int j : new int[] {0, 1, 400, 783}) {
            assertEquals(femnistPixel(1, 1, j), fd.client(0).feature(1, j));
            assertEquals(femnistPixel(3, 2, j), fd.client(2).feature(2, j));
        }
        assertEquals(3, fd.test().size());
        assertArrayEquals(new int[] {7, 11, 60}, fd.test().labels());
        assertEquals(femnistPixel(2, 2, 100), fd.test().feature(1, 100));
        assertEquals(femnistPixel(3, 3, 783), fd.test().feature(2, 783));
        assertEquals(LeafJsonReader.Format.FEMNIST, LeafJsonReader.detectFormat(resource("femnist/train")));
    }

    @Test
    void readsShakespeareFixtureWithAutoDetection() throws IOException {
        FederatedDataset fd = LeafJsonReader.read(resource("shakespeare/train"), resource("shakespeare/test"));
        assertEquals(
                List.of("HAMLET", "OPHELIA"),
                fd.clients().stream().map(Dataset::name).toList());
        assertArrayEquals(new int[] {3, 2}, fd.clientSizes());
        assertArrayEquals(new int[] {80}, fd.featureShape());
        assertEquals(80, fd.numClasses());
        // OPHELIA sample 1 is TEXT[51 .. 131), label TEXT[131]
        Dataset o = fd.client(1);
        for (int j = 0; j < 80; j++) {
            assertEquals(LeafJsonReader.ALL_LETTERS.indexOf(TEXT.charAt(51 + j)), (int) o.feature(1, j));
        }
        assertEquals(LeafJsonReader.ALL_LETTERS.indexOf(TEXT.charAt(131)), o.label(1));
        assertEquals(0, (int) fd.client(0).feature(0, 42), "the newline at position 42 is index 0");
        assertEquals(2, fd.test().size());
        assertEquals(
                LeafJsonReader.ALL_LETTERS.indexOf(TEXT.charAt(230)), fd.test().label(1));
    }

    private Path writeJson(String dir, String name, String content) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        return Files.writeString(d.resolve(name), content);
    }

    private static String shakes(String x, String y) {
        return "{\"users\":[\"A\"],\"num_samples\":[1],\"user_data\":{\"A\":{\"x\":[\"" + x + "\"],\"y\":[\"" + y
                + "\"]}}}";
    }

    private static String sample80() {
        return "abcdefghij".repeat(8);
    }

    private IOException expectFailure(Path file, LeafJsonReader.Format format, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> LeafJsonReader.readFile(file, format));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "mentions '" + f + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        Path f = writeJson(
                "bad",
                "broken.json",
                "{\"users\": [\"A\"], \"num_samples\": [1], \"user_data\": {\"A\": {\"x\": [[0.1, 0.2");
        expectFailure(f, LeafJsonReader.Format.FEMNIST, "malformed");
        Path g = writeJson("bad", "syntax.json", "{\"users\": [\"A\",, ]}");
        expectFailure(g, LeafJsonReader.Format.FEMNIST, "malformed");
        Path h = writeJson("bad", "array.json", "[1, 2]");
        expectFailure(h, LeafJsonReader.Format.FEMNIST, "top level");
    }

    @Test
    void numSamplesMismatchNamesFileAndUser() throws IOException {
        String json = "{\"users\":[\"A\"],\"num_samples\":[2],\"user_data\":{\"A\":{\"x\":[\"" + sample80()
                + "\"],\"y\":[\"a\"]}}}";
        Path f = writeJson("bad", "count.json", json);
        expectFailure(f, LeafJsonReader.Format.SHAKESPEARE, "'A'", "num_samples says 2", "1 samples");
    }

    @Test
    void xyLengthMismatchNamesUser() throws IOException {
        String json = "{\"users\":[\"B\"],\"num_samples\":[1],\"user_data\":{\"B\":{\"x\":[\"" + sample80()
                + "\"],\"y\":[\"a\",\"b\"]}}}";
        expectFailure(
                writeJson("bad", "xy.json", json),
                LeafJsonReader.Format.SHAKESPEARE,
                "'B'",
                "1 samples in \"x\"",
                "2 labels");
    }

    @Test
    void wrongSampleShapesAndLabelsAreRejected() throws IOException {
        expectFailure(
                writeJson("bad", "short.json", shakes("too short", "a")),
                LeafJsonReader.Format.SHAKESPEARE,
                "9 characters");
        expectFailure(
                writeJson("bad", "y2.json", shakes(sample80(), "ab")),
                LeafJsonReader.Format.SHAKESPEARE,
                "one-character");
        expectFailure(
                writeJson("bad", "vocab.json", shakes(sample80().replace('j', '|'), "a")),
                LeafJsonReader.Format.SHAKESPEARE,
                "U+007C",
                "vocabulary");
        Map<String, Dataset> lenient = LeafJsonReader.readFile(
                writeJson("ok", "vocab.json", shakes(sample80().replace('j', '|'), "a")),
                LeafJsonReader.Format.SHAKESPEARE,
                true);
        assertEquals(79f, lenient.get("A").feature(0, 9));

        String femShort =
                "{\"users\":[\"C\"],\"num_samples\":[1],\"user_data\":{\"C\":{\"x\":[[0.5,0.5,0.5]],\"y\":[3]}}}";
        expectFailure(writeJson("bad", "fem.json", femShort), LeafJsonReader.Format.FEMNIST, "'C'", "3 values", "784");
        String femLabel = "{\"users\":[\"C\"],\"num_samples\":[1],\"user_data\":{\"C\":{\"x\":[[" + "0,".repeat(783)
                + "0]],\"y\":[62]}}}";
        expectFailure(writeJson("bad", "lab.json", femLabel), LeafJsonReader.Format.FEMNIST, "label 62");
        String femOk = femLabel.replace("[62]", "[61.0]");
        assertEquals(
                61,
                LeafJsonReader.readFile(writeJson("ok", "lab.json", femOk), LeafJsonReader.Format.FEMNIST)
                        .get("C")
                        .label(0));
    }

    @Test
    void inconsistentUserListsAreRejected() throws IOException {
        String missing = "{\"users\":[\"A\",\"B\"],\"num_samples\":[1,1],\"user_data\":{\"A\":{\"x\":[\"" + sample80()
                + "\"],\"y\":[\"a\"]}}}";
        expectFailure(writeJson("bad", "missing.json", missing), LeafJsonReader.Format.SHAKESPEARE, "'B'", "no entry");
        String extra = shakes(sample80(), "a")
                .replace("\"users\":[\"A\"],\"num_samples\":[1]", "\"users\":[],\"num_samples\":[]");
        expectFailure(writeJson("bad", "extra.json", extra), LeafJsonReader.Format.SHAKESPEARE, "'A'", "not listed");
        String lengths = shakes(sample80(), "a").replace("\"num_samples\":[1]", "\"num_samples\":[1,2]");
        expectFailure(writeJson("bad", "lengths.json", lengths), LeafJsonReader.Format.SHAKESPEARE, "num_samples");
        String noData = "{\"users\":[],\"num_samples\":[]}";
        expectFailure(writeJson("bad", "nodata.json", noData), LeafJsonReader.Format.SHAKESPEARE, "user_data");
    }

    @Test
    void userInTwoFilesAndEmptyDirectoryAreRejected() throws IOException {
        writeJson("dup", "a.json", shakes(sample80(), "a"));
        writeJson("dup", "b.json", shakes(sample80(), "b"));
        IOException e = assertThrows(
                IOException.class,
                () -> LeafJsonReader.readDirectory(tmp.resolve("dup"), LeafJsonReader.Format.SHAKESPEARE, false));
        assertTrue(e.getMessage().contains("a.json") && e.getMessage().contains("b.json"), e.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        assertThrows(
                IOException.class,
                () -> LeafJsonReader.read(tmp.resolve("empty"), tmp.resolve("empty"), LeafJsonReader.Format.FEMNIST));
    }
}
