package io.afd.protocol;

import static io.afd.protocol.Fixtures.CLIENT_KEY;
import static io.afd.protocol.Fixtures.LOOKUP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.afd.core.codec.TensorCodec;
import io.afd.core.tensor.NamedTensor;
import io.afd.core.tensor.SparseTensor;
import io.afd.protocol.ProtocolException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static Reason reasonOf(byte[] bytes, KeyLookup lookup, int cap) {
        try {
            EnvelopeCodec.decode(bytes, lookup, cap);
        } catch (ProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "rejections name what failed");
            return e.reason();
        }
        return null;
    }

    private static Reason reasonOf(byte[] bytes) {
        return reasonOf(bytes, LOOKUP, EnvelopeCodec.DEFAULT_MAX_BYTES);
    }

    private static ProtocolException rejected(byte[] bytes, Reason expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> EnvelopeCodec.decode(bytes, LOOKUP));
        assertEquals(expected, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void everyMessageRoundTripsThroughTheEnvelope() {
        byte[] blob = Fixtures.tinyBlob();
        for (Message m : Fixtures.allMessages()) {
            for (byte[] payload : List.of(new byte[0], blob)) {
                byte[] wire = EnvelopeCodec.encode(m.messageType(), m, payload, Fixtures.keyFor(m));
                assertEquals(EnvelopeCodec.OVERHEAD + ProtocolJson.write(m, null).length + payload.length, wire.length);
                Envelope e = EnvelopeCodec.decode(wire, LOOKUP);
                assertEquals(m.messageType(), e.type());
                assertEquals(m, e.header());
                assertNull(e.chunk());
                assertArrayEquals(payload, e.payload());
                assertEquals(m.signer(), e.signer());
                assertEquals(wire.length, e.wireLength());
            }
        }
    }

    @Test
    void payloadIsAnAfdtBlobTheCoreDecodes() {
        byte[] wire =
                EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), Fixtures.tinyBlob(), CLIENT_KEY);
        List<NamedTensor> tensors =
                TensorCodec.decode(EnvelopeCodec.decode(wire, LOOKUP).payload());
        SparseTensor t = (SparseTensor) tensors.get(0);
        assertEquals("out/b", t.name());
        assertArrayEquals(new int[] {1}, t.indices());
        assertArrayEquals(new float[] {0.5f}, t.values());
    }

    @Test
    void layoutIsAsDocumented() throws Exception {
        Message m = Fixtures.update();
        byte[] payload = Fixtures.tinyBlob();
        byte[] wire = EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, m, payload, CLIENT_KEY);
        byte[] header = ProtocolJson.write(m, null);
        ByteBuffer bb = ByteBuffer.wrap(wire);
        byte[] magic = new byte[4];
        bb.get(magic);
        assertArrayEquals("AFDM".getBytes(StandardCharsets.US_ASCII), magic);
        assertEquals(2, bb.get());
        assertEquals(2, bb.get());
        long issuedAt = bb.getLong();
        assertTrue(Math.abs(System.currentTimeMillis() - issuedAt) < 60_000, "issued now: " + issuedAt);
        byte[] keyId = new byte[8];
        bb.get(keyId);
        assertEquals(CLIENT_KEY.keyId(), java.util.HexFormat.of().formatHex(keyId));
        assertEquals(header.length, bb.getInt());
        byte[] h = new byte[header.length];
        bb.get(h);
        assertArrayEquals(header, h);
        assertEquals(payload.length, bb.getInt());
        byte[] p = new byte[payload.length];
        bb.get(p);
        assertArrayEquals(payload, p);
        byte[] signature = new byte[64];
        bb.get(signature);
        assertFalse(bb.hasRemaining());
        // Ed25519 is deterministic: the same key over the SHA-256 of the same bytes gives the same signature
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(java.util.Arrays.copyOf(wire, wire.length - 64));
        assertArrayEquals(CLIENT_KEY.sign(digest), signature);
        assertTrue(CLIENT_KEY.verifyKey().verify(digest, 0, digest.length, signature));
    }

    @Test
    void anotherKeyIsUnknownAndAnotherKeysSignatureUnderOurKeyIdIsBad() {
        // signed by another key: its key id is not one of the client's
        byte[] wire = EnvelopeCodec.encode(
                MessageType.CLIENT_UPDATE, Fixtures.update(), Fixtures.tinyBlob(), Fixtures.OTHER_KEY);
        ProtocolException e = rejected(wire, Reason.UNKNOWN_KEY);
        assertTrue(e.getMessage().contains("client-00007") && e.getMessage().contains(Fixtures.OTHER_KEY.keyId()));
        // naming the client's key id but signed by another key
        byte[] header = ProtocolJson.write(Fixtures.update(), null);
        byte[] forged = Forge.envelope(
                2, 2, Fixtures.ISSUED_AT, CLIENT_KEY.keyId(), header, Fixtures.tinyBlob(), Fixtures.OTHER_KEY);
        e = rejected(forged, Reason.BAD_SIGNATURE);
        assertTrue(e.getMessage().contains("client-00007"), e.getMessage());
        // a server message signed by a client naming the server's key id
        byte[] ev = Forge.envelope(
                2,
                3,
                Fixtures.ISSUED_AT,
                Fixtures.SERVER_KEY.keyId(),
                ProtocolJson.write(Fixtures.roundEvent(), null),
                new byte[0],
                CLIENT_KEY);
        rejected(ev, Reason.BAD_SIGNATURE);
        // a client task (server-signed) signed with the client's own key
        byte[] task = EnvelopeCodec.encode(MessageType.CLIENT_TASK, Fixtures.task(), new byte[0], CLIENT_KEY);
        rejected(task, Reason.UNKNOWN_KEY);
    }

    @Test
    void theIssueTimeAndKeyIdAreSignedAndReported() {
        byte[] header = ProtocolJson.write(Fixtures.update(), null);
        byte[] wire = Forge.envelope(2, 2, 1234L, CLIENT_KEY.keyId(), header, new byte[0], CLIENT_KEY);
        Envelope e = EnvelopeCodec.decode(wire, LOOKUP);
        assertEquals(1234L, e.issuedAtMillis());
        assertEquals(CLIENT_KEY.keyId(), e.keyId());
        assertEquals(Fixtures.CLIENT, e.signer());
        byte[] later = wire.clone();
        ByteBuffer.wrap(later).putLong(6, 5678L);
        rejected(later, Reason.BAD_SIGNATURE);
        byte[] negative = Forge.envelope(2, 2, -1L, CLIENT_KEY.keyId(), header, new byte[0], CLIENT_KEY);
        rejected(negative, Reason.MALFORMED);
        assertThrows(
                IllegalArgumentException.class,
                () -> EnvelopeCodec.encode(
                        MessageType.CLIENT_UPDATE, Fixtures.update(), null, new byte[0], CLIENT_KEY, -1));
    }

    @Test
    void unknownClient() {
        ClientUpdate u = Fixtures.update();
        ClientUpdate stranger = new ClientUpdate(
                u.experimentId(),
                u.round(),
                "client-99999",
                u.selectionId(),
                u.modelVersion(),
                u.numSamples(),
                u.trainLoss(),
                null,
                1,
                2);
        byte[] wire = EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, stranger, new byte[0], CLIENT_KEY);
        ProtocolException e = rejected(wire, Reason.UNKNOWN_CLIENT);
        assertTrue(e.getMessage().contains("client-99999"), e.getMessage());
        // server messages need the server key
        byte[] ev =
                EnvelopeCodec.encode(MessageType.ROUND_EVENT, Fixtures.roundEvent(), new byte[0], Fixtures.SERVER_KEY);
        assertEquals(
                Reason.UNKNOWN_CLIENT, reasonOf(ev, KeyLookup.of(Fixtures.CLIENT, CLIENT_KEY.verifyKey()), 1 << 20));
    }

    @Test
    void everyFlippedBitIsRejected() {
        byte[] wire =
                EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), Fixtures.tinyBlob(), CLIENT_KEY);
        int h = ProtocolJson.write(Fixtures.update(), null).length;
        int payloadAt = 30 + h;
        int badSignature = 0;
        for (int bit = 0; bit < wire.length * 8; bit++) {
            byte[] b = wire.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit / 8;
            Reason r = reasonOf(b);
            String where = "bit " + bit + " (byte " + at + ")";
            if (r == null) {
                fail(where + " flipped and the envelope was still accepted");
            }
            Set<Reason> allowed;
            if (at < 4) {
                allowed = EnumSet.of(Reason.MALFORMED);
            } else if (at == 4) {
                allowed = EnumSet.of(Reason.UNSUPPORTED_VERSION);
            } else if (at == 5) {
                // another known type has another signer (the server), or is not client-signed at all
                allowed = EnumSet.of(Reason.UNSUPPORTED_TYPE, Reason.UNKNOWN_KEY, Reason.BAD_SIGNATURE);
            } else if (at == 6) {
                // the top byte of issuedAt: its sign bit makes it negative
                allowed = EnumSet.of(Reason.MALFORMED, Reason.BAD_SIGNATURE);
            } else if (at < 14) {
                allowed = EnumSet.of(Reason.BAD_SIGNATURE); // issuedAt is signed
            } else if (at < 22) {
                allowed = EnumSet.of(Reason.UNKNOWN_KEY); // another key id
            } else if (at < 26 || (at >= 26 + h && at < payloadAt)) {
                allowed = EnumSet.of(Reason.MALFORMED); // a length field
            } else if (at < 26 + h) {
                // header JSON: broken JSON, another client id, or intact JSON with a wrong signature
                allowed = EnumSet.of(Reason.MALFORMED, Reason.UNKNOWN_CLIENT, Reason.BAD_SIGNATURE);
            } else {
                allowed = EnumSet.of(Reason.BAD_SIGNATURE); // payload and signature
            }
            assertTrue(allowed.contains(r), where + ": " + r + " not in " + allowed);
            if (r == Reason.BAD_SIGNATURE) {
                badSignature++;
            }
        }
        // payload and signature bits alone are (26 + 64) * 8; most header bits keep the JSON valid too
        assertTrue(badSignature >= (wire.length - payloadAt) * 8, "bad_signature count " + badSignature);
    }

    @Test
    void everyTruncationIsMalformed() {
        byte[] wire =
                EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), Fixtures.tinyBlob(), CLIENT_KEY);
        for (int n = 0; n < wire.length; n++) {
            Reason r = reasonOf(Arrays.copyOf(wire, n));
            assertEquals(Reason.MALFORMED, r, "prefix of " + n + " of " + wire.length + " bytes");
        }
        byte[] longer = Arrays.copyOf(wire, wire.length + 1);
        assertEquals(Reason.MALFORMED, reasonOf(longer), "one trailing byte");
    }

    @Test
    void oversizedIsTooLargeBeforeAnythingElse() {
        byte[] payload = new byte[4096];
        byte[] wire = EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), payload, CLIENT_KEY);
        assertEquals(Reason.TOO_LARGE, reasonOf(wire, LOOKUP, wire.length - 1));
        assertEquals(Reason.MALFORMED, reasonOf(Arrays.copyOf(wire, wire.length - 1), LOOKUP, wire.length - 1));
        assertEquals(
                wire.length, EnvelopeCodec.decode(wire, LOOKUP, wire.length).wireLength());
        byte[] junk = new byte[EnvelopeCodec.DEFAULT_MAX_BYTES + 1];
        assertEquals(Reason.TOO_LARGE, reasonOf(junk));
    }

    @Test
    void untrustedLengthsAreCheckedAgainstTheBytesPresent() {
        byte[] wire = EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), new byte[0], CLIENT_KEY);
        for (int len : new int[] {0xFFFFFFFF, 0x7FFFFFFF, wire.length, 0}) {
            byte[] b = wire.clone();
            ByteBuffer.wrap(b).putInt(22, len);
            ProtocolException e = rejected(b, Reason.MALFORMED);
            assertTrue(e.getMessage().contains("header length"), e.getMessage());
        }
        int h = ProtocolJson.write(Fixtures.update(), null).length;
        for (int len : new int[] {0xFFFFFFFF, 1}) {
            byte[] b = wire.clone();
            ByteBuffer.wrap(b).putInt(26 + h, len);
            ProtocolException e = rejected(b, Reason.MALFORMED);
            assertTrue(e.getMessage().contains("payload length"), e.getMessage());
        }
    }

    @Test
    void versionTypeAndMagic() {
        byte[] header = ProtocolJson.write(Fixtures.update(), null);
        assertEquals(Reason.UNSUPPORTED_VERSION, reasonOf(Forge.envelope(1, 2, header, new byte[0], CLIENT_KEY)));
        assertEquals(Reason.UNSUPPORTED_VERSION, reasonOf(Forge.envelope(3, 2, header, new byte[0], CLIENT_KEY)));
        assertEquals(Reason.UNSUPPORTED_VERSION, reasonOf(Forge.envelope(0, 2, header, new byte[0], CLIENT_KEY)));
        assertEquals(Reason.UNSUPPORTED_TYPE, reasonOf(Forge.envelope(2, 0, header, new byte[0], CLIENT_KEY)));
        assertEquals(Reason.UNSUPPORTED_TYPE, reasonOf(Forge.envelope(2, 5, header, new byte[0], CLIENT_KEY)));
        byte[] ok = Forge.envelope(2, 2, header, new byte[0], CLIENT_KEY);
        assertEquals(Fixtures.update(), EnvelopeCodec.decode(ok, LOOKUP).header());
        ok[3] = 'T'; // an AFDT blob is not an envelope
        ProtocolException e = rejected(ok, Reason.MALFORMED);
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void headerProblemsBeforeTheSignatureAreMalformed() {
        String ok = ProtocolJson.toJson(Fixtures.update(), null);
        // surrounding whitespace is fine
        byte[] spaced = Forge.envelope(MessageType.CLIENT_UPDATE, " " + ok + "\n", new byte[0], CLIENT_KEY);
        assertEquals(Fixtures.update(), EnvelopeCodec.decode(spaced, LOOKUP).header());
        List<String> bad = List.of(
                "[1,2]",
                "\"clientId\"",
                ok.substring(0, ok.length() - 1),
                ok + "{}",
                ok.replace("\"round\":3", "\"round\":3,\"round\":4"),
                ok.replace("\"clientId\":\"client-00007\"", "\"clientId\":7"),
                ok.replace("\"clientId\":\"client-00007\",", ""),
                ok.replace("client-00007", "client 00007"));
        for (String json : bad) {
            byte[] wire = Forge.envelope(MessageType.CLIENT_UPDATE, json, new byte[0], CLIENT_KEY);
            assertEquals(Reason.MALFORMED, reasonOf(wire), json);
        }
        byte[] notUtf8 = ok.getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length - 3] = (byte) 0xC0; // inside "bytesReceived" value area: invalid UTF-8 start
        assertEquals(Reason.MALFORMED, reasonOf(Forge.envelope(2, 2, notUtf8, new byte[0], CLIENT_KEY)));
        byte[] deep = ("{\"clientId\":\"client-00007\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.MALFORMED, reasonOf(Forge.envelope(2, 2, deep, new byte[0], CLIENT_KEY)));
    }

    @Test
    void signedButSchemaViolatingHeadersAreInvalid() {
        String ok = ProtocolJson.toJson(Fixtures.update(), null);
        List<String> bad = List.of(
                ok.replace("\"round\":3", "\"round\":-1"),
                ok.replace("\"round\":3", "\"round\":\"3\""),
                ok.replace("\"round\":3", "\"round\":3.5"),
                ok.replace(",\"round\":3", ""),
                ok.replace("\"numSamples\":57", "\"numSamples\":0"),
                ok.replace("\"trainLoss\":0.8125", "\"trainLoss\":-1"),
                ok.replace("\"round\":3", "\"round\":3,\"extra\":true"),
                ok.replace("dbdbe7708e70f22c", "DBDBE7708E70F22C"),
                ok.replace("\"modelVersion\":12", "\"modelVersion\":9007199254740992"),
                ok.replace("\"experimentId\":\"exp-1\"", "\"experimentId\":null"));
        for (String json : bad) {
            byte[] wire = Forge.envelope(MessageType.CLIENT_UPDATE, json, new byte[0], CLIENT_KEY);
            ProtocolException e = assertThrows(ProtocolException.class, () -> EnvelopeCodec.decode(wire, LOOKUP), json);
            assertEquals(Reason.INVALID_HEADER, e.reason(), json + " -> " + e.getMessage());
        }
        // the same content with a wrong signature is a bad signature: nothing is interpreted before verification
        byte[] wire = Forge.envelope(
                2,
                2,
                Fixtures.ISSUED_AT,
                CLIENT_KEY.keyId(),
                bad.get(0).getBytes(StandardCharsets.UTF_8),
                new byte[0],
                Fixtures.OTHER_KEY);
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(wire));
    }

    @Test
    void headerOfTheWrongTypeIsInvalid() {
        String task = ProtocolJson.toJson(Fixtures.task(), null);
        byte[] wire = Forge.envelope(MessageType.CLIENT_UPDATE, task, new byte[0], CLIENT_KEY);
        assertEquals(Reason.INVALID_HEADER, reasonOf(wire));
        assertThrows(
                IllegalArgumentException.class,
                () -> EnvelopeCodec.encode(MessageType.CLIENT_TASK, Fixtures.update(), new byte[0], CLIENT_KEY));
        assertThrows(
                NullPointerException.class,
                () -> EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), new byte[0], null));
    }

    @Test
    void chunkPayloadMustMatchItsMetadata() {
        byte[] part = new byte[1024];
        Chunk c = new Chunk("123e4567-e89b-42d3-a456-426614174000", 0, 2, 1024, 1500, "0".repeat(64));
        byte[] ok = EnvelopeCodec.encode(MessageType.CLIENT_UPDATE, Fixtures.update(), c, part, CLIENT_KEY);
        assertEquals(c, EnvelopeCodec.decode(ok, LOOKUP).chunk());
        assertThrows(
                IllegalArgumentException.class,
                () -> EnvelopeCodec.encode(
                        MessageType.CLIENT_UPDATE, Fixtures.update(), c, new byte[1000], CLIENT_KEY));
        String json = ProtocolJson.toJson(Fixtures.update(), c);
        byte[] forged = Forge.envelope(MessageType.CLIENT_UPDATE, json, new byte[1000], CLIENT_KEY);
        assertEquals(Reason.INVALID_HEADER, reasonOf(forged));
        String nullChunk = json.substring(0, json.indexOf(",\"chunk\"")) + ",\"chunk\":null}";
        assertEquals(
                Reason.INVALID_HEADER,
                reasonOf(Forge.envelope(MessageType.CLIENT_UPDATE, nullChunk, new byte[0], CLIENT_KEY)));
    }
}
