package io.afd.services.testing;

import io.afd.infra.testing.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a {@code @QuarkusTest} against the real infrastructure of {@link SharedInfra}: a Kafka
 * broker started from the Kafka jars and PostgreSQL (the local server on 127.0.0.1:5432 when it
 * answers, an embedded one otherwise), with a fresh database per test class. No Docker, no Dev
 * Services.
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SharedInfra infra = SharedInfra.get();
        return infra.quarkusProperties(infra.createUniqueDatabase("svc"));
    }

    @Override
    public void stop() {
        // SharedInfra stops the broker and PostgreSQL at JVM exit.
    }
}
