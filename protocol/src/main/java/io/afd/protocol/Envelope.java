package io.afd.protocol;

import java.util.Objects;

/**
 * One decoded and verified envelope (or, from {@link Reassembler}, a whole reassembled message).
 *
 * @param type       the message type byte
 * @param header     the parsed, validated header
 * @param chunk      chunk metadata when this envelope carries one chunk of a larger payload, else {@code null}
 * @param payload    the payload bytes (not copied; callers must not modify them)
 * @param signer     whose key verified the signature: the client id, or {@link EnvelopeCodec#SERVER}
 * @param keyId      which of the signer's keys: 16 hex digits ({@link VerifyKey#keyId()})
 * @param issuedAtMillis when the signer signed it (for a reassembled message: its first chunk), ms since the epoch
 * @param wireLength bytes this arrived as: the envelope's length, or for a reassembled message the sum over
 *                   its distinct chunks (what byte accounting counts)
 */
public record Envelope(
        MessageType type,
        Message header,
        Chunk chunk,
        byte[] payload,
        String signer,
        String keyId,
        long issuedAtMillis,
        long wireLength) {
    public Envelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(keyId, "keyId");
        if (header.messageType() != type) {
            throw new IllegalArgumentException("header is a " + header.messageType() + ", envelope type " + type);
        }
    }

    /** True when this envelope carries one chunk of a larger payload. */
    public boolean chunked() {
        return chunk != null;
    }

    /** The header as {@code cls}, e.g. {@code env.header(ClientUpdate.class)}. */
    public <T extends Message> T header(Class<T> cls) {
        if (!cls.isInstance(header)) {
            throw new IllegalStateException("envelope carries a " + type + ", not a " + cls.getSimpleName());
        }
        return cls.cast(header);
    }

    @Override
    public String toString() {
        return "Envelope[" + type + " signer=" + signer + " key=" + keyId
                + (chunk == null
                        ? ""
                        : " chunk " + (chunk.index() + 1) + "/" + chunk.count() + " of " + chunk.messageId())
                + ", payload " + payload.length + " B, wire "
                + wireLength + " B]";
    }
}
