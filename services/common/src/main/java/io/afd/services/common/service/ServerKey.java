package io.afd.services.common.service;

import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.SigningKey;
import io.afd.protocol.VerifyKey;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services' Ed25519 key (signer {@link EnvelopeCodec#SERVER}; {@code afd.server-key}, env {@code AFD_SERVER_KEY},
 * the 32-byte seed as 43 base64url characters): it signs client tasks, round events and dead letters. Edge clients
 * hold only its public half, handed out at enrolment. Decoded once; a singleton, so a {@code @Startup} bean that
 * injects it fails the start when the key is missing or invalid.
 */
@Singleton
public class ServerKey {
    private final SigningKey key;

    @Inject
    public ServerKey(@ConfigProperty(name = "afd.server-key") Optional<String> text) {
        try {
            this.key = SigningKey.parse(text.orElse("").trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "afd.server-key (env AFD_SERVER_KEY) must be the services' Ed25519 seed: 32 random bytes as"
                            + " 43 unpadded base64url characters, e.g. `head -c32 /dev/urandom | basenc --base64url"
                            + " | tr -d =` (" + e.getMessage() + ")",
                    e);
        }
    }

    public SigningKey signingKey() {
        return key;
    }

    public VerifyKey verifyKey() {
        return key.verifyKey();
    }

    /** A lookup that knows only {@code @server}: for messages only the services sign. */
    public KeyLookup lookup() {
        return KeyLookup.of(EnvelopeCodec.SERVER, key.verifyKey());
    }
}
