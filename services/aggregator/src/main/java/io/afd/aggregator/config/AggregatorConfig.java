package io.afd.aggregator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the aggregator ({@code afd.aggregator.*}). */
@ConfigMapping(prefix = "afd.aggregator")
public interface AggregatorConfig {

    /** Largest accepted update payload (the AFDT blob, after reassembly) in bytes; larger ones are {@code too_large}. */
    @WithDefault("134217728")
    int maxUpdateBytes();

    /** Largest accepted envelope (one Kafka record value) in bytes; Kafka's default record limit. */
    @WithDefault("1048576")
    int maxEnvelopeBytes();

    /** Largest tensor (elements) a decoded update may hold. */
    @WithDefault("268435456")
    int maxTensorElements();

    /** Reassembly of chunked updates. */
    Reassembly reassembly();

    /** A dead letter carries the rejected record's value only up to this many bytes (else an empty payload). */
    @WithDefault("524288")
    int deadLetterMaxPayloadBytes();

    /**
     * Attempts at processing one record when the database, Kafka or the orchestrator fail (not bad input); 0 (the
     * default) retries until it succeeds, so an outage of any length pauses intake and intake resumes after it.
     */
    @WithDefault("0")
    int retryAttempts();

    /** Pause between those attempts (doubled each time, up to {@link #retryBackoffMax()}). */
    @WithDefault("1s")
    Duration retryBackoff();

    /** The longest pause between attempts, so intake resumes within this time of the dependency's return. */
    @WithDefault("5s")
    Duration retryBackoffMax();

    /**
     * The former name of {@code afd.client-keys.unknown-ttl}, still accepted: application.properties passes it on
     * ({@code afd.client-keys.unknown-ttl=${afd.aggregator.unknown-client-ttl:30s}}); nothing else reads it.
     */
    Optional<Duration> unknownClientTtl();

    /** An update signed longer ago than this is rejected as {@code expired} (a replay of an old capture). */
    @WithDefault("1h")
    Duration maxUpdateAge();

    /** An update signed further ahead of this server's clock than this is rejected as {@code expired}. */
    @WithDefault("60s")
    Duration maxClockSkew();

    /** Rounds whose validating accumulator is kept in memory (least recently used are dropped and rebuilt). */
    @WithDefault("8")
    int validatorCacheRounds();

    /** Bounds of the in-memory reassembly of chunked updates (docs/protocol.md §5). */
    interface Reassembly {
        /** Buffered chunk bytes over all incomplete messages. */
        @WithDefault("268435456")
        long maxBytesInFlight();

        /** Incomplete messages buffered at once. */
        @WithDefault("1024")
        int maxMessagesInFlight();

        /** A chunked update must complete within this time of its first chunk (else {@code reassembly_timeout}). */
        @WithDefault("2m")
        Duration maxAge();

        /** Largest chunk count accepted. */
        @WithDefault("4096")
        int maxChunkCount();

        /** Incomplete messages one client may have buffered at once (so one client cannot take every slot). */
        @WithDefault("4")
        int maxMessagesPerClient();

        /**
         * Buffered chunk bytes of one client; 0 = twice the largest update ({@code afd.aggregator.max-update-bytes}).
         * At least the largest update, at most {@code max-bytes-in-flight}.
         */
        @WithDefault("0")
        long maxBytesPerClient();

        /** How often incomplete messages are checked for expiry when no records arrive. */
        @WithDefault("5s")
        Duration evictionInterval();
    }
}
