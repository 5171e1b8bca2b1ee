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

    /** A token carrying exactly these roles (e.g. a service role and a viewer), valid for ten minutes. */
    public static String token(List<String> roles) {
        return issuer().mint("test-" + String.join("+", roles), roles, Duration.ofMinutes(10));
    }

    /** A service's own token: subject the service name, the one role {@code service:<name>}. */
    public static String service(String name) {
        return issuer().mint(name, List.of("service:" + name), Duration.ofMinutes(30));
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
        signInWith(token(role));
    }

    /** Sends this token with every RestAssured request of this JVM until {@link #signOut()}. */
    public static void signInWith(String token) {
        // RequestSpecBuilder starts from the current default spec: clear it, or the old token is sent too
        RestAssured.requestSpecification = null;
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", bearer(token))
                .build();
    }

    /** Runs {@code body} with {@code token} as the default RestAssured token, then restores the previous default. */
    public static <T> T as(String token, java.util.function.Supplier<T> body) {
        var before = RestAssured.requestSpecification;
        signInWith(token);
        try {
            return body.get();
        } finally {
            RestAssured.requestSpecification = before;
        }
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

    /**
     * {@code @ExtendWith(TestTokens.AsPeers.class)}: every test of the class calls as all of this service's callers
     * at once: a token with every service role and the viewer role (tests of what a peer-facing API does; the
     * security tests choose their tokens themselves).
     */
    public static final class AsPeers
            implements org.junit.jupiter.api.extension.BeforeEachCallback,
                    org.junit.jupiter.api.extension.AfterEachCallback {
        @Override
        public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            signInWith(token(List.of(
                    "viewer", "service:orchestrator", "service:aggregator", "service:packager", "service:score-map")));
        }

        @Override
        public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            signOut();
        }
    }
}
