package io.afd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds envelopes byte by byte, with a correct signature, to test what the decoder does with bad content. */
final class Forge {
    private Forge() {}

    static byte[] envelope(int version, int type, byte[] header, byte[] payload, SigningKey key) {
        return envelope(version, type, Fixtures.ISSUED_AT, key.keyId(), header, payload, key);
    }

    /** Any issue time and key id, signed with {@code key}. */
    static byte[] envelope(
            int version, int type, long issuedAt, String keyId, byte[] header, byte[] payload, SigningKey key) {
        byte[] out = new byte[EnvelopeCodec.OVERHEAD + header.length + payload.length];
        ByteBuffer bb = ByteBuffer.wrap(out);
        bb.put(EnvelopeCodec.MAGIC)
                .put((byte) version)
                .put((byte) type)
                .putLong(issuedAt)
                .put(HexFormat.of().parseHex(keyId))
                .putInt(header.length)
                .put(header)
                .putInt(payload.length)
                .put(payload);
        int signed = bb.position();
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(out, 0, signed);
            bb.put(key.sign(md.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static byte[] envelope(MessageType type, String header, byte[] payload, SigningKey key) {
        return envelope(EnvelopeCodec.VERSION, type.code(), header.getBytes(StandardCharsets.UTF_8), payload, key);
    }
}
