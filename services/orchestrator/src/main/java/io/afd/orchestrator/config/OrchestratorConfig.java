package io.afd.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the orchestrator ({@code afd.orchestrator.*}). */
@ConfigMapping(prefix = "afd.orchestrator")
public interface OrchestratorConfig {

    /** How often the round driver advances running experiments. */
    @WithDefault("100ms")
    Duration tick();

    /** Whether the round driver runs (off in tests that drive rounds by hand). */
    @WithDefault("true")
    boolean driverEnabled();

    /** Readiness is DOWN when the round driver has not completed a tick for this long (database away). */
    @WithDefault("30s")
    Duration driverStaleAfter();

    /**
     * An experiment whose steps keep failing (a peer refusing for good, a round that cannot close) is
     * marked FAILED with the last error after this long, instead of being retried forever. A database
     * outage does not count: it stops the whole driver, which resumes when the database returns.
     */
    @WithDefault("10m")
    Duration giveUpAfter();

    /**
     * How long a running experiment may wait for enough available clients to open its next round before it is
     * marked FAILED with the reason. Clients that come back later find it failed; start a new experiment then.
     */
    @WithDefault("1h")
    Duration waitForClients();

    /** How long a one-time enrolment token is valid. */
    @WithDefault("24h")
    Duration enrolmentTokenTtl();

    /**
     * The Kafka address handed to enrolling clients (an external listener when devices are outside the cluster);
     * empty: {@code kafka.bootstrap.servers}.
     */
    java.util.Optional<String> edgeKafkaBootstrap();
}
