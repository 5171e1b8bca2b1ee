package io.afd.protocol;

import io.afd.protocol.ProtocolException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reassembles chunked messages from verified envelopes ({@link EnvelopeCodec#decode} first), in any
 * order, with bounded memory. Thread-safe.
 *
 * <p>Chunks are buffered per (key id, message id), so one client cannot touch another's messages. For
 * each chunk {@link #offer} returns:
 * <ul>
 *   <li>{@link Status#COMPLETE} with the whole message: an unchunked envelope passes straight through;
 *       the last missing chunk completes a message once the SHA-256 of the joined payload matches;</li>
 *   <li>{@link Status#PENDING}: buffered, chunks still missing;</li>
 *   <li>{@link Status#DUPLICATE}: a byte-identical copy of a buffered chunk, or a chunk of a message
 *       that already completed (at-least-once redelivery), ignored;</li>
 *   <li>{@link Status#DISCARDED}: a chunk of a message that was already rejected or evicted, ignored
 *       (the rejection was reported once).</li>
 * </ul>
 * and throws {@link ProtocolException}, dropping everything buffered for that message, when: the chunk
 * count exceeds {@link Limits#maxChunkCount} or the total length {@link Limits#maxPayloadBytes}
 * [{@code too_large}]; the chunk disagrees with the message's earlier chunks (type, header, chunk
 * metadata, or different bytes for the same index) [{@code chunk_inconsistent}]; buffering it would
 * exceed {@link Limits#maxBytesInFlight} or start more than {@link Limits#maxMessagesInFlight} messages, or
 * exceed one sender's quota ({@link Limits#maxMessagesPerSender}, {@link Limits#maxBytesPerSender}: one
 * client cannot fill the buffers the others need)
 * [{@code reassembly_full}]; the joined payload's SHA-256 differs [{@code checksum_mismatch}].
 *
 * <p>A message not complete {@link Limits#maxAgeMillis} after its first chunk arrived is evicted and
 * reported to the eviction listener with reason {@code reassembly_timeout}; expiry is checked on every
 * offer and by {@link #evictExpired()} (call it periodically when traffic may stop). The outcomes of the
 * last {@link Limits#rememberedMessages} finished messages are remembered to classify late chunks.
 *
 * <p>Memory: buffered chunk payloads never exceed {@code maxBytesInFlight}; on top of that at most
 * {@code maxMessagesInFlight} headers and slot arrays of at most {@code maxChunkCount} references, and,
 * while one message is joined, its {@code totalLength} bytes.
 */
public final class Reassembler {

    /**
     * Caps.
     *
     * @param maxBytesInFlight    buffered chunk payload bytes over all messages
     * @param maxMessagesInFlight incomplete messages buffered at once
     * @param maxAgeMillis        a message must complete within this time of its first chunk
     * @param maxChunkCount       largest chunk count accepted
     * @param maxPayloadBytes     largest reassembled payload accepted; at most {@code maxBytesInFlight}
     * @param rememberedMessages  finished message ids remembered to classify late chunks
     * @param maxMessagesPerSender incomplete messages one sender (signer) may have buffered at once
     * @param maxBytesPerSender   buffered chunk payload bytes of one sender; at least {@code maxPayloadBytes}
     */
    public record Limits(
            long maxBytesInFlight,
            int maxMessagesInFlight,
            long maxAgeMillis,
            int maxChunkCount,
            int maxPayloadBytes,
            int rememberedMessages,
            int maxMessagesPerSender,
            long maxBytesPerSender) {
        public Limits {
            Check.that(maxBytesInFlight > 0, "maxBytesInFlight", "must be > 0", maxBytesInFlight);
            Check.that(maxMessagesInFlight > 0, "maxMessagesInFlight", "must be > 0", maxMessagesInFlight);
            Check.that(maxAgeMillis > 0, "maxAgeMillis", "must be > 0", maxAgeMillis);
            Check.range(maxChunkCount, 1, Chunk.MAX_COUNT, "maxChunkCount");
            Check.that(
                    maxPayloadBytes > 0 && maxPayloadBytes <= maxBytesInFlight,
                    "maxPayloadBytes",
                    "must be in [1, maxBytesInFlight]",
                    maxPayloadBytes);
            Check.that(rememberedMessages >= 0, "rememberedMessages", "must be >= 0", rememberedMessages);
            Check.that(
                    maxMessagesPerSender > 0 && maxMessagesPerSender <= maxMessagesInFlight,
                    "maxMessagesPerSender",
                    "must be in [1, maxMessagesInFlight]",
                    maxMessagesPerSender);
            Check.that(
                    maxBytesPerSender >= maxPayloadBytes && maxBytesPerSender <= maxBytesInFlight,
                    "maxBytesPerSender",
                    "must be in [maxPayloadBytes, maxBytesInFlight]",
                    maxBytesPerSender);
        }

        /** One sender's fair share: 4 messages and two largest payloads (within the in-flight caps). */
        private static Limits of(
                long maxBytesInFlight,
                int maxMessagesInFlight,
                long maxAgeMillis,
                int maxChunkCount,
                int maxPayloadBytes,
                int rememberedMessages) {
            return new Limits(
                    maxBytesInFlight,
                    maxMessagesInFlight,
                    maxAgeMillis,
                    maxChunkCount,
                    maxPayloadBytes,
                    rememberedMessages,
                    Math.min(4, maxMessagesInFlight),
                    Math.min(maxBytesInFlight, 2L * maxPayloadBytes));
        }

        /**
         * 256 MiB in flight, 1024 messages, 2 minutes, 4096 chunks, 128 MiB per payload (the 6.6M-parameter
         * CNN is 26.4 MB dense float32), 4096 remembered ids.
         */
        public static Limits defaults() {
            return of(256L << 20, 1024, 120_000, 4096, 128 << 20, 4096);
        }

        /** These limits with another in-flight cap; {@code maxPayloadBytes} is lowered to it if larger. */
        public Limits withMaxBytesInFlight(long v) {
            return of(
                            v,
                            maxMessagesInFlight,
                            maxAgeMillis,
                            maxChunkCount,
                            (int) Math.min(maxPayloadBytes, v),
                            rememberedMessages)
                    .withPerSender(maxMessagesPerSender, Math.min(maxBytesPerSender, v));
        }

        public Limits withMaxMessagesInFlight(int v) {
            return of(maxBytesInFlight, v, maxAgeMillis, maxChunkCount, maxPayloadBytes, rememberedMessages)
                    .withPerSender(Math.min(maxMessagesPerSender, v), maxBytesPerSender);
        }

        public Limits withMaxAgeMillis(long v) {
            return new Limits(
                    maxBytesInFlight,
                    maxMessagesInFlight,
                    v,
                    maxChunkCount,
                    maxPayloadBytes,
                    rememberedMessages,
                    maxMessagesPerSender,
                    maxBytesPerSender);
        }

        public Limits withMaxChunkCount(int v) {
            return new Limits(
                    maxBytesInFlight,
                    maxMessagesInFlight,
                    maxAgeMillis,
                    v,
                    maxPayloadBytes,
                    rememberedMessages,
                    maxMessagesPerSender,
                    maxBytesPerSender);
        }

        /** These limits with another payload cap; the per-sender byte quota is raised to it if smaller. */
        public Limits withMaxPayloadBytes(int v) {
            return of(maxBytesInFlight, maxMessagesInFlight, maxAgeMillis, maxChunkCount, v, rememberedMessages)
                    .withPerSender(maxMessagesPerSender, Math.min(maxBytesInFlight, Math.max(maxBytesPerSender, v)));
        }

        /** These limits with other per-sender quotas. */
        public Limits withPerSender(int messages, long bytes) {
            return new Limits(
                    maxBytesInFlight,
                    maxMessagesInFlight,
                    maxAgeMillis,
                    maxChunkCount,
                    maxPayloadBytes,
                    rememberedMessages,
                    messages,
                    bytes);
        }
    }

    /** What {@link #offer} did with a chunk. */
    public enum Status {
        COMPLETE,
        PENDING,
        DUPLICATE,
        DISCARDED
    }

    /**
     * @param status  what happened
     * @param message the whole message ({@code chunk() == null}, full payload, summed wire length) when
     *                {@code COMPLETE}, else {@code null}
     */
    public record Result(Status status, Envelope message) {}

    /**
     * A message dropped because it did not complete in time.
     *
     * @param signer         its sender (client id or {@link EnvelopeCodec#SERVER})
     * @param messageId      its chunk message id
     * @param type           its message type
     * @param header         its header
     * @param receivedChunks chunks that had arrived
     * @param count          chunks expected
     * @param bufferedBytes  payload bytes that had arrived
     * @param totalLength    payload bytes expected
     * @param ageMillis      time since its first chunk
     * @param reason         {@link Reason#REASSEMBLY_TIMEOUT}
     * @param detail         human-readable summary naming missing chunk indices
     */
    public record Eviction(
            String signer,
            String messageId,
            MessageType type,
            Message header,
            int receivedChunks,
            int count,
            long bufferedBytes,
            int totalLength,
            long ageMillis,
            Reason reason,
            String detail) {

        /** A dead letter for this eviction (partition and offset unknown: the message spans records). */
        public DeadLetter toDeadLetter(long timestampMillis) {
            String client = null;
            String experiment = null;
            Integer round = null;
            if (header instanceof ClientTask t) {
                client = t.clientId();
                experiment = t.experimentId();
                round = t.round();
            } else if (header instanceof ClientUpdate u) {
                client = u.clientId();
                experiment = u.experimentId();
                round = u.round();
            } else if (header instanceof RoundEvent r) {
                experiment = r.experimentId();
                round = r.round();
            }
            return DeadLetter.of(
                    reason.code(), detail, type.topic(), null, null, client, experiment, round, timestampMillis);
        }
    }

    private static final class Partial {
        final MessageType type;
        final Message header;
        final Chunk meta;
        final long firstSeen;
        final byte[][] parts;
        int received;
        long bytes;
        long wire;

        final String sender;
        final String keyId;
        final long issuedAt;

        Partial(Envelope e, long now) {
            this.sender = e.signer();
            this.keyId = e.keyId();
            this.issuedAt = e.issuedAtMillis();
            this.type = e.type();
            this.header = e.header();
            this.meta = e.chunk();
            this.firstSeen = now;
            this.parts = new byte[meta.count()][];
        }
    }

    private final Limits limits;
    private final LongSupplier clock;
    private final Consumer<Eviction> onEviction;
    private final LinkedHashMap<String, Partial> partials = new LinkedHashMap<>();
    private final LinkedHashMap<String, Boolean> finished; // key -> completed (true) or rejected (false)
    private long bytesInFlight;
    /** Per sender (signer): {incomplete messages, buffered bytes}. */
    private final Map<String, long[]> bySender = new java.util.HashMap<>();

    /** Default limits, monotonic clock, evictions ignored. */
    public Reassembler() {
        this(Limits.defaults(), () -> System.nanoTime() / 1_000_000, e -> {});
    }

    /**
     * @param limits      caps
     * @param clockMillis monotonic milliseconds (e.g. {@code System.nanoTime() / 1_000_000})
     * @param onEviction  receives timed-out messages (called outside the lock, on the calling thread)
     */
    public Reassembler(Limits limits, LongSupplier clockMillis, Consumer<Eviction> onEviction) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
        this.onEviction = Objects.requireNonNull(onEviction, "onEviction");
        int remember = limits.rememberedMessages();
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remember;
            }
        };
    }

    public Limits limits() {
        return limits;
    }

    /** Offers one verified envelope. See the class doc. */
    public Result offer(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        List<Eviction> evicted = new ArrayList<>(0);
        try {
            synchronized (this) {
                expire(evicted);
                return accept(envelope);
            }
        } finally {
            evicted.forEach(onEviction);
        }
    }

    /** Evicts messages older than the maximum age, reporting each; returns how many. */
    public int evictExpired() {
        List<Eviction> evicted = new ArrayList<>(0);
        synchronized (this) {
            expire(evicted);
        }
        evicted.forEach(onEviction);
        return evicted.size();
    }

    /** Buffered chunk payload bytes. */
    public synchronized long bytesInFlight() {
        return bytesInFlight;
    }

    /** Incomplete messages buffered. */
    public synchronized int messagesInFlight() {
        return partials.size();
    }

    private Result accept(Envelope e) {
        Chunk c = e.chunk();
        if (c == null) {
            return new Result(Status.COMPLETE, e);
        }
        String key = e.signer() + "/" + c.messageId();
        String what = e.type() + " message " + c.messageId() + " from '" + e.signer() + "'";
        Boolean done = finished.get(key);
        if (done != null) {
            return new Result(done ? Status.DUPLICATE : Status.DISCARDED, null);
        }
        Partial m = partials.get(key);
        if (m == null) {
            if (c.count() > limits.maxChunkCount()) {
                throw reject(
                        key,
                        null,
                        Reason.TOO_LARGE,
                        what + " has " + c.count() + " chunks; at most " + limits.maxChunkCount() + " are accepted");
            }
            if (c.totalLength() > limits.maxPayloadBytes()) {
                throw reject(
                        key,
                        null,
                        Reason.TOO_LARGE,
                        what + " is " + c.totalLength() + " bytes; at most " + limits.maxPayloadBytes()
                                + " are accepted");
            }
            if (partials.size() >= limits.maxMessagesInFlight()) {
                throw reject(
                        key,
                        null,
                        Reason.REASSEMBLY_FULL,
                        what + " cannot start: "
                                + partials.size() + " messages are already being reassembled (cap "
                                + limits.maxMessagesInFlight() + ")");
            }
            long[] mine = bySender.get(e.signer());
            if (mine != null && mine[0] >= limits.maxMessagesPerSender()) {
                throw reject(
                        key,
                        null,
                        Reason.REASSEMBLY_FULL,
                        what + " cannot start: '" + e.signer() + "' already has " + mine[0]
                                + " messages being reassembled (cap per sender " + limits.maxMessagesPerSender() + ")");
            }
            m = new Partial(e, clock.getAsLong());
            partials.put(key, m);
            bySender.computeIfAbsent(e.signer(), k -> new long[2])[0]++;
        } else if (m.type != e.type()
                || !m.meta.sameMessage(c)
                || !m.header.equals(e.header())
                || !m.keyId.equals(e.keyId())) {
            throw reject(
                    key,
                    m,
                    Reason.CHUNK_INCONSISTENT,
                    what + ": chunk " + c.index() + " disagrees with the"
                            + " chunks before it ("
                            + (m.type != e.type()
                                    ? "message type " + e.type() + " vs " + m.type
                                    : !m.meta.sameMessage(c)
                                            ? "chunk metadata " + c + " vs " + m.meta
                                            : !m.header.equals(e.header())
                                                    ? "message header"
                                                    : "signing key " + e.keyId() + " vs " + m.keyId)
                            + ")");
        }
        byte[] payload = e.payload();
        byte[] have = m.parts[c.index()];
        if (have != null) {
            if (Arrays.equals(have, payload)) {
                return new Result(Status.DUPLICATE, null);
            }
            throw reject(
                    key,
                    m,
                    Reason.CHUNK_INCONSISTENT,
                    what + ": chunk " + c.index() + " arrived twice with different bytes");
        }
        if (bytesInFlight + payload.length > limits.maxBytesInFlight()) {
            throw reject(
                    key,
                    m,
                    Reason.REASSEMBLY_FULL,
                    what + ": chunk " + c.index() + " (" + payload.length
                            + " bytes) would exceed the in-flight cap of " + limits.maxBytesInFlight() + " bytes ("
                            + bytesInFlight + " buffered)");
        }
        long senderBytes = bySender.get(m.sender)[1];
        if (senderBytes + payload.length > limits.maxBytesPerSender()) {
            throw reject(
                    key,
                    m,
                    Reason.REASSEMBLY_FULL,
                    what + ": chunk " + c.index() + " (" + payload.length + " bytes) would exceed the cap of "
                            + limits.maxBytesPerSender() + " bytes per sender ('" + m.sender + "' has " + senderBytes
                            + " buffered)");
        }
        m.parts[c.index()] = payload;
        bySender.get(m.sender)[1] += payload.length;
        m.received++;
        m.bytes += payload.length;
        m.wire += e.wireLength();
        bytesInFlight += payload.length;
        if (m.received < c.count()) {
            return new Result(Status.PENDING, null);
        }
        drop(key, m);
        byte[] whole = new byte[c.totalLength()];
        int at = 0;
        for (byte[] part : m.parts) {
            System.arraycopy(part, 0, whole, at, part.length);
            at += part.length;
        }
        String sha = Secrets.sha256Hex(whole);
        if (!sha.equals(c.sha256())) {
            finished.put(key, false);
            throw new ProtocolException(
                    Reason.CHECKSUM_MISMATCH,
                    what + ": SHA-256 of the " + whole.length + " reassembled bytes is " + sha
                            + ", the chunks announced " + c.sha256());
        }
        finished.put(key, true);
        return new Result(
                Status.COMPLETE, new Envelope(m.type, m.header, null, whole, m.sender, m.keyId, m.issuedAt, m.wire));
    }

    private ProtocolException reject(String key, Partial m, Reason reason, String message) {
        if (m != null) {
            drop(key, m);
        }
        finished.put(key, false);
        return new ProtocolException(reason, message);
    }

    private void drop(String key, Partial m) {
        partials.remove(key);
        bytesInFlight -= m.bytes;
        release(m);
    }

    private void release(Partial m) {
        long[] mine = bySender.get(m.sender);
        if (mine != null && --mine[0] <= 0) {
            bySender.remove(m.sender);
        } else if (mine != null) {
            mine[1] -= m.bytes;
        }
    }

    private void expire(List<Eviction> out) {
        long now = clock.getAsLong();
        Iterator<Map.Entry<String, Partial>> it = partials.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Partial> en = it.next();
            Partial m = en.getValue();
            long age = now - m.firstSeen;
            if (age <= limits.maxAgeMillis()) {
                break; // insertion order = arrival order of first chunks
            }
            it.remove();
            bytesInFlight -= m.bytes;
            release(m);
            finished.put(en.getKey(), false);
            out.add(new Eviction(
                    en.getKey().substring(0, en.getKey().lastIndexOf('/')),
                    m.meta.messageId(),
                    m.type,
                    m.header,
                    m.received,
                    m.meta.count(),
                    m.bytes,
                    m.meta.totalLength(),
                    age,
                    Reason.REASSEMBLY_TIMEOUT,
                    m.type + " message " + m.meta.messageId() + ": received " + m.received
                            + " of " + m.meta.count() + " chunks (" + m.bytes + " of " + m.meta.totalLength()
                            + " bytes) in " + age + " ms (max age " + limits.maxAgeMillis() + " ms); missing chunks "
                            + missing(m)));
        }
    }

    private static String missing(Partial m) {
        StringBuilder sb = new StringBuilder("[");
        int shown = 0;
        int total = 0;
        for (int i = 0; i < m.parts.length; i++) {
            if (m.parts[i] == null) {
                total++;
                if (shown < 10) {
                    sb.append(shown++ == 0 ? "" : ", ").append(i);
                }
            }
        }
        return sb.append(total > shown ? ", ... (" + total + " in all)]" : "]").toString();
    }
}
