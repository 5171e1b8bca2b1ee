package io.afd.aggregator.service;

import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.SecretLookup;
import io.afd.services.common.service.ClientSecrets;
import io.afd.services.common.service.ServerKey;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The HMAC keys updates are verified with, by key id: {@code @server} is the services' key ({@link ServerKey}), a
 * client's secret comes from services/common's {@link ClientSecrets} (static map, else the orchestrator, unknown
 * clients remembered for {@code afd.secrets.unknown-ttl}). An orchestrator that cannot be asked is a
 * {@link TransientFailure}: the record is retried, never rejected as {@code unknown_client}. Started eagerly, so a
 * missing server secret or an invalid static secret fails the start.
 */
@Startup
@ApplicationScoped
public class EnvelopeKeys implements SecretLookup {
    private final byte[] server;
    private final ClientSecrets clients;

    public EnvelopeKeys(ServerKey server, ClientSecrets clients) {
        this.server = server.secret();
        this.clients = clients;
    }

    @Override
    public byte[] secretFor(String keyId) {
        if (EnvelopeCodec.SERVER_KEY_ID.equals(keyId)) {
            return server;
        }
        try {
            return clients.secretFor(keyId);
        } catch (ClientSecrets.Unavailable e) {
            throw new TransientFailure(e.getMessage(), e);
        }
    }

    /** The samples a client enrolled with, once its secret was looked up (empty for static secrets). */
    public java.util.OptionalInt enrolledSamples(String clientId) {
        return clients.enrolledSamples(clientId);
    }
}
