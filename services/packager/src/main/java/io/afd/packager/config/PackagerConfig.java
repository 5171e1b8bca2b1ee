package io.afd.packager.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the packager, {@code afd.packager.*}. Tasks are signed with the services' key ({@code afd.server-key},
 * services/common's {@code ServerKey}).
 */
@ConfigMapping(prefix = "afd.packager")
public interface PackagerConfig {

    // The prefix is afd.packager, not afd: the other afd.* settings (afd.server-key, afd.service-token) belong to
    // their own readers, and a mapping on "afd" would refuse them as unknown.
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

    /** How long to wait for Kafka to acknowledge one client's envelopes. */
    @WithDefault("60s")
    Duration publishTimeout();
}
