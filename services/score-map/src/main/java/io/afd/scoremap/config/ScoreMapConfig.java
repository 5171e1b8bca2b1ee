package io.afd.scoremap.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the score-map service ({@code afd.scoremap.*}). The services' Ed25519 {@code @server} key
 * ({@code afd.server-key}), which signs the round events this service consumes and the dead letters it
 * produces, is read by services/common's {@code ServerKey}.
 */
@ConfigMapping(prefix = "afd.scoremap")
public interface ScoreMapConfig {

    /** Largest envelope accepted on {@code afd.rounds} (bytes). */
    @WithDefault("1048576")
    int maxEnvelopeBytes();
}
