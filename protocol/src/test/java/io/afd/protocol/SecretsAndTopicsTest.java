package io.afd.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsAndTopicsTest {

    @Test
    void newSecretsAre32RandomBytesInBase64Url() {
        String a = Secrets.newSecret();
        String b = Secrets.newSecret();
        assertEquals(43, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, b);
        assertEquals(32, Secrets.decode(a).length);
        assertEquals(a, Secrets.encode(Secrets.decode(a)));
        assertEquals("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", Secrets.encode(Fixtures.SECRET));
    }

    @Test
    void secretTextIsStrict() {
        String ok = Secrets.encode(Fixtures.SECRET);
        for (String bad : new String[] {ok + "=", ok.substring(1), ok.replace('A', '+'), null, ok.substring(0, 42) + "9"
        }) { // last char 9 sets unused bits
            assertThrows(IllegalArgumentException.class, () -> Secrets.decode(bad), String.valueOf(bad));
        }
    }

    @Test
    void hmacAndShaMatchPublishedVectors() {
        // RFC 4231 test case 2
        byte[] mac = Secrets.hmacSha256(
                "Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(mac));
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Secrets.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] tag = Secrets.hmacSha256(Fixtures.SECRET, data);
        assertTrue(Secrets.verifyHmacSha256(Fixtures.SECRET, data, 0, data.length, tag));
        tag[31] ^= 1;
        assertFalse(Secrets.verifyHmacSha256(Fixtures.SECRET, data, 0, data.length, tag));
        assertFalse(Secrets.verifyHmacSha256(Fixtures.SECRET, data, 0, data.length, new byte[31]));
    }

    @Test
    void lookups() {
        SecretLookup l =
                SecretLookup.of(Map.of("a", Fixtures.SECRET)).orElse(SecretLookup.single("b", Fixtures.OTHER_SECRET));
        assertArrayEquals(Fixtures.SECRET, l.secretFor("a"));
        assertArrayEquals(Fixtures.OTHER_SECRET, l.secretFor("b"));
        assertEquals(null, l.secretFor("c"));
    }

    @Test
    void murmur2MatchesKafka() {
        // org.apache.kafka.common.utils.UtilsTest.testMurmur2
        Map<String, Integer> cases = Map.of(
                "21",
                -973932308,
                "foobar",
                -790332482,
                "a-little-bit-long-string",
                -985981536,
                "a-little-bit-longer-string",
                -1486304829,
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58897971,
                "abc",
                479470107);
        cases.forEach((k, v) -> assertEquals(v, Topics.murmur2(k.getBytes(StandardCharsets.UTF_8)), k));
        assertEquals(16, Topics.partitionFor("foobar", 50));
        for (int n = 1; n < 20; n++) {
            int p = Topics.partitionFor("client-00007", n);
            assertTrue(p >= 0 && p < n);
        }
    }

    @Test
    void topicNames() {
        assertEquals("afd.tasks", Topics.TASKS);
        assertEquals("afd.updates", Topics.UPDATES);
        assertEquals("afd.rounds", Topics.ROUNDS);
        assertEquals("afd.dead-letter", Topics.DEAD_LETTER);
        assertEquals("afd.tasks.client-00007", Topics.clientTasksTopic("client-00007"));
        assertThrows(IllegalArgumentException.class, () -> Topics.clientTasksTopic("a/b"));
        for (MessageType t : MessageType.values()) {
            assertEquals(t, MessageType.fromCode(t.code()));
        }
        assertEquals(Topics.TASKS, MessageType.CLIENT_TASK.topic());
        assertEquals(null, MessageType.fromCode(0));
    }
}
