package io.afd.aggregator.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.aggregator.client.OrchestratorClient;
import io.afd.aggregator.config.AggregatorConfig;
import io.afd.protocol.EnvelopeCodec;
import io.afd.protocol.SecretLookup;
import io.afd.protocol.Secrets;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * HMAC keys by key id: {@code @server} is {@code afd.server-secret}; a client's secret comes from the static
 * map {@code afd.secrets.static.<clientId>} or else from the orchestrator
 * ({@code GET /internal/clients/{id}/secret}), cached. An unknown client (404) is remembered for
 * {@code afd.aggregator.unknown-client-ttl}; an unreachable orchestrator is a {@link TransientFailure}
 * (the record is retried, never rejected as {@code unknown_client}).
 */
@Startup
@ApplicationScoped
public class ClientSecrets implements SecretLookup {
    private static final Logger LOG = Logger.getLogger(ClientSecrets.class);
    static final String STATIC_PREFIX = "afd.secrets.static.";
    private static final int MAX_UNKNOWN = 10_000;

    private final byte[] serverSecret;
    private final Map<String, byte[]> fixed;
    private final Map<String, byte[]> fetched = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownUntil = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_UNKNOWN;
        }
    });
    private final OrchestratorClient orchestrator;
    private final long unknownTtlMillis;

    public ClientSecrets(Config config, AggregatorConfig aggregatorConfig, @RestClient OrchestratorClient orchestrator) {
        this.orchestrator = orchestrator;
        this.unknownTtlMillis = aggregatorConfig.unknownClientTtl().toMillis();
        String server = config.getOptionalValue("afd.server-secret", String.class).orElse("");
        try {
            this.serverSecret = Secrets.decode(server.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("afd.server-secret (env AFD_SERVER_SECRET) must be the services' shared"
                    + " secret: 43 unpadded base64url characters (" + e.getMessage() + ")", e);
        }
        Map<String, byte[]> m = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(STATIC_PREFIX)) {
                String id = name.substring(STATIC_PREFIX.length());
                String text = config.getValue(name, String.class).trim();
                try {
                    m.put(id, Secrets.decode(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(name + " is not a valid secret: " + e.getMessage(), e);
                }
            }
        }
        this.fixed = Map.copyOf(m);
        LOG.infof("client secrets: %d static, others from the orchestrator", fixed.size());
    }

    /** The services' own key ({@code @server}): signs dead letters and round events. */
    public byte[] serverSecret() {
        return serverSecret.clone();
    }

    @Override
    public byte[] secretFor(String keyId) {
        if (EnvelopeCodec.SERVER_KEY_ID.equals(keyId)) {
            return serverSecret;
        }
        byte[] s = fixed.get(keyId);
        if (s != null) {
            return s;
        }
        s = fetched.get(keyId);
        if (s != null) {
            return s;
        }
        Long until = unknownUntil.get(keyId);
        if (until != null && until > System.currentTimeMillis()) {
            return null;
        }
        JsonNode answer;
        try {
            answer = orchestrator.secret(keyId);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 404) {
                unknownUntil.put(keyId, System.currentTimeMillis() + unknownTtlMillis);
                return null;
            }
            throw new TransientFailure("orchestrator answered " + status + " for the secret of " + keyId, e);
        } catch (RuntimeException e) {
            throw new TransientFailure("orchestrator unreachable for the secret of " + keyId + ": " + e, e);
        }
        JsonNode text = answer == null ? null : answer.get("secret");
        if (text == null || !text.isTextual()) {
            throw new TransientFailure("orchestrator answered no secret for " + keyId, null);
        }
        try {
            s = Secrets.decode(text.textValue());
        } catch (IllegalArgumentException e) {
            throw new TransientFailure("orchestrator answered an invalid secret for " + keyId, e);
        }
        fetched.put(keyId, s);
        unknownUntil.remove(keyId);
        return s;
    }
}
