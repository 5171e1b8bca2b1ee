package io.afd.services.common.service;

import io.afd.protocol.Secrets;
import io.afd.protocol.api.ClientSecret;
import io.afd.services.common.client.OrchestratorClient;
import io.afd.services.common.config.SecretsConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Client secrets, the HMAC keys a client's tasks are signed and its updates verified with ({@link SecretsConfig}):
 * first the static map {@code afd.secrets.static.<clientId>}, then, unless {@code afd.secrets.orchestrator-lookup}
 * is off, the orchestrator's {@code GET /internal/clients/{id}/secret}. Answers are cached for
 * {@code afd.secrets.cache-ttl} (unset: until restart); a client the orchestrator does not know is remembered as
 * unknown for {@code afd.secrets.unknown-ttl}.
 *
 * <p>A singleton, so a bean that injects it at start (a {@code @Startup} one) fails the start on an invalid
 * static secret rather than the first request.
 */
@Singleton
public class ClientSecrets {
    private static final Logger LOG = Logger.getLogger(ClientSecrets.class);
    /** Cached answers beyond this many are dropped all at once (secrets are 32 bytes each). */
    private static final int MAX_CACHED = 100_000;
    /** Unknown clients remembered at most, least recently asked dropped first. */
    private static final int MAX_UNKNOWN = 10_000;

    /** The orchestrator could not be asked or gave no usable answer: 502, not the client's fault. */
    public static final class Unavailable extends ServerErrorException {
        Unavailable(String message, Throwable cause) {
            super(message, Response.Status.BAD_GATEWAY, cause);
        }
    }

    /** What the orchestrator said of a client: its secret and the samples it enrolled with (null: not said). */
    private record Fetched(byte[] secret, Integer enrolledSamples) {}

    private record Cached(Fetched answer, long fetchedNanos) {}

    private final Map<String, byte[]> fixed;
    private final boolean lookup;
    private final Long ttlNanos;
    private final long unknownTtlNanos;
    private final OrchestratorClient orchestrator;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> fetched = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownUntil = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_UNKNOWN;
        }
    });

    @Inject
    public ClientSecrets(SecretsConfig config, @RestClient OrchestratorClient orchestrator) {
        this(config, orchestrator, System::nanoTime);
    }

    /** With a clock, for tests. */
    ClientSecrets(SecretsConfig config, OrchestratorClient orchestrator, LongSupplier nanoTime) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        config.staticSecrets().forEach((id, text) -> {
            try {
                m.put(id, Secrets.decode(text.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "afd.secrets.static." + id + " is not a valid secret: " + e.getMessage(), e);
            }
        });
        this.fixed = Map.copyOf(m);
        this.lookup = config.orchestratorLookup();
        this.ttlNanos = config.cacheTtl().map(d -> d.toNanos()).orElse(null);
        this.unknownTtlNanos = config.unknownTtl().toNanos();
        this.orchestrator = orchestrator;
        this.nanoTime = nanoTime;
        LOG.infof("client secrets: %d static%s", fixed.size(), lookup ? ", others from the orchestrator" : " only");
    }

    /**
     * The 32 key bytes of a client's secret, or {@code null} when no secret is known for it (not static and
     * unknown to the orchestrator, or the lookup is off). Do not modify the array.
     *
     * @throws Unavailable when the orchestrator cannot be asked or answers an error or an invalid secret
     */
    public byte[] secretFor(String clientId) {
        byte[] s = fixed.get(clientId);
        if (s != null || !lookup) {
            return s;
        }
        long now = nanoTime.getAsLong();
        Cached c = fetched.get(clientId);
        if (c != null && (ttlNanos == null || now - c.fetchedNanos() < ttlNanos)) {
            return c.answer().secret();
        }
        Long until = unknownUntil.get(clientId);
        if (until != null && until - now > 0) {
            return null;
        }
        Fetched f = fetch(clientId);
        if (f == null) {
            fetched.remove(clientId);
            if (unknownTtlNanos > 0) {
                unknownUntil.put(clientId, now + unknownTtlNanos);
            }
            return null;
        }
        if (fetched.size() >= MAX_CACHED) {
            fetched.clear();
        }
        fetched.put(clientId, new Cached(f, now));
        unknownUntil.remove(clientId);
        return f.secret();
    }

    /**
     * The number of samples a client enrolled with at the orchestrator (what its updates may claim at most),
     * known once {@link #secretFor} fetched its secret from the orchestrator; empty for a static secret or an
     * orchestrator that does not say.
     */
    public OptionalInt enrolledSamples(String clientId) {
        Cached c = fetched.get(clientId);
        return c == null || c.answer().enrolledSamples() == null
                ? OptionalInt.empty()
                : OptionalInt.of(c.answer().enrolledSamples());
    }

    private Fetched fetch(String clientId) {
        ClientSecret answer;
        try {
            answer = orchestrator.secret(clientId);
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 404) {
                return null;
            }
            throw new Unavailable(
                    "cannot read the secret of client '" + clientId + "' from the orchestrator: HTTP " + status, e);
        } catch (RuntimeException e) {
            throw new Unavailable(
                    "cannot reach the orchestrator for the secret of client '" + clientId + "': " + e.getMessage(), e);
        }
        if (answer == null || answer.secret() == null) {
            throw new Unavailable("the orchestrator answered no secret for client '" + clientId + "'", null);
        }
        try {
            return new Fetched(Secrets.decode(answer.secret()), answer.numSamples());
        } catch (IllegalArgumentException e) {
            throw new Unavailable(
                    "the orchestrator's secret for client '" + clientId + "' is invalid: " + e.getMessage(), e);
        }
    }
}
