package io.afd.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code chunk} object of a chunked envelope's header: this envelope's payload is bytes
 * {@code [index * chunkSize, index * chunkSize + expectedLength())} of a larger payload of
 * {@code totalLength} bytes whose SHA-256 is {@code sha256}. Every chunk of one message carries the
 * same message header and the same {@code messageId}, {@code count}, {@code chunkSize},
 * {@code totalLength} and {@code sha256}.
 *
 * @param messageId   random UUID of the whole message, lowercase canonical form (36 characters)
 * @param index       0-based chunk index, in [0, count)
 * @param count       number of chunks, {@code ceil(totalLength / chunkSize)}, in [1, 65536]
 * @param chunkSize   bytes per chunk (the last one may be shorter), in [1024, 2^30]
 * @param totalLength bytes of the whole payload, in [1, 2^31 - 1]
 * @param sha256      SHA-256 of the whole payload, 64 lowercase hex digits
 */
public record Chunk(
        @JsonProperty(required = true) String messageId,
        @JsonProperty(required = true) int index,
        @JsonProperty(required = true) int count,
        @JsonProperty(required = true) int chunkSize,
        @JsonProperty(required = true) int totalLength,
        @JsonProperty(required = true) String sha256) {

    /** Smallest chunk size. */
    public static final int MIN_CHUNK_SIZE = 1024;
    /** Largest chunk size. */
    public static final int MAX_CHUNK_SIZE = 1 << 30;
    /** Largest chunk count. */
    public static final int MAX_COUNT = 1 << 16;

    public Chunk {
        Check.pattern(messageId, Check.UUID, "chunk.messageId");
        Check.range(count, 1, MAX_COUNT, "chunk.count");
        Check.range(index, 0, count - 1, "chunk.index");
        Check.range(chunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE, "chunk.chunkSize");
        Check.range(totalLength, 1, Integer.MAX_VALUE, "chunk.totalLength");
        long expectedCount = ((long) totalLength + chunkSize - 1) / chunkSize;
        Check.that(
                count == expectedCount,
                "chunk.count",
                "must be ceil(totalLength / chunkSize) = " + expectedCount,
                count);
        Check.pattern(sha256, Check.SHA256, "chunk.sha256");
    }

    /** Offset of this chunk's bytes in the whole payload. */
    public long offset() {
        return (long) index * chunkSize;
    }

    /** Length this chunk's payload must have: {@code min(chunkSize, totalLength - offset())}. */
    public int expectedLength() {
        return (int) Math.min(chunkSize, totalLength - offset());
    }

    /** True when every field but {@code index} equals {@code other}'s. */
    public boolean sameMessage(Chunk other) {
        return messageId.equals(other.messageId)
                && count == other.count
                && chunkSize == other.chunkSize
                && totalLength == other.totalLength
                && sha256.equals(other.sha256);
    }
}
