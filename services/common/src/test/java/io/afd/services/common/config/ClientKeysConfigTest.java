package io.afd.services.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code afd.client-keys.*} as SmallRye maps it: defaults, durations, and static keys of ids with and without dots. */
class ClientKeysConfigTest {

    private static ClientKeysConfig map(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus's "10m", "30s"
                .withMapping(ClientKeysConfig.class)
                .build();
        return config.getConfigMapping(ClientKeysConfig.class);
    }

    @Test
    void defaults() {
        ClientKeysConfig c = map(Map.of());
        assertTrue(c.staticKeys().isEmpty());
        assertTrue(c.orchestratorLookup());
        assertEquals(Duration.ofSeconds(30), c.cacheTtl());
        assertEquals(Duration.ZERO, c.unknownTtl());
    }

    @Test
    void staticKeysByClientId() {
        ClientKeysConfig c = map(Map.of(
                "afd.client-keys.static.client-00001",
                "s1",
                "afd.client-keys.static.\"client.x\"",
                "s2",
                "afd.client-keys.static.client.y",
                "s3",
                "afd.client-keys.cache-ttl",
                "10m",
                "afd.client-keys.unknown-ttl",
                "30s"));
        assertEquals(Map.of("client-00001", "s1", "client.x", "s2", "client.y", "s3"), c.staticKeys());
        assertEquals(Duration.ofMinutes(10), c.cacheTtl());
        assertEquals(Duration.ofSeconds(30), c.unknownTtl());
    }
}
