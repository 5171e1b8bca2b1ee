package io.afd.packager.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.packager.client.OrchestratorClient;
import io.afd.packager.config.PackagerConfig;
import io.afd.protocol.Secrets;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Client secrets (the HMAC keys a client's tasks are signed with): first the static map
 * {@code afd.secrets.static.<clientId>}, then the orchestrator's
 * {@code GET /internal/clients/{id}/secret}, whose answers are cached for
 * {@code afd.packager.secret-cache-ttl} (secrets rotate when a client re-registers).
 */
@ApplicationScoped
@Startup // an invalid static secret fails the start, not the first request
public class SecretService {
    private final Map<String, byte[]> staticSecrets;
    private final boolean orchestratorLookup;
    private final long ttlNanos;
    private final OrchestratorClient orchestrator;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(byte[] secret, long fetchedNanos) {
    }

    public SecretService(PackagerConfig config, @RestClient OrchestratorClient orchestrator) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        config.secrets().staticSecrets().forEach((id, text) -> {
            try {
                m.put(id, Secrets.decode(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("afd.secrets.static." + id + " is not a valid secret: " + e.getMessage(), e);
            }
        });
        this.staticSecrets = Map.copyOf(m);
        this.orchestratorLookup = config.secrets().orchestratorLookup();
        this.ttlNanos = config.packager().secretCacheTtl().toNanos();
        this.orchestrator = orchestrator;
    }

    /**
     * The 32 key bytes of a client's secret, or {@code null} when no secret is known for it.
     *
     * @throws ServerErrorException 502 when the orchestrator cannot be asked
     */
    public byte[] secretFor(String clientId) {
        byte[] s = staticSecrets.get(clientId);
        if (s != null) {
            return s;
        }
        if (!orchestratorLookup) {
            return null;
        }
        Cached c = cache.get(clientId);
        long now = System.nanoTime();
        if (c != null && now - c.fetchedNanos() < ttlNanos) {
            return c.secret();
        }
        byte[] fetched = fetch(clientId);
        if (fetched != null) {
            if (cache.size() > 100_000) {
                cache.clear();
            }
            cache.put(clientId, new Cached(fetched, now));
        } else {
            cache.remove(clientId);
        }
        return fetched;
    }

    private byte[] fetch(String clientId) {
        JsonNode body;
        try {
            body = orchestrator.secret(clientId);
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return null;
            }
            throw new ServerErrorException("cannot read the secret of client '" + clientId
                    + "' from the orchestrator: HTTP " + (e.getResponse() == null ? "?" : e.getResponse().getStatus()),
                    Response.Status.BAD_GATEWAY);
        } catch (ProcessingException e) {
            throw new ServerErrorException("cannot reach the orchestrator for the secret of client '" + clientId
                    + "': " + e.getMessage(), Response.Status.BAD_GATEWAY);
        }
        JsonNode text = body == null ? null : body.get("secret");
        if (text == null || !text.isTextual()) {
            throw new ServerErrorException("the orchestrator answered no secret for client '" + clientId + "'",
                    Response.Status.BAD_GATEWAY);
        }
        try {
            return Secrets.decode(text.asText());
        } catch (IllegalArgumentException e) {
            throw new ServerErrorException("the orchestrator's secret for client '" + clientId + "' is invalid: "
                    + e.getMessage(), Response.Status.BAD_GATEWAY);
        }
    }
}
