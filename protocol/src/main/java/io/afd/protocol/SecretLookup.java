package io.afd.protocol;

import java.util.Map;
import java.util.Objects;

/** Finds the HMAC key for an envelope's key id: a client id, or {@link EnvelopeCodec#SERVER_KEY_ID}. */
@FunctionalInterface
public interface SecretLookup {

    /** The 32 key bytes for {@code keyId}, or {@code null} when the id is unknown. */
    byte[] secretFor(String keyId);

    /** Lookup over a map from key id to secret bytes (the map is read on every call, not copied). */
    static SecretLookup of(Map<String, byte[]> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        return secrets::get;
    }

    /** Lookup that knows exactly one key id (e.g. an edge client knowing only its own secret). */
    static SecretLookup single(String keyId, byte[] secret) {
        Objects.requireNonNull(keyId, "keyId");
        byte[] s = secret.clone();
        return id -> keyId.equals(id) ? s : null;
    }

    /** This lookup, falling back to {@code other} for ids it does not know. */
    default SecretLookup orElse(SecretLookup other) {
        return id -> {
            byte[] s = secretFor(id);
            return s != null ? s : other.secretFor(id);
        };
    }
}
