package io.afd.services.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The service under test's management interface (health, metrics), which listens on its own port: {@link
 * InfraTestResource} picks a free one ({@code quarkus.management.test-port}).
 */
public final class Management {
    private Management() {}

    /** The management interface's port in this test run. */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** A request to the management interface (no token: the probes and Prometheus present none). */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }
}
