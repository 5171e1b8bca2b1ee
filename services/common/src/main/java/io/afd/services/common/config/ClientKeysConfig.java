package io.afd.services.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;

/**
 * Client public keys ({@code afd.client-keys.*}) for {@code ClientKeyLookup}, which the aggregator verifies updates
 * with. Keys not in the static map are read from the orchestrator's {@code GET /internal/clients/{id}/keys} at
 * {@code quarkus.rest-client.orchestrator.url} (env {@code AFD_ORCHESTRATOR_URL}).
 */
@ConfigMapping(prefix = "afd.client-keys")
public interface ClientKeysConfig {

    /**
     * Static client keys, {@code afd.client-keys.static.<clientId>=<43-character base64url Ed25519 public key>},
     * checked at start and consulted before the orchestrator (an id with dots as is or quoted:
     * {@code afd.client-keys.static."a.b"}). They carry no enrolled sample count and cannot be revoked at run time.
     */
    @WithName("static")
    Map<String, String> staticKeys();

    /** Whether keys of clients without a static one are read from the orchestrator. */
    @WithDefault("true")
    boolean orchestratorLookup();

    /**
     * How long an answer read from the orchestrator is reused before it is read again. A revocation reaches the
     * aggregator at once when the orchestrator can tell it, and within this time when it cannot.
     */
    @WithDefault("30s")
    Duration cacheTtl();

    /** How long a client the orchestrator does not know (404) is remembered as unknown; 0: not remembered. */
    @WithDefault("0s")
    Duration unknownTtl();
}
