package io.afd.packager.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;

/** Settings of the packager: {@code afd.packager.*} and the client secrets {@code afd.secrets.*}. */
@ConfigMapping(prefix = "afd")
public interface PackagerConfig {

    Packager packager();

    Secrets secrets();

    /** {@code afd.packager.*}. */
    interface Packager {
        /**
         * Payload bytes per chunk envelope (protocol: a payload larger than this is split). Between 1024
         * and {@link io.afd.packager.service.TaskBuilder#MAX_CHUNK_BYTES} so that every envelope stays
         * below 1 MB, under Kafka's default 1 MiB record limit.
         */
        @WithDefault("524288")
        int chunkBytes();

        /** Decoded global models kept in memory, per (experiment, version). */
        @WithDefault("4")
        int weightsCacheSize();

        /** How long a secret read from the orchestrator is reused before it is read again. */
        @WithDefault("10m")
        Duration secretCacheTtl();

        /** How long to wait for Kafka to acknowledge one client's envelopes. */
        @WithDefault("60s")
        Duration publishTimeout();
    }

    /** {@code afd.secrets.*}. */
    interface Secrets {
        /**
         * Static client secrets, {@code afd.secrets.static.<clientId>=<43-char base64url secret>};
         * consulted before the orchestrator.
         */
        @WithName("static")
        Map<String, String> staticSecrets();

        /** Whether unknown clients' secrets are read from the orchestrator's internal API. */
        @WithDefault("true")
        boolean orchestratorLookup();
    }
}
