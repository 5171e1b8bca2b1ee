package io.afd.services.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Set;

/**
 * Checks who may call an endpoint against the real token verification of the service under test: without a
 * token, with a garbage one and with a token of each role in {@link #ROLES}, every request must be 401 or 403
 * except for the roles listed, which must get past security (any other status).
 */
public final class SecurityMatrix {
    /** Every operator and service role. */
    public static final List<String> ROLES = List.of(
            "viewer",
            "operator",
            "admin",
            "service:orchestrator",
            "service:aggregator",
            "service:packager",
            "service:score-map");

    /** One endpoint, the body it is sent (of {@code contentType}) and the roles that may call it. */
    public record Endpoint(String method, String path, String body, String contentType, Set<String> allowed) {
        /** With a JSON body (or none). */
        public Endpoint(String method, String path, String body, Set<String> allowed) {
            this(method, path, body, "application/json", allowed);
        }

        public Endpoint {
            for (String r : allowed) {
                if (!ROLES.contains(r)) {
                    throw new IllegalArgumentException("unknown role " + r);
                }
            }
        }
    }

    private SecurityMatrix() {}

    /** The operator roles (viewer, operator, admin) and these service roles: who may read a peer's data. */
    public static Set<String> operatorsAnd(String... serviceRoles) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>(List.of("viewer", "operator", "admin"));
        out.addAll(List.of(serviceRoles));
        return Set.copyOf(out);
    }

    /** Asserts the matrix for each endpoint, with no default token in force. */
    public static void check(List<Endpoint> endpoints) {
        var before = io.restassured.RestAssured.requestSpecification;
        io.restassured.RestAssured.requestSpecification = null;
        try {
            for (Endpoint e : endpoints) {
                String what = e.method() + " " + e.path();
                assertEquals(401, call(e, null), what + " without a token");
                assertEquals(401, call(e, "Bearer not.a.jwt"), what + " with a garbage token");
                for (String role : ROLES) {
                    int status = call(e, TestTokens.bearer(TestTokens.token(role)));
                    if (e.allowed().contains(role)) {
                        assertTrue(status != 401 && status != 403, what + " as " + role + " got " + status);
                    } else {
                        assertEquals(403, status, what + " as " + role);
                    }
                }
            }
        } finally {
            io.restassured.RestAssured.requestSpecification = before;
        }
    }

    private static int call(Endpoint e, String authorization) {
        RequestSpecification r = given().redirects().follow(false);
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        if (e.body() != null) {
            r = r.contentType(e.contentType());
            if (e.contentType().startsWith("application/json")) {
                r = r.body(e.body());
            } else {
                r = r.body(e.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return r.request(e.method(), e.path()).statusCode();
    }
}
