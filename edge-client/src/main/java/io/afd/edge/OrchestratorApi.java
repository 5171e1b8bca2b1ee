package io.afd.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.afd.kafka.Grants;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.protocol.Enrolment;
import io.afd.protocol.SigningKey;
import io.afd.protocol.Topics;
import io.afd.protocol.VerifyKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        this(baseUrl, bearerToken, true);
    }

    private OrchestratorApi(String baseUrl, String bearerToken, boolean needsToken) {
        if (needsToken && (bearerToken == null || bearerToken.isBlank())) {
            throw new IllegalArgumentException(
                    "the management API needs a bearer token (bin/afd token --role admin, or AFD_TOKEN)");
        }
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.bearerToken = bearerToken == null ? null : bearerToken.trim();
    }

    /** An API without an operator token: an edge client enrolling with its one-time token needs nothing else. */
    public static OrchestratorApi forEnrolment(String baseUrl) {
        return new OrchestratorApi(baseUrl, null, false);
    }

    /** Registers a client (admin); returns its one-time enrolment token. */
    public String register(String clientId, int numSamples) {
        ObjectNode b = JSON.createObjectNode().put("id", clientId).put("numSamples", numSamples);
        return call("POST", "/api/clients", b, 201).path("enrolmentToken").asText();
    }

    /** A new one-time enrolment token for a registered client (admin), to enrol a new key. */
    public String newEnrolmentToken(String clientId) {
        return call("POST", "/api/clients/" + clientId + "/enrolment-tokens", null, 200)
                .path("enrolmentToken")
                .asText();
    }

    /**
     * Enrols {@code key} as {@code clientId}'s with its one-time token and a proof of possession; returns the
     * services' public keys, which its tasks are signed with.
     */
    /**
     * What an enrolment gives a client: the services' public keys its tasks are signed with, and its Kafka access
     * (null only from an orchestrator that predates it).
     */
    public record Enrolled(List<VerifyKey> serverKeys, KafkaConnection kafka) {}

    public Enrolled enrol(String clientId, String token, SigningKey key) {
        ObjectNode b = JSON.createObjectNode()
                .put("clientId", clientId)
                .put("enrolmentToken", token)
                .put("publicKey", key.verifyKey().text())
                .put("proof", Enrolment.prove(key, clientId, token));
        JsonNode r = call("POST", "/api/enrolment", b, 201);
        if (!key.keyId().equals(r.path("keyId").asText())) {
            throw new IllegalStateException(
                    "the orchestrator enrolled key " + r.path("keyId") + ", not " + key.keyId());
        }
        List<VerifyKey> out = new ArrayList<>();
        for (JsonNode k : r.path("serverKeys")) {
            VerifyKey v = VerifyKey.parse(k.path("publicKey").asText());
            if (!v.keyId().equals(k.path("keyId").asText())) {
                throw new IllegalStateException("server key id " + k.path("keyId") + " is not its key's");
            }
            out.add(v);
        }
        return new Enrolled(out, kafka(clientId, r.path("kafka")));
    }

    /** The enrolment answer's {@code kafka} object as a connection (SCRAM login unless the broker is insecure). */
    static KafkaConnection kafka(String clientId, JsonNode k) {
        if (k.isMissingNode() || k.isNull()) {
            throw new IllegalStateException("the enrolment answer for " + clientId + " has no Kafka access");
        }
        String bootstrap = k.path("bootstrapServers").asText();
        String protocol = k.path("securityProtocol").asText();
        if (!k.path("tasksTopic").asText().equals(Topics.clientTasksTopic(clientId))
                || !k.path("groupId").asText().equals(Grants.clientGroup(clientId))) {
            throw new IllegalStateException("the enrolment answer names task topic " + k.path("tasksTopic")
                    + " and group " + k.path("groupId") + ", not " + clientId + "'s");
        }
        KafkaLogin login = k.path("password").isTextual()
                ? new KafkaLogin(
                        k.path("username").asText(),
                        k.path("password").asText(),
                        k.path("saslMechanism").asText())
                : null;
        return new KafkaConnection(bootstrap, protocol, login, java.util.Map.of());
    }

    /** A client's keys, revoked ones included (viewer). */
    public JsonNode keys(String clientId) {
        return call("GET", "/api/clients/" + clientId + "/keys", null, 200);
    }

    /** Revokes one of a client's keys (admin): its updates signed with it are refused from then on. */
    public JsonNode revoke(String clientId, String keyId) {
        return call("DELETE", "/api/clients/" + clientId + "/keys/" + keyId, null, 200);
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
        if (r.statusCode() == 503) {
            // up but unable to serve now (its database is away): as good as unreachable, retry
            throw new Unreachable(
                    "orchestrator at " + base + " unavailable: " + method + " " + path + " -> 503: " + r.body(), null);
        }
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
            case 401 ->
                path.startsWith("/api/enrolment")
                        ? " (the enrolment token is wrong, used or expired: ask an admin for a new one)"
                        : " (the token is missing, expired or not from the issuer the orchestrator trusts)";
            case 403 ->
                " (the token's role may not do this: registering clients and creating experiments" + " need admin)";
            default -> "";
        };
        return new IllegalStateException(method + " " + path + " -> " + r.statusCode() + hint + ": " + r.body());
    }

    /**
     * The orchestrator cannot serve now: not reached at all (down, restarting, a network cut) or answering 503 (its
     * database is away), as opposed to an error answer. Callers retry.
     */
    public static final class Unreachable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("orchestrator at " + base + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
