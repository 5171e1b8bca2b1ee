package io.afd.scoremap.messaging;

import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.SecretLookup;
import io.afd.protocol.Secrets;
import io.afd.scoremap.config.ScoreMapConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The services' shared {@code @server} key ({@code afd.server-secret}), decoded once at startup. */
@ApplicationScoped
public class ServerKey {
    private final byte[] secret;

    public ServerKey(ScoreMapConfig config) {
        try {
            this.secret = Secrets.decode(config.serverSecret());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("afd.server-secret (AFD_SERVER_SECRET) is not a valid secret: "
                    + e.getMessage(), e);
        }
    }

    /** The 32 key bytes (a copy). */
    public byte[] secret() {
        return secret.clone();
    }

    /** Lookup knowing only {@code @server}: round events are signed by the services, never by clients. */
    public SecretLookup lookup() {
        return SecretLookup.single(EnvelopeCodec.SERVER_KEY_ID, secret);
    }
}
