package io.afd.services.testing;

import io.afd.infra.auth.LocalIssuer;
import io.afd.infra.testing.SharedInfra;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Signed bearer tokens for {@code @QuarkusTest}s, from the issuer the services under test trust
 * ({@link InfraTestResource} configures them with its JWKS, issuer and audience).
 */
public final class TestTokens {
    private TestTokens() {}

    /** The issuer the services under test trust. */
    public static LocalIssuer issuer() {
        return SharedInfra.get().issuer();
    }

    /** A token for one role, valid for ten minutes. */
    public static String token(String role) {
        return issuer().mint("test-" + role, List.of(role), Duration.ofMinutes(10));
    }

    public static String admin() {
        return token("admin");
    }

    public static String operator() {
        return token("operator");
    }

    public static String viewer() {
        return token("viewer");
    }

    /** {@code Authorization} header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Sends {@code role}'s token with every RestAssured request of this JVM until {@link #signOut()}. */
    public static void signIn(String role) {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", bearer(token(role)))
                .build();
    }

    /** Stops sending a default token. */
    public static void signOut() {
        RestAssured.requestSpecification = null;
    }

    /**
     * {@code @ExtendWith(TestTokens.AsAdmin.class)}: every test of the class sends an admin token (tests
     * of what the API does; the security tests choose their tokens themselves).
     */
    public static final class AsAdmin
            implements org.junit.jupiter.api.extension.BeforeEachCallback,
                    org.junit.jupiter.api.extension.AfterEachCallback {
        @Override
        public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            signIn("admin");
        }

        @Override
        public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            signOut();
        }
    }
}
