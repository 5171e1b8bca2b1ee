package io.afd.orchestrator.lease;

import java.util.Map;

/**
 * Whether this orchestrator replica drives the rounds. Several replicas may serve the management API; only the
 * one that holds the lease steps experiments, so no two replicas take the same step at once (ADR 0019).
 */
public interface Leadership {

    /**
     * Whether this replica leads now. Acquires the lease when it is free; checks a held one.
     *
     * @throws RuntimeException when the lease's store (PostgreSQL) cannot be reached: the driver's tick fails and
     *     its health says why
     */
    boolean leads();

    /** What the health check reports: role, since when, the lease's identity. */
    Map<String, Object> data();

    /** A replica that always leads: one orchestrator, or a driver built by hand in a test. */
    static Leadership solo() {
        return new Leadership() {
            @Override
            public boolean leads() {
                return true;
            }

            @Override
            public Map<String, Object> data() {
                return Map.of("role", "leader", "lease", "none (leader election off)");
            }
        };
    }
}
