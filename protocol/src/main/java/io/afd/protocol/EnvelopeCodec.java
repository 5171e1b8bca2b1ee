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
 * Binary framing of one Kafka record value ("AFDM" envelopes): when it was signed, by which key, a JSON header, a
 * binary payload and an Ed25519 signature (RFC 8032) over all of it.
 *
 * <h2>Layout, version 2</h2>
 * All integers big-endian. {@code h} and {@code p} are the header and payload lengths.
 * <pre>
 * offset      size  field
 * 0           4     magic       0x41 0x46 0x44 0x4D ("AFDM")
 * 4           1     version     u8 = 0x02
 * 5           1     type        u8: 1 client task, 2 client update, 3 round event, 4 dead letter
 * 6           8     issuedAt    i64, milliseconds since the Unix epoch, when the signer signed it
 * 14          8     keyId       the first 8 bytes of SHA-256 of the signer's 32-byte Ed25519 public key
 * 22          4     headerLen   u32 = h, 1 &lt;= h
 * 26          h     header      UTF-8 JSON object (schema per type; docs/protocol.md)
 * 26+h        4     payloadLen  u32 = p, 0 &lt;= p
 * 30+h        p     payload     an AFDT tensor blob, a chunk of one, or other bytes per type
 * 30+h+p      64    signature   Ed25519(signer's key, SHA-256(bytes[0, 30+h+p)))
 * total = 94 + h + p
 * </pre>
 * The signer is the header's {@code clientId} for a client update (type 2) and {@link #SERVER} for the types the
 * services sign (1, 3, 4). The signed message is the 32-byte SHA-256 of the envelope's bytes before the signature,
 * not the bytes themselves: pure Ed25519 hashes its message twice with SHA-512, which for a 512 KiB chunk costs
 * several times the one SHA-256 pass (ADR 0015).
 *
 * <h2>Decoding</h2>
 * Checks, in this order, each failure a {@link ProtocolException} with the reason in brackets: total
 * length at most the cap [{@code too_large}]; magic [{@code malformed}]; version [{@code unsupported_version}];
 * type [{@code unsupported_type}]; {@code headerLen} within the bytes left, {@code payloadLen} exactly
 * the bytes left before the signature [{@code malformed}] (lengths are compared with the bytes actually
 * present before anything is allocated or copied); header strict UTF-8 and exactly one JSON object without
 * duplicate keys, holding a valid {@code clientId} string when the type is client-signed [{@code malformed}];
 * keys for the signer [{@code unknown_client}] and one with the key id [{@code unknown_key}]; the signature
 * [{@code bad_signature}]; the header's schema and, for a chunk, the payload length the chunk metadata implies
 * [{@code invalid_header}]. Only the signer and key-id lookup happens before the signature is verified;
 * nothing from the header is trusted before that. Whether {@code issuedAt} is recent enough is the receiver's
 * policy ({@link Envelope#issuedAtMillis()}).
 */
public final class EnvelopeCodec {
    /** "AFDM". */
    public static final byte[] MAGIC = {0x41, 0x46, 0x44, 0x4D};

    public static final int VERSION = 2;
    /** Bytes of the trailing Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;
    /** Bytes of an envelope besides header and payload: magic, version, type, issuedAt, keyId, lengths, signature. */
    public static final int OVERHEAD = 4 + 1 + 1 + 8 + VerifyKey.KEY_ID_BYTES + 4 + 4 + SIGNATURE_LENGTH;
    /** Default decoding cap: 1 MiB, Kafka's default maximum record size. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;
    /**
     * The signer of everything the services sign (tasks, round events, dead letters). Not a valid client id
     * ({@code @} is outside the id alphabet), so it cannot collide with one.
     */
    public static final String SERVER = "@server";

    private static final int ISSUED_AT = 6;
    private static final int KEY_ID_AT = 14;
    private static final int HEADER_AT = 26;

    private EnvelopeCodec() {}

    /** Encodes an unchunked envelope issued now. */
    public static byte[] encode(MessageType type, Message header, byte[] payload, SigningKey key) {
        return encode(type, header, null, payload, key, System.currentTimeMillis());
    }

    /** Encodes an envelope issued now. */
    public static byte[] encode(MessageType type, Message header, Chunk chunk, byte[] payload, SigningKey key) {
        return encode(type, header, chunk, payload, key, System.currentTimeMillis());
    }

    /**
     * Encodes an envelope, signed with {@code key} (the signer's: the client's own for an update, the server's
     * otherwise; the codec cannot tell whose a key is, receivers can).
     *
     * @param chunk          chunk metadata when {@code payload} is one chunk of a larger payload (see
     *                       {@link Chunker}), else {@code null}
     * @param issuedAtMillis when it is signed, milliseconds since the epoch
     * @throws IllegalArgumentException if the header is not of {@code type}, {@code issuedAtMillis} is negative,
     *                                  or the payload length disagrees with {@code chunk}
     */
    public static byte[] encode(
            MessageType type, Message header, Chunk chunk, byte[] payload, SigningKey key, long issuedAtMillis) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(key, "key");
        if (header.messageType() != type) {
            throw new IllegalArgumentException("header is a " + header.messageType() + " but the type is " + type);
        }
        if (issuedAtMillis < 0) {
            throw new IllegalArgumentException("issuedAtMillis must be >= 0, got " + issuedAtMillis);
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
                .putLong(issuedAtMillis)
                .put(HexFormat.of().parseHex(key.keyId()))
                .putInt(json.length)
                .put(json)
                .putInt(payload.length)
                .put(payload);
        int signed = bb.position();
        bb.put(key.sign(digest(out, signed)));
        return out;
    }

    /** Decodes with the {@link #DEFAULT_MAX_BYTES} cap. */
    public static Envelope decode(byte[] bytes, KeyLookup keys) {
        return decode(bytes, keys, DEFAULT_MAX_BYTES);
    }

    /**
     * Decodes and verifies one envelope (see the class doc for the order of checks).
     *
     * @param maxBytes largest envelope accepted
     * @throws ProtocolException when the envelope is rejected
     */
    public static Envelope decode(byte[] bytes, KeyLookup keys, int maxBytes) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(keys, "keys");
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
            throw truncated(n, "issuedAt (offset 6), keyId (offset 14) and the header length (offset 22)");
        }
        long issuedAt = ByteBuffer.wrap(bytes, ISSUED_AT, 8).getLong();
        if (issuedAt < 0) {
            throw new ProtocolException(
                    Reason.MALFORMED, "issuedAt (offset 6) is negative: " + issuedAt + " ms since the epoch");
        }
        String keyId = HexFormat.of().formatHex(bytes, KEY_ID_AT, KEY_ID_AT + VerifyKey.KEY_ID_BYTES);
        long headerLen = u32(bytes, HEADER_AT - 4);
        long afterHeader = n - HEADER_AT - 4L - SIGNATURE_LENGTH; // room for header + payload
        if (headerLen == 0) {
            throw new ProtocolException(Reason.MALFORMED, "header length is 0 (offset 22); a header is a JSON object");
        }
        if (headerLen > afterHeader) {
            throw new ProtocolException(
                    Reason.MALFORMED,
                    "header length " + headerLen + " (offset 22) exceeds the " + Math.max(0, afterHeader)
                            + " bytes left for header and payload in a " + n + "-byte envelope");
        }
        int h = (int) headerLen;
        int payloadAt = HEADER_AT + h + 4;
        long payloadLen = u32(bytes, HEADER_AT + h);
        long payloadRoom = (long) n - payloadAt - SIGNATURE_LENGTH;
        if (payloadLen != payloadRoom) {
            throw new ProtocolException(
                    Reason.MALFORMED,
                    "payload length " + payloadLen + " (offset "
                            + (HEADER_AT + h) + ") " + (payloadLen > payloadRoom ? "exceeds" : "does not fill")
                            + " the "
                            + payloadRoom + " bytes between the header and the 64-byte signature");
        }
        int p = (int) payloadLen;
        String text = utf8(bytes, HEADER_AT, h);
        ObjectNode tree = ProtocolJson.parseTree(text);
        String signer = signer(type, tree);
        VerifyKey key = keys.find(signer, keyId);
        if (key == null) {
            throw new ProtocolException(
                    Reason.UNKNOWN_KEY,
                    "'" + signer + "' has no active key " + keyId + " (" + type
                            + "; never enrolled, rotated out or revoked)");
        }
        int signed = payloadAt + p;
        byte[] signature = Arrays.copyOfRange(bytes, signed, n);
        byte[] digest = digest(bytes, signed);
        if (!key.verify(digest, 0, digest.length, signature)) {
            throw new ProtocolException(
                    Reason.BAD_SIGNATURE,
                    "the Ed25519 signature of the SHA-256 of the first " + signed + " bytes does not verify with key "
                            + keyId
                            + " of '" + signer + "' (" + type + ")");
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
        return new Envelope(
                type,
                parsed.message(),
                chunk,
                Arrays.copyOfRange(bytes, payloadAt, signed),
                signer,
                keyId,
                issuedAt,
                n);
    }

    /** SHA-256 of {@code bytes[0, len)}: what the signature signs. */
    private static byte[] digest(byte[] bytes, int len) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, len);
            return md.digest();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The signer of a parsed (still unverified) header. */
    private static String signer(MessageType type, ObjectNode tree) {
        if (!type.signedByClient()) {
            return SERVER;
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
