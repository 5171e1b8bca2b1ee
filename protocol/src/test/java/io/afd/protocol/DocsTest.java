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
                MessageType.CLIENT_UPDATE, Fixtures.update(), Fixtures.tinyBlob(), Fixtures.SECRET);
        assertArrayEquals(encoded, documented);
        Envelope e = EnvelopeCodec.decode(
                documented,
                SecretLookup.single("client-00007", Secrets.decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")));
        assertEquals(Fixtures.update(), e.header());
        assertTrue(doc().contains(ProtocolJson.toJson(Fixtures.update(), null)), "the header text is shown");
        assertTrue(doc().contains(HexFormat.ofDelimiter(" ").formatHex(Fixtures.tinyBlob(), 0, 4)));
        assertEquals(258, documented.length);
    }
}
