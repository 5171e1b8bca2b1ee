package io.afd.protocol;

import io.afd.protocol.ProtocolException.Reason;
import java.util.List;
import java.util.Objects;

/**
 * Finds the public key an envelope is verified with, from its signer (the header's {@code clientId} for a client
 * update, {@link EnvelopeCodec#SERVER} for everything the services sign) and the key id the envelope names. A
 * signer may have several keys (rotation); a revoked key is simply not found.
 */
@FunctionalInterface
public interface KeyLookup {

    /**
     * The key, or {@code null} when the signer has no active key with that id (the decoder then rejects with
     * {@code unknown_key}). An implementation may throw a {@link ProtocolException} with {@code unknown_client}
     * when it knows the signer itself is unknown.
     */
    VerifyKey find(String signer, String keyId);

    /** A lookup that knows {@code keys} of one signer (an edge client knows the server's keys). */
    static KeyLookup of(String signer, List<VerifyKey> keys) {
        Objects.requireNonNull(signer, "signer");
        List<VerifyKey> copy = List.copyOf(keys);
        return (s, id) -> {
            if (!signer.equals(s)) {
                throw new ProtocolException(Reason.UNKNOWN_CLIENT, "no keys for signer '" + s + "'");
            }
            for (VerifyKey k : copy) {
                if (k.keyId().equals(id)) {
                    return k;
                }
            }
            return null;
        };
    }

    /** {@link #of(String, List)} for one key. */
    static KeyLookup of(String signer, VerifyKey key) {
        return of(signer, List.of(key));
    }

    /** This lookup, falling back to {@code other} for signers this one does not know ({@code unknown_client}). */
    default KeyLookup orElse(KeyLookup other) {
        return (s, id) -> {
            try {
                return find(s, id);
            } catch (ProtocolException e) {
                if (e.reason() != Reason.UNKNOWN_CLIENT) {
                    throw e;
                }
                return other.find(s, id);
            }
        };
    }
}
