package io.afd.orchestrator.lease;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Leader election among orchestrator replicas ({@code afd.orchestrator.leader-election.*}, ADR 0019). */
@ConfigMapping(prefix = "afd.orchestrator.leader-election")
public interface LeaseConfig {

    /**
     * Whether replicas elect one round driver through a PostgreSQL advisory lock. Off only for a deployment that
     * guarantees a single replica; two replicas without it would both step every experiment.
     */
    @WithDefault("true")
    boolean enabled();

    /** The advisory lock's key: the same for every replica of one suite, different between suites sharing a database. */
    @WithDefault("4710923658612049153")
    long key();

    /** How often the leader checks that its lease session is alive. */
    @WithDefault("1s")
    Duration check();

    /** This replica's name in logs and health; default: the host name (the pod's name on Kubernetes). */
    Optional<String> replica();
}
