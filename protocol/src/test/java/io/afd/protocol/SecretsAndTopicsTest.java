package io.afd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsAndTopicsTest {

    private static final byte[] SEED_0_TO_31 =
            HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void newSecretsAre32RandomBytesInBase64Url() {
        String a = Secrets.newSecret();
        String b = Secrets.newSecret();
        assertEquals(43, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, b);
        assertEquals(32, Secrets.decode(a).length);
        assertEquals(a, Secrets.encode(Secrets.decode(a)));
        assertEquals("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", Secrets.encode(SEED_0_TO_31));
        assertEquals("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", Fixtures.CLIENT_KEY.seedText());
    }

    @Test
    void secretTextIsStrict() {
        String ok = Secrets.encode(SEED_0_TO_31);
        for (String bad : new String[] {ok + "=", ok.substring(1), ok.replace('A', '+'), null, ok.substring(0, 42) + "9"
        }) { // last char 9 sets unused bits
            assertThrows(IllegalArgumentException.class, () -> Secrets.decode(bad), String.valueOf(bad));
        }
    }

    /** RFC 8032 §7.1, tests 1 and 2: seed, public key, message, signature. */
    @Test
    void ed25519MatchesTheRfcVectors() {
        String[][] vectors = {
            {
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            },
            {
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            }
        };
        HexFormat hex = HexFormat.of();
        for (String[] v : vectors) {
            SigningKey k = SigningKey.fromSeed(hex.parseHex(v[0]));
            assertEquals(v[1], hex.formatHex(k.verifyKey().raw()), "public key of seed " + v[0]);
            byte[] msg = hex.parseHex(v[2]);
            byte[] sig = k.sign(msg);
            assertEquals(v[3], hex.formatHex(sig));
            VerifyKey pub = VerifyKey.of(hex.parseHex(v[1]));
            assertEquals(k.verifyKey(), pub);
            assertTrue(pub.verify(msg, 0, msg.length, sig));
            sig[10] ^= 1;
            assertFalse(pub.verify(msg, 0, msg.length, sig));
            assertFalse(pub.verify(msg, 0, msg.length, new byte[63]), "a short signature is simply false");
            assertEquals(pub, VerifyKey.parse(pub.text()));
            assertEquals(k.keyId(), SigningKey.parse(k.seedText()).keyId());
        }
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Secrets.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void keyIdsAreTheFirst8BytesOfTheSha256OfThePublicKey() {
        VerifyKey k = Fixtures.CLIENT_KEY.verifyKey();
        assertEquals(Secrets.sha256Hex(k.raw()).substring(0, 16), k.keyId());
        assertEquals(16, Fixtures.SERVER_KEY.keyId().length());
        assertNotEquals(Fixtures.CLIENT_KEY.keyId(), Fixtures.OTHER_KEY.keyId());
        assertNotEquals(SigningKey.generate().keyId(), SigningKey.generate().keyId());
        assertThrows(IllegalArgumentException.class, () -> VerifyKey.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed(new byte[16]));
        assertTrue(Fixtures.CLIENT_KEY.toString().contains(Fixtures.CLIENT_KEY.keyId()));
        assertFalse(Fixtures.CLIENT_KEY.toString().contains(Fixtures.CLIENT_KEY.seedText()), "never the seed");
    }

    @Test
    void lookups() {
        KeyLookup l = KeyLookup.of("a", Fixtures.CLIENT_KEY.verifyKey())
                .orElse(KeyLookup.of("b", List.of(Fixtures.OTHER_KEY.verifyKey(), Fixtures.SERVER_KEY.verifyKey())));
        assertEquals(Fixtures.CLIENT_KEY.verifyKey(), l.find("a", Fixtures.CLIENT_KEY.keyId()));
        assertEquals(Fixtures.SERVER_KEY.verifyKey(), l.find("b", Fixtures.SERVER_KEY.keyId()));
        assertNull(l.find("a", Fixtures.OTHER_KEY.keyId()), "a's lookup does not know b's keys");
        ProtocolException e = assertThrows(ProtocolException.class, () -> l.find("c", "0000000000000000"));
        assertEquals(ProtocolException.Reason.UNKNOWN_CLIENT, e.reason());
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
