package io.afd.services.common.service;

import io.afd.protocol.VerifyKey;
import io.afd.protocol.api.ClientKeys;
import io.afd.services.common.client.OrchestratorClient;
import io.afd.services.common.config.ClientKeysConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Client public keys, which a client's updates are verified with ({@link ClientKeysConfig}): first the static map
 * {@code afd.client-keys.static.<clientId>}, then, unless {@code afd.client-keys.orchestrator-lookup} is off, the
 * orchestrator's {@code GET /internal/clients/{id}/keys}, which lists active keys only. Answers are cached for
 * {@code afd.client-keys.cache-ttl}; {@link #forget} drops one at once (the orchestrator calls it through the
 * aggregator when a key is revoked). A key id the cached answer does not list is asked about again (a key enrolled
 * since), at most once a second per client. A client the orchestrator does not know is remembered as unknown for
 * {@code afd.client-keys.unknown-ttl}.
 *
 * <p>A singleton, so a bean that injects it at start (a {@code @Startup} one) fails the start on an invalid static
 * key rather than the first request.
 */
@Singleton
public class ClientKeyLookup {
    private static final Logger LOG = Logger.getLogger(ClientKeyLookup.class);
    /** Cached answers beyond this many are dropped all at once. */
    private static final int MAX_CACHED = 100_000;
    /** Unknown clients remembered at most, least recently asked dropped first. */
    private static final int MAX_UNKNOWN = 10_000;
    /** A cached answer younger than this is trusted even for a key id it does not list. */
    private static final long REFETCH_AFTER_NANOS = 1_000_000_000L;

    /** The orchestrator could not be asked or gave no usable answer: 502, not the client's fault. */
    public static final class Unavailable extends ServerErrorException {
        Unavailable(String message, Throwable cause) {
            super(message, Response.Status.BAD_GATEWAY, cause);
        }
    }

    /** What is known of a client: its active keys and the samples it enrolled with (null: not said). */
    private record Known(List<VerifyKey> keys, Integer enrolledSamples, long fetchedNanos) {
        VerifyKey find(String keyId) {
            for (VerifyKey k : keys) {
                if (k.keyId().equals(keyId)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Map<String, VerifyKey> fixed;
    private final boolean lookup;
    private final long ttlNanos;
    private final long unknownTtlNanos;
    private final OrchestratorClient orchestrator;
    private final LongSupplier nanoTime;
    private final Map<String, Known> fetched = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownUntil = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_UNKNOWN;
        }
    });

    @Inject
    public ClientKeyLookup(ClientKeysConfig config, @RestClient OrchestratorClient orchestrator) {
        this(config, orchestrator, System::nanoTime);
    }

    /** With a clock, for tests. */
    ClientKeyLookup(ClientKeysConfig config, OrchestratorClient orchestrator, LongSupplier nanoTime) {
        Map<String, VerifyKey> m = new LinkedHashMap<>();
        config.staticKeys().forEach((id, text) -> {
            try {
                m.put(id, VerifyKey.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "afd.client-keys.static." + id + " is not an Ed25519 public key: " + e.getMessage(), e);
            }
        });
        this.fixed = Map.copyOf(m);
        this.lookup = config.orchestratorLookup();
        this.ttlNanos = config.cacheTtl().toNanos();
        this.unknownTtlNanos = config.unknownTtl().toNanos();
        this.orchestrator = orchestrator;
        this.nanoTime = nanoTime;
        LOG.infof("client keys: %d static%s", fixed.size(), lookup ? ", others from the orchestrator" : " only");
    }

    /**
     * Whether anything is known of the client at all: a static key, or an orchestrator that lists it (fetching it
     * if needed). False means {@code unknown_client}.
     *
     * @throws Unavailable when the orchestrator cannot be asked or answers an error or an invalid key
     */
    public boolean knows(String clientId) {
        return fixed.containsKey(clientId) || (lookup && current(clientId, null) != null);
    }

    /**
     * The client's active key with this id, or {@code null} when it has none (never enrolled, or revoked).
     *
     * @throws Unavailable when the orchestrator cannot be asked or answers an error or an invalid key
     */
    public VerifyKey find(String clientId, String keyId) {
        VerifyKey s = fixed.get(clientId);
        if (s != null || !lookup) {
            return s != null && s.keyId().equals(keyId) ? s : null;
        }
        Known k = current(clientId, keyId);
        return k == null ? null : k.find(keyId);
    }

    /** Drops what is cached of a client, so that the next lookup asks the orchestrator (after a revocation). */
    public void forget(String clientId) {
        fetched.remove(clientId);
        unknownUntil.remove(clientId);
    }

    /**
     * The number of samples a client enrolled with at the orchestrator (what its updates may claim at most), known
     * once its keys were fetched; empty for a static key or an orchestrator that does not say.
     */
    public OptionalInt enrolledSamples(String clientId) {
        Known c = fetched.get(clientId);
        return c == null || c.enrolledSamples() == null ? OptionalInt.empty() : OptionalInt.of(c.enrolledSamples());
    }

    /** The fresh answer for a client (refetched when stale, or when it lacks {@code keyId}), null when unknown. */
    private Known current(String clientId, String keyId) {
        long now = nanoTime.getAsLong();
        Known c = fetched.get(clientId);
        if (c != null
                && now - c.fetchedNanos() < ttlNanos
                && (keyId == null || c.find(keyId) != null || now - c.fetchedNanos() < REFETCH_AFTER_NANOS)) {
            return c;
        }
        Long until = unknownUntil.get(clientId);
        if (until != null && until - now > 0) {
            return null;
        }
        Known f = fetch(clientId, now);
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
        fetched.put(clientId, f);
        unknownUntil.remove(clientId);
        return f;
    }

    private Known fetch(String clientId, long now) {
        ClientKeys answer;
        try {
            answer = orchestrator.keys(clientId);
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 404) {
                return null;
            }
            throw new Unavailable(
                    "cannot read the keys of client '" + clientId + "' from the orchestrator: HTTP " + status, e);
        } catch (RuntimeException e) {
            throw new Unavailable(
                    "cannot reach the orchestrator for the keys of client '" + clientId + "': " + e.getMessage(), e);
        }
        if (answer == null) {
            throw new Unavailable("the orchestrator answered nothing for client '" + clientId + "'", null);
        }
        List<VerifyKey> keys = new ArrayList<>();
        for (ClientKeys.PublicKey k : answer.keys()) {
            try {
                VerifyKey v = VerifyKey.parse(k.publicKey());
                if (!v.keyId().equals(k.keyId())) {
                    throw new IllegalArgumentException("key id " + k.keyId() + " is not the key's (" + v.keyId() + ")");
                }
                keys.add(v);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new Unavailable(
                        "the orchestrator's key for client '" + clientId + "' is invalid: " + e.getMessage(), e);
            }
        }
        return new Known(List.copyOf(keys), answer.numSamples(), now);
    }
}
