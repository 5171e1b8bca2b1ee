package io.afd.services.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Client secrets ({@code afd.secrets.*}) for {@code ClientSecrets}, the lookup the packager (signing tasks) and
 * the aggregator (verifying updates) share. Secrets not in the static map are read from the orchestrator's
 * {@code GET /internal/clients/{id}/secret} at {@code quarkus.rest-client.orchestrator.url}
 * (env {@code AFD_ORCHESTRATOR_URL}).
 */
@ConfigMapping(prefix = "afd.secrets")
public interface SecretsConfig {

    /**
     * Static client secrets, {@code afd.secrets.static.<clientId>=<43-character base64url secret>}, checked at
     * start and consulted before the orchestrator (an id with dots as is or quoted: {@code afd.secrets.static."a.b"}).
     */
    @WithName("static")
    Map<String, String> staticSecrets();

    /** Whether secrets of clients without a static one are read from the orchestrator. */
    @WithDefault("true")
    boolean orchestratorLookup();

    /**
     * How long a secret read from the orchestrator is reused before it is read again; unset: until the service
     * restarts (a client's secret is issued once, at registration).
     */
    Optional<Duration> cacheTtl();

    /** How long a client the orchestrator does not know (404) is remembered as unknown; 0: not remembered. */
    @WithDefault("0s")
    Duration unknownTtl();
}
