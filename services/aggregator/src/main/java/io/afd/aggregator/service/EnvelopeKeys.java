package io.afd.aggregator.service;

import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.KeyLookup;
import io.afd.protocol.ProtocolException;
import io.afd.protocol.VerifyKey;
import io.afd.services.common.service.ClientKeyLookup;
import io.afd.services.common.service.ServerKey;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalInt;

/**
 * The public keys updates are verified with, by signer and key id: {@code @server} is the services' key
 * ({@link ServerKey}), a client's keys come from services/common's {@link ClientKeyLookup} (static map, else the
 * orchestrator's active keys). An orchestrator that cannot be asked is a {@link TransientFailure}: the record is
 * retried, never rejected as {@code unknown_client}. Started eagerly, so a missing server key or an invalid static
 * key fails the start.
 */
@Startup
@ApplicationScoped
public class EnvelopeKeys implements KeyLookup {
    private final VerifyKey server;
    private final ClientKeyLookup clients;

    public EnvelopeKeys(ServerKey server, ClientKeyLookup clients) {
        this.server = server.verifyKey();
        this.clients = clients;
    }

    @Override
    public VerifyKey find(String signer, String keyId) {
        if (EnvelopeCodec.SERVER.equals(signer)) {
            return server.keyId().equals(keyId) ? server : null;
        }
        try {
            VerifyKey k = clients.find(signer, keyId);
            if (k == null && !clients.knows(signer)) {
                throw new ProtocolException(
                        ProtocolException.Reason.UNKNOWN_CLIENT, "client '" + signer + "' is not registered");
            }
            return k;
        } catch (ClientKeyLookup.Unavailable e) {
            throw new TransientFailure(e.getMessage(), e);
        }
    }

    /** The samples a client enrolled with, once its keys were looked up (empty for static keys). */
    public OptionalInt enrolledSamples(String clientId) {
        return clients.enrolledSamples(clientId);
    }

    /** Forgets what is cached of a client's keys (a key was revoked or enrolled). */
    public void forget(String clientId) {
        clients.forget(clientId);
    }
}
