package io.afd.aggregator.health;

import io.afd.aggregator.messaging.UpdatePartitions;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code updates-partitions}: UP while this aggregator holds at least one partition of
 * {@code afd.updates} (it can take in updates), DOWN with the reason otherwise: just started and not
 * yet assigned, or more replicas than partitions.
 */
@Readiness
@ApplicationScoped
public class UpdatePartitionsHealth implements HealthCheck {
    private final UpdatePartitions partitions;

    public UpdatePartitionsHealth(@Identifier(UpdatePartitions.NAME) UpdatePartitions partitions) {
        this.partitions = partitions;
    }

    @Override
    public HealthCheckResponse call() {
        var held = partitions.held();
        var b = HealthCheckResponse.named("updates-partitions").withData("held", String.join(",", held));
        if (held.isEmpty()) {
            return b.down()
                    .withData(
                            "reason",
                            "no partition of afd.updates is assigned to this aggregator (not yet after a start, or"
                                    + " more replicas than partitions)")
                    .build();
        }
        return b.up().build();
    }
}
