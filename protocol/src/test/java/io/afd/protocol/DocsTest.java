package io.afd.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/protocol.md agrees with the code: its JSON examples decode and validate, its test vector re-encodes. */
class DocsTest {
    private static final Path DOC = Path.of("..", "docs", "protocol.md");
    private static final Pattern EXAMPLE =
            Pattern.compile("<!-- example: ([a-z-]+)[^>]*-->\\s*```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PYTHON =
            Pattern.compile("<!-- test-vector: python -->\\s*```python\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern VECTOR =
            Pattern.compile("<!-- test-vector: envelope -->\\s*```text\\n(.*?)```", Pattern.DOTALL);
    private static final Map<String, MessageType> TYPES = Map.of(
            "client-task",
            MessageType.CLIENT_TASK,
            "client-update",
            MessageType.CLIENT_UPDATE,
            "round-event",
            MessageType.ROUND_EVENT,
            "dead-letter",
            MessageType.DEAD_LETTER);

    private static String doc() throws IOException {
        return Files.readString(DOC);
    }

    @Test
    void everyJsonExampleDecodesAndValidatesAgainstItsSchema() throws IOException {
        MiniSchema schemas = new MiniSchema();
        ObjectMapper plain = new ObjectMapper();
        Matcher m = EXAMPLE.matcher(doc());
        List<String> seen = new ArrayList<>();
        boolean sawChunk = false;
        while (m.find()) {
            String name = m.group(1);
            String json = m.group(2);
            MessageType type = TYPES.get(name);
            assertNotNull(type, "example name " + name);
            ProtocolJson.Header h = ProtocolJson.parse(type, json); // the strict decoder accepts it
            sawChunk |= h.chunk() != null;
            JsonNode node = plain.readTree(json);
            List<String> errors = schemas.validate(MiniSchema.fileFor(type), node);
            assertTrue(errors.isEmpty(), name + ": " + errors);
            // and the encoder writes the same fields
            assertEquals(node, plain.readTree(ProtocolJson.write(h.message(), h.chunk())), name);
            seen.add(name);
        }
        assertTrue(seen.containsAll(TYPES.keySet()), "an example of each message, got " + seen);
        assertTrue(sawChunk, "an example of a chunk header");
    }

    @Test
    void examplesAreTheTestFixtures() throws IOException {
        Matcher m = EXAMPLE.matcher(doc());
        int checked = 0;
        while (m.find()) {
            Message msg = ProtocolJson.parse(TYPES.get(m.group(1)), m.group(2)).message();
            if (msg instanceof ClientTask t) {
                assertEquals(Fixtures.task(), t);
                checked++;
            } else if (msg instanceof RoundEvent e) {
                assertEquals(Fixtures.roundEvent(), e);
                checked++;
            } else if (msg instanceof DeadLetter d) {
                assertEquals(Fixtures.deadLetter(), d);
                checked++;
            }
        }
        assertEquals(3, checked);
    }

    @Test
    void testVectorIsWhatTheEncoderWrites() throws IOException {
        Matcher m = VECTOR.matcher(doc());
        assertTrue(m.find(), "test vector block");
        byte[] documented = HexFormat.of().parseHex(m.group(1).replaceAll("\\s+", ""));
        byte[] encoded = EnvelopeCodec.encode(
                MessageType.CLIENT_UPDATE,
                Fixtures.update(),
                null,
                Fixtures.tinyBlob(),
                Fixtures.CLIENT_KEY,
                Fixtures.ISSUED_AT);
        assertArrayEquals(encoded, documented);
        SigningKey key = SigningKey.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
        assertTrue(doc().contains(key.verifyKey().text()), "the public key is shown");
        assertTrue(doc().contains(key.keyId()), "the key id is shown");
        Envelope e = EnvelopeCodec.decode(documented, KeyLookup.of("client-00007", key.verifyKey()));
        assertEquals(Fixtures.update(), e.header());
        assertEquals(Fixtures.ISSUED_AT, e.issuedAtMillis());
        assertTrue(doc().contains(ProtocolJson.toJson(Fixtures.update(), null)), "the header text is shown");
        assertTrue(doc().contains(HexFormat.ofDelimiter(" ").formatHex(Fixtures.tinyBlob(), 0, 4)));
        assertEquals(306, documented.length);
    }

    /**
     * The Python snippet of §9, run as printed by {@code /usr/bin/python3} with the {@code cryptography} package: a
     * verifier written from the document alone, in another language, against the Java encoder's bytes. Skipped
     * where that Python is missing, unless {@code AFD_REQUIRE_PYTHON=1} (CI installs it and sets that).
     */
    @Test
    void thePythonVerifierOfTheDocumentAcceptsTheVectorAndRejectsATamperedOne() throws Exception {
        boolean required = "1".equals(System.getenv("AFD_REQUIRE_PYTHON"));
        java.nio.file.Path python = java.nio.file.Path.of("/usr/bin/python3");
        boolean available = java.nio.file.Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import cryptography")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor()
                        == 0;
        if (!available) {
            org.junit.jupiter.api.Assertions.assertFalse(
                    required, "AFD_REQUIRE_PYTHON=1 but /usr/bin/python3 with cryptography is missing");
            org.junit.jupiter.api.Assumptions.abort("no /usr/bin/python3 with the cryptography package");
        }
        Matcher code = PYTHON.matcher(doc());
        assertTrue(code.find(), "python block");
        Matcher vec = VECTOR.matcher(doc());
        assertTrue(vec.find(), "test vector block");
        String hex = vec.group(1).replaceAll("\\s+", "");
        assertEquals(0, runPython(python, code.group(1), hex), "the documented snippet verifies the vector");
        // the last byte of the signature changed: the same snippet must fail
        String tampered = hex.substring(0, hex.length() - 2) + (hex.endsWith("00") ? "01" : "00");
        assertTrue(runPython(python, code.group(1), tampered) != 0, "a tampered envelope fails verification");
    }

    private static int runPython(java.nio.file.Path python, String snippet, String hex) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "-c", "HEX = '" + hex + "'\n" + snippet)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        System.out.println("python: rc=" + rc + " " + out.strip());
        return rc;
    }
}
