package io.afd.scoremap.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the score-map service ({@code afd.server-secret}, {@code afd.scoremap.*}). */
@ConfigMapping(prefix = "afd")
public interface ScoreMapConfig {

    /**
     * Text form (43 unpadded base64url characters) of the services' shared {@code @server} secret, which
     * signs the round events this service consumes and the dead letters it produces.
     */
    String serverSecret();

    /** Service settings. */
    Scoremap scoremap();

    /** {@code afd.scoremap.*}. */
    interface Scoremap {
        /** Largest envelope accepted on {@code afd.rounds} (bytes). */
        @WithDefault("1048576")
        int maxEnvelopeBytes();
    }
}
