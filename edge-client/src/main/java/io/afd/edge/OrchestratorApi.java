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

    public OrchestratorApi(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
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
        return send("GET", "/api/clients/" + clientId, null).statusCode() == 200;
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
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": bad JSON: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
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
