package io.afd.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Splits a payload too large for one Kafka record into chunk envelopes. A payload of at most
 * {@code chunkSize} bytes goes out as one ordinary (unchunked) envelope. A larger one becomes
 * {@code count = ceil(length / chunkSize)} envelopes, chunk {@code i} carrying bytes
 * {@code [i * chunkSize, min((i + 1) * chunkSize, length))}, each with the full message header plus a
 * {@link Chunk} object (same random {@code messageId}, SHA-256 of the whole payload), each signed on its
 * own, all with the same {@code issuedAt}. Produce them in index order with the same Kafka key; {@link Reassembler} accepts any order.
 *
 * <p>The default chunk size, 512 KiB, keeps each envelope well inside Kafka's default 1 MiB record
 * limit with room for the header (a CNN task's selection string is about 10 KB).
 */
public final class Chunker {
    /** 512 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 512 * 1024;

    private final int chunkSize;

    public Chunker() {
        this(DEFAULT_CHUNK_SIZE);
    }

    /** @param chunkSize bytes per chunk, in [{@link Chunk#MIN_CHUNK_SIZE}, {@link Chunk#MAX_CHUNK_SIZE}] */
    public Chunker(int chunkSize) {
        Check.range(chunkSize, Chunk.MIN_CHUNK_SIZE, Chunk.MAX_CHUNK_SIZE, "chunkSize");
        this.chunkSize = chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Envelopes a payload of {@code payloadLength} bytes becomes: 1 when it fits, else the chunk count. */
    public int envelopeCount(int payloadLength) {
        return payloadLength <= chunkSize ? 1 : (int) (((long) payloadLength + chunkSize - 1) / chunkSize);
    }

    /** Encodes {@code payload} as one envelope or as chunk envelopes with a random message id. */
    public List<byte[]> encode(MessageType type, Message header, byte[] payload, SigningKey key) {
        return encode(type, header, payload, key, UUID.randomUUID(), System.currentTimeMillis());
    }

    /**
     * Encodes {@code payload} as one envelope or as chunk envelopes with the given message id, issued at
     * {@code issuedAtMillis}.
     *
     * @throws IllegalArgumentException if more than {@link Chunk#MAX_COUNT} chunks would be needed
     */
    public List<byte[]> encode(
            MessageType type, Message header, byte[] payload, SigningKey key, UUID messageId, long issuedAtMillis) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(messageId, "messageId");
        if (payload.length <= chunkSize) {
            return List.of(EnvelopeCodec.encode(type, header, null, payload, key, issuedAtMillis));
        }
        int count = envelopeCount(payload.length);
        if (count > Chunk.MAX_COUNT) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes needs " + count + " chunks of "
                    + chunkSize + " bytes; at most " + Chunk.MAX_COUNT + " are allowed");
        }
        String sha = Secrets.sha256Hex(payload);
        String id = messageId.toString();
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Chunk c = new Chunk(id, i, count, chunkSize, payload.length, sha);
            int from = (int) c.offset();
            byte[] part = Arrays.copyOfRange(payload, from, from + c.expectedLength());
            out.add(EnvelopeCodec.encode(type, header, c, part, key, issuedAtMillis));
        }
        return out;
    }
}
