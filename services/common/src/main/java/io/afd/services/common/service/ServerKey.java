package io.afd.services.common.service;

import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.SecretLookup;
import io.afd.protocol.Secrets;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services' shared key (key id {@code @server}, {@code afd.server-secret}, env {@code AFD_SERVER_SECRET}): it
 * signs round events and dead letters. Decoded once; a singleton, so a {@code @Startup} bean that injects it fails
 * the start when the secret is missing or invalid.
 */
@Singleton
public class ServerKey {
    private final byte[] secret;

    @Inject
    public ServerKey(@ConfigProperty(name = "afd.server-secret") Optional<String> text) {
        try {
            this.secret = Secrets.decode(text.orElse("").trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "afd.server-secret (env AFD_SERVER_SECRET) must be the services' shared"
                            + " secret: 43 unpadded base64url characters (" + e.getMessage() + ")",
                    e);
        }
    }

    /** The 32 key bytes (a copy). */
    public byte[] secret() {
        return secret.clone();
    }

    /** A lookup that knows only {@code @server}: for messages only the services sign. */
    public SecretLookup lookup() {
        return SecretLookup.single(EnvelopeCodec.SERVER_KEY_ID, secret);
    }
}
