package io.afd.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The orchestrator's management API, as the fleet and the quickstart use it. */
public final class OrchestratorApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String bearerToken;

    /**
     * @param baseUrl     the orchestrator, e.g. {@code http://127.0.0.1:8080}
     * @param bearerToken an operator token ({@code bin/afd token --role admin}); registering clients and
     *                    creating experiments need the admin role, starting and stopping the operator role
     */
    public OrchestratorApi(String baseUrl, String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new IllegalArgumentException(
                    "the management API needs a bearer token (bin/afd token --role admin, or AFD_TOKEN)");
        }
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.bearerToken = bearerToken.trim();
    }

    /** Registers a client; returns its secret (base64url). */
    public String register(String clientId, int numSamples) {
        ObjectNode b = JSON.createObjectNode().put("id", clientId).put("numSamples", numSamples);
        return call("POST", "/api/clients", b, 201).path("secret").asText();
    }

    /** The secret of an already registered client (cluster-internal endpoint). */
    public String secret(String clientId) {
        return call("GET", "/internal/clients/" + clientId + "/secret", null, 200)
                .path("secret")
                .asText();
    }

    public boolean clientExists(String clientId) {
        HttpResponse<String> r = send("GET", "/api/clients/" + clientId, null);
        if (r.statusCode() == 200 || r.statusCode() == 404) {
            return r.statusCode() == 200;
        }
        throw refused("GET", "/api/clients/" + clientId, r);
    }

    public JsonNode createExperiment(String id, String yaml, int roundTimeoutSeconds) {
        ObjectNode b = JSON.createObjectNode()
                .put("id", id)
                .put("config", yaml)
                .put("roundTimeoutSeconds", roundTimeoutSeconds);
        return call("POST", "/api/experiments", b, 201);
    }

    public JsonNode action(String id, String action) {
        return call("POST", "/api/experiments/" + id + "/" + action, null, 200);
    }

    public JsonNode experiment(String id) {
        return call("GET", "/api/experiments/" + id, null, 200);
    }

    public JsonNode rounds(String id) {
        return call("GET", "/api/experiments/" + id + "/rounds", null, 200);
    }

    public boolean healthy() {
        try {
            return send("GET", "/q/health/ready", null).statusCode() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private JsonNode call(String method, String path, JsonNode body, int expect) {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() != expect) {
            throw refused(method, path, r);
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": bad JSON: " + e.getMessage(), e);
        }
    }

    private static IllegalStateException refused(String method, String path, HttpResponse<String> r) {
        String hint = switch (r.statusCode()) {
            case 401 -> " (the token is missing, expired or not from the issuer the orchestrator trusts)";
            case 403 ->
                " (the token's role may not do this: registering clients and creating experiments" + " need admin)";
            default -> "";
        };
        return new IllegalStateException(method + " " + path + " -> " + r.statusCode() + hint + ": " + r.body());
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearerToken);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("orchestrator at " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
