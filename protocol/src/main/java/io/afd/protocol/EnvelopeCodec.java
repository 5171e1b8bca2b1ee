package io.afd.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.afd.protocol.ProtocolException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Binary framing of one Kafka record value ("AFDM" envelopes): a JSON header, a binary payload and an
 * HMAC-SHA256 over both, keyed by the secret of the header's key id.
 *
 * <h2>Layout, version 1</h2>
 * All integers big-endian. {@code h} and {@code p} are the header and payload lengths.
 * <pre>
 * offset      size  field
 * 0           4     magic       0x41 0x46 0x44 0x4D ("AFDM")
 * 4           1     version     u8 = 0x01
 * 5           1     type        u8: 1 client task, 2 client update, 3 round event, 4 dead letter
 * 6           4     headerLen   u32 = h, 1 &lt;= h
 * 10          h     header      UTF-8 JSON object (schema per type; docs/protocol.md)
 * 10+h        4     payloadLen  u32 = p, 0 &lt;= p
 * 14+h        p     payload     an AFDT tensor blob, a chunk of one, or other bytes per type
 * 14+h+p      32    mac         HMAC-SHA256(key, bytes[0, 14+h+p))
 * total = 46 + h + p
 * </pre>
 * The key is the 32-byte secret of the key id: the header's {@code clientId} for types 1 and 2,
 * {@link #SERVER_KEY_ID} for types 3 and 4.
 *
 * <h2>Decoding</h2>
 * Checks, in this order, each failure a {@link ProtocolException} with the reason in brackets: total
 * length at most the cap [{@code too_large}]; magic [{@code malformed}]; version [{@code unsupported_version}];
 * type [{@code unsupported_type}]; {@code headerLen} within the bytes left, {@code payloadLen} exactly
 * the bytes left before the MAC [{@code malformed}] (lengths are compared with the bytes actually
 * present before anything is allocated or copied); header strict UTF-8 and exactly one JSON object without
 * duplicate keys, holding a valid {@code clientId} string when the type is client-signed [{@code malformed}];
 * a secret for the key id [{@code unknown_client}]; the MAC, compared in constant time
 * [{@code bad_signature}]; the header's schema and, for a chunk, the payload length the chunk metadata
 * implies [{@code invalid_header}]. Only the key-id lookup happens before the signature is verified;
 * nothing from the header is trusted before that.
 */
public final class EnvelopeCodec {
    /** "AFDM". */
    public static final byte[] MAGIC = {0x41, 0x46, 0x44, 0x4D};

    public static final int VERSION = 1;
    /** Bytes of the trailing HMAC-SHA256. */
    public static final int MAC_LENGTH = Secrets.MAC_BYTES;
    /** Bytes of an envelope besides header and payload: magic, version, type, two lengths, MAC. */
    public static final int OVERHEAD = 4 + 1 + 1 + 4 + 4 + MAC_LENGTH;
    /** Default decoding cap: 1 MiB, Kafka's default maximum record size. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;
    /**
     * Key id of the services' shared secret, which signs round events and dead letters. Not a valid
     * client id ({@code @} is outside the id alphabet), so it cannot collide with one.
     */
    public static final String SERVER_KEY_ID = "@server";

    private static final int HEADER_AT = 10;

    private EnvelopeCodec() {}

    /** Encodes an unchunked envelope. */
    public static byte[] encode(MessageType type, Message header, byte[] payload, byte[] secret) {
        return encode(type, header, null, payload, secret);
    }

    /**
     * Encodes an envelope, signed with {@code secret} (the 32 bytes of the header's key id).
     *
     * @param chunk chunk metadata when {@code payload} is one chunk of a larger payload (see {@link Chunker}),
     *              else {@code null}
     * @throws IllegalArgumentException if the header is not of {@code type}, the secret is not 32 bytes, or
     *                                  the payload length disagrees with {@code chunk}
     */
    public static byte[] encode(MessageType type, Message header, Chunk chunk, byte[] payload, byte[] secret) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(secret, "secret");
        if (header.messageType() != type) {
            throw new IllegalArgumentException("header is a " + header.messageType() + " but the type is " + type);
        }
        if (secret.length != Secrets.SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "secret must be " + Secrets.SECRET_BYTES + " bytes, got " + secret.length);
        }
        if (chunk != null && payload.length != chunk.expectedLength()) {
            throw new IllegalArgumentException("chunk " + chunk.index() + " of " + chunk.count() + " must carry "
                    + chunk.expectedLength() + " bytes, got " + payload.length);
        }
        byte[] json = ProtocolJson.write(header, chunk);
        long total = (long) OVERHEAD + json.length + payload.length;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("envelope would be " + total + " bytes; chunk the payload");
        }
        byte[] out = new byte[(int) total];
        ByteBuffer bb = ByteBuffer.wrap(out);
        bb.put(MAGIC)
                .put((byte) VERSION)
                .put((byte) type.code())
                .putInt(json.length)
                .put(json)
                .putInt(payload.length)
                .put(payload);
        int signed = bb.position();
        bb.put(Secrets.hmacSha256(secret, out, 0, signed));
        return out;
    }

    /** Decodes with the {@link #DEFAULT_MAX_BYTES} cap. */
    public static Envelope decode(byte[] bytes, SecretLookup secrets) {
        return decode(bytes, secrets, DEFAULT_MAX_BYTES);
    }

    /**
     * Decodes and verifies one envelope (see the class doc for the order of checks).
     *
     * @param maxBytes largest envelope accepted
     * @throws ProtocolException when the envelope is rejected
     */
    public static Envelope decode(byte[] bytes, SecretLookup secrets, int maxBytes) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(secrets, "secrets");
        int n = bytes.length;
        if (n > maxBytes) {
            throw new ProtocolException(
                    Reason.TOO_LARGE, "envelope of " + n + " bytes exceeds the cap of " + maxBytes + " bytes");
        }
        for (int i = 0; i < Math.min(4, n); i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new ProtocolException(
                        Reason.MALFORMED,
                        "bad magic: expected 41 46 44 4d ('AFDM'), got "
                                + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(4, n)));
            }
        }
        if (n < 4) {
            throw truncated(n, "the rest of the 4-byte magic");
        }
        if (n < 5) {
            throw truncated(n, "the version byte at offset 4");
        }
        int version = bytes[4] & 0xFF;
        if (version != VERSION) {
            throw new ProtocolException(
                    Reason.UNSUPPORTED_VERSION,
                    "unsupported envelope version " + version + " (this decoder reads version " + VERSION + ")");
        }
        if (n < 6) {
            throw truncated(n, "the type byte at offset 5");
        }
        MessageType type = MessageType.fromCode(bytes[5] & 0xFF);
        if (type == null) {
            throw new ProtocolException(
                    Reason.UNSUPPORTED_TYPE,
                    "unknown message type " + (bytes[5] & 0xFF) + " at offset 5 (known: 1..4)");
        }
        if (n < HEADER_AT) {
            throw truncated(n, "the header length at offset 6");
        }
        long headerLen = u32(bytes, 6);
        long afterHeader = n - HEADER_AT - 4L - MAC_LENGTH; // room for header + payload
        if (headerLen == 0) {
            throw new ProtocolException(Reason.MALFORMED, "header length is 0 (offset 6); a header is a JSON object");
        }
        if (headerLen > afterHeader) {
            throw new ProtocolException(
                    Reason.MALFORMED,
                    "header length " + headerLen + " (offset 6) exceeds the " + Math.max(0, afterHeader)
                            + " bytes left for header and payload in a " + n + "-byte envelope");
        }
        int h = (int) headerLen;
        int payloadAt = HEADER_AT + h + 4;
        long payloadLen = u32(bytes, HEADER_AT + h);
        long payloadRoom = (long) n - payloadAt - MAC_LENGTH;
        if (payloadLen != payloadRoom) {
            throw new ProtocolException(
                    Reason.MALFORMED,
                    "payload length " + payloadLen + " (offset "
                            + (HEADER_AT + h) + ") " + (payloadLen > payloadRoom ? "exceeds" : "does not fill")
                            + " the "
                            + payloadRoom + " bytes between the header and the 32-byte MAC");
        }
        int p = (int) payloadLen;
        String text = utf8(bytes, HEADER_AT, h);
        ObjectNode tree = ProtocolJson.parseTree(text);
        String keyId = keyId(type, tree);
        byte[] secret = secrets.secretFor(keyId);
        if (secret == null) {
            throw new ProtocolException(Reason.UNKNOWN_CLIENT, "no secret for key id '" + keyId + "' (" + type + ")");
        }
        if (secret.length != Secrets.SECRET_BYTES) {
            throw new IllegalStateException("the secret lookup returned " + secret.length + " bytes for key id '"
                    + keyId + "'; secrets are " + Secrets.SECRET_BYTES + " bytes (Secrets.decode of the text form)");
        }
        int signed = payloadAt + p;
        byte[] tag = Arrays.copyOfRange(bytes, signed, n);
        if (!Secrets.verifyHmacSha256(secret, bytes, 0, signed, tag)) {
            throw new ProtocolException(
                    Reason.BAD_SIGNATURE,
                    "HMAC-SHA256 over the first " + signed + " bytes does not match for key id '" + keyId + "' (" + type
                            + ")");
        }
        ProtocolJson.Header parsed = ProtocolJson.map(type, tree);
        Chunk chunk = parsed.chunk();
        if (chunk != null && p != chunk.expectedLength()) {
            throw new ProtocolException(
                    Reason.INVALID_HEADER,
                    type + " chunk " + chunk.index() + " of "
                            + chunk.count() + " (message " + chunk.messageId() + ") carries " + p
                            + " bytes, its metadata says "
                            + chunk.expectedLength());
        }
        return new Envelope(type, parsed.message(), chunk, Arrays.copyOfRange(bytes, payloadAt, signed), keyId, n);
    }

    /** The key id of a parsed (still unverified) header. */
    private static String keyId(MessageType type, ObjectNode tree) {
        if (!type.signedByClient()) {
            return SERVER_KEY_ID;
        }
        JsonNode id = tree.get("clientId");
        if (id == null || !id.isTextual() || !Check.ID.matcher(id.textValue()).matches()) {
            throw new ProtocolException(
                    Reason.MALFORMED,
                    type + " header has no valid clientId string" + " (needed to find the signing key)");
        }
        return id.textValue();
    }

    private static ProtocolException truncated(int n, String what) {
        return new ProtocolException(Reason.MALFORMED, "envelope truncated: " + n + " bytes, missing " + what);
    }

    private static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24)
                | ((b[off + 1] & 0xFFL) << 16)
                | ((b[off + 2] & 0xFFL) << 8)
                | (b[off + 3] & 0xFFL);
    }

    private static String utf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(
                    Reason.MALFORMED, "header (offset " + off + ", " + len + " bytes) is not valid UTF-8: " + e, e);
        }
    }
}
