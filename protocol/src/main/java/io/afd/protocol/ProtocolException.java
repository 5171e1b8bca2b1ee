package io.afd.protocol;

import java.util.Objects;

/**
 * A message, envelope or chunk was rejected. {@link #reason()} is the machine-readable cause, whose
 * {@link Reason#code() code} is what services record (dead-letter {@code reason}, database rows);
 * {@link #getMessage()} names what failed and where, for people.
 */
public class ProtocolException extends RuntimeException {

    /** Why a message was rejected. The codes are part of the protocol (docs/protocol.md, "Rejection reasons"). */
    public enum Reason {
        /** Framing broken: bad magic, truncation, lengths that do not add up, invalid UTF-8 or JSON, no key id. */
        MALFORMED("malformed"),
        /** The envelope version byte is not one this decoder reads. */
        UNSUPPORTED_VERSION("unsupported_version"),
        /** The message type byte is not a known type. */
        UNSUPPORTED_TYPE("unsupported_type"),
        /** Over a size cap: the envelope, a reassembled payload, or a chunk count. */
        TOO_LARGE("too_large"),
        /** No keys are known for the envelope's signer (the client is not enrolled). */
        UNKNOWN_CLIENT("unknown_client"),
        /** The signer has no active key with the envelope's key id (never enrolled, rotated out, or revoked). */
        UNKNOWN_KEY("unknown_key"),
        /** The Ed25519 signature does not verify: another key signed it, or bytes changed after signing. */
        BAD_SIGNATURE("bad_signature"),
        /** Signed and well-formed JSON, but the header violates its schema (missing field, out of range, ...). */
        INVALID_HEADER("invalid_header"),
        /** Chunks of one message disagree (header, count, size, length, checksum, or a chunk's bytes). */
        CHUNK_INCONSISTENT("chunk_inconsistent"),
        /** The reassembled payload's SHA-256 differs from the one every chunk announced. */
        CHECKSUM_MISMATCH("checksum_mismatch"),
        /** Accepting the chunk would exceed the reassembler's in-flight byte or message cap. */
        REASSEMBLY_FULL("reassembly_full"),
        /** A chunked message did not complete within the reassembler's maximum age and was evicted. */
        REASSEMBLY_TIMEOUT("reassembly_timeout");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The wire/storage code, e.g. {@code bad_signature}. */
        public String code() {
            return code;
        }

        @Override
        public String toString() {
            return code;
        }
    }

    private final Reason reason;

    public ProtocolException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ProtocolException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ProtocolException[" + reason.code() + "]: " + getMessage();
    }
}
