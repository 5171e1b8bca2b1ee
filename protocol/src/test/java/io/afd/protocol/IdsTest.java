package io.afd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one id rule: its edges, its message, and docs/protocol.md stating it. */
class IdsTest {

    @Test
    void acceptsLettersDigitsDotDashUnderscoreUpTo128Characters() {
        for (String ok : new String[] {"a", "Z", "7", "client-00042", "Exp_1.v2", "a".repeat(Ids.MAX_LENGTH), "0.-_"}) {
            assertTrue(Ids.matches(ok), ok);
            assertEquals(ok, Ids.require(ok, "id"));
        }
    }

    @Test
    void refusesEverythingElse() {
        for (String bad :
                new String[] {"", "-a", ".a", "_a", "a b", "a/b", "../x", "@server", "é", "a".repeat(Ids.MAX_LENGTH + 1)
                }) {
            assertFalse(Ids.matches(bad), bad);
        }
        assertFalse(Ids.matches(null));
        assertFalse(Ids.matches(EnvelopeCodec.SERVER), "@server is never an id");
    }

    @Test
    void requireNamesWhatAndShowsTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Ids.require("bad id", "experiment id"));
        assertEquals("experiment id must match " + Ids.REGEX + ", got 'bad id'", e.getMessage());
        assertEquals(
                "client id must match " + Ids.REGEX + ", got null",
                assertThrows(IllegalArgumentException.class, () -> Ids.require(null, "client id"))
                        .getMessage());
    }

    @Test
    void theMessageRecordsUseTheSameRule() {
        assertEquals(Ids.PATTERN, Check.ID);
        String longest = "c".repeat(Ids.MAX_LENGTH);
        assertEquals(longest, Check.id(longest, "clientId"));
        assertThrows(IllegalArgumentException.class, () -> Check.id(longest + "c", "clientId"));
    }

    @Test
    void theProtocolDocumentStatesTheRule() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
        assertTrue(doc.contains("`" + Ids.REGEX + "`"), "docs/protocol.md §1 must state " + Ids.REGEX);
    }
}
