package io.afd.aggregator.health;

import io.afd.aggregator.service.IntakeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code updates-intake}: DOWN while intake is paused because a dependency keeps failing (a database outage), with
 * since when, what failed and the last error; UP again as soon as a record goes through.
 */
@Readiness
@ApplicationScoped
public class IntakeHealth implements HealthCheck {
    private final IntakeStatus status;

    public IntakeHealth(IntakeStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        IntakeStatus.Pause p = status.pause();
        var b = HealthCheckResponse.named("updates-intake");
        if (p == null) {
            return b.up().build();
        }
        return b.down()
                .withData("pausedSince", p.since().toString())
                .withData("failing", p.what())
                .withData("lastError", p.lastError())
                .withData("attempts", p.attempts())
                .build();
    }
}
