package io.afd.services.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code afd.secrets.*} as SmallRye maps it: defaults, durations, and static secrets of ids with and without dots. */
class SecretsConfigTest {

    private static SecretsConfig map(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus's "10m", "30s"
                .withMapping(SecretsConfig.class)
                .build();
        return config.getConfigMapping(SecretsConfig.class);
    }

    @Test
    void defaults() {
        SecretsConfig c = map(Map.of());
        assertTrue(c.staticSecrets().isEmpty());
        assertTrue(c.orchestratorLookup());
        assertEquals(Optional.empty(), c.cacheTtl());
        assertEquals(Duration.ZERO, c.unknownTtl());
    }

    @Test
    void staticSecretsByClientId() {
        SecretsConfig c = map(Map.of(
                "afd.secrets.static.client-00001",
                "s1",
                "afd.secrets.static.\"client.x\"",
                "s2",
                "afd.secrets.static.client.y",
                "s3",
                "afd.secrets.cache-ttl",
                "10m",
                "afd.secrets.unknown-ttl",
                "30s"));
        assertEquals(Map.of("client-00001", "s1", "client.x", "s2", "client.y", "s3"), c.staticSecrets());
        assertEquals(Optional.of(Duration.ofMinutes(10)), c.cacheTtl());
        assertEquals(Duration.ofSeconds(30), c.unknownTtl());
    }
}
