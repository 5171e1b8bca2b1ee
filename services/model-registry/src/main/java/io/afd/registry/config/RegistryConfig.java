package io.afd.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the model registry ({@code afd.registry.*}). */
@ConfigMapping(prefix = "afd.registry")
public interface RegistryConfig {

    /** Largest accepted weights upload in bytes (a float32 AFDT blob of the model). */
    @WithDefault("104857600")
    long maxUploadBytes();
}
