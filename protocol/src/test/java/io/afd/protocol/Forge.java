package io.afd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds envelopes byte by byte, with a correct MAC, to test what the decoder does with bad content. */
final class Forge {
    private Forge() {}

    static byte[] envelope(int version, int type, byte[] header, byte[] payload, byte[] secret) {
        byte[] out = new byte[EnvelopeCodec.OVERHEAD + header.length + payload.length];
        ByteBuffer bb = ByteBuffer.wrap(out);
        bb.put(EnvelopeCodec.MAGIC)
                .put((byte) version)
                .put((byte) type)
                .putInt(header.length)
                .put(header)
                .putInt(payload.length)
                .put(payload);
        int signed = bb.position();
        bb.put(Secrets.hmacSha256(secret, out, 0, signed));
        return out;
    }

    static byte[] envelope(MessageType type, String header, byte[] payload, byte[] secret) {
        return envelope(EnvelopeCodec.VERSION, type.code(), header.getBytes(StandardCharsets.UTF_8), payload, secret);
    }
}
