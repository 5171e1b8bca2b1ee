package io.afd.orchestrator.health;

import io.afd.orchestrator.config.OrchestratorConfig;
import io.afd.orchestrator.lease.Leadership;
import io.afd.orchestrator.service.DriverStatus;
import io.afd.orchestrator.service.RoundDriver;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code round-driver}: DOWN while the round driver cannot complete a tick (for example while
 * PostgreSQL is away), with the last error; UP, with the time of the last complete tick, otherwise. Both a
 * leader and a standby replica are UP (both serve the API); {@code role} says which one drives the rounds.
 */
@Readiness
@ApplicationScoped
public class RoundDriverHealth implements HealthCheck {
    private final RoundDriver driver;
    private final OrchestratorConfig config;
    private final Leadership leadership;

    public RoundDriverHealth(RoundDriver driver, OrchestratorConfig config, Leadership leadership) {
        this.driver = driver;
        this.config = config;
        this.leadership = leadership;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("round-driver");
        if (!config.driverEnabled()) {
            return b.up().withData("driver", "disabled").build();
        }
        DriverStatus s = driver.status();
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>(leadership.data());
        data.putAll(s.data());
        data.forEach((k, v) -> {
            if (v instanceof Number n) {
                b.withData(k, n.longValue());
            } else {
                b.withData(k, String.valueOf(v));
            }
        });
        return b.status(s.progressing()).build();
    }
}
