package io.afd.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.protocol.Enrolment;
import io.afd.protocol.SigningKey;
import io.afd.protocol.VerifyKey;
import io.afd.services.testing.InfraTestResource;
import io.afd.services.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Clients enrol their own Ed25519 keys with a one-time token and a proof of possession; keys rotate and are revoked;
 * the server keeps public keys and token hashes only (real PostgreSQL, real signatures).
 */
@QuarkusTest
@QuarkusTestResource(
        value = InfraTestResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = InfraTestResource.KAFKA_ACCOUNT, value = "orchestrator"))
@TestProfile(ManagementApiIT.NoDriver.class)
@org.junit.jupiter.api.extension.ExtendWith(TestTokens.AsAdmin.class)
class EnrolmentIT {
    /** The %test afd.server-key: the seed bytes a0..bf. */
    private static final VerifyKey SERVER =
            SigningKey.parse("oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8").verifyKey();

    private static String register(String id, int n) {
        return given().contentType("application/json")
                .body(Map.of("id", id, "numSamples", n))
                .post("/api/clients")
                .then()
                .statusCode(201)
                .extract()
                .path("enrolmentToken");
    }

    private static ValidatableResponse enrol(String id, String token, SigningKey key, String proof) {
        return given().contentType("application/json")
                .body(Map.of(
                        "clientId",
                        id,
                        "enrolmentToken",
                        token,
                        "publicKey",
                        key.verifyKey().text(),
                        "proof",
                        proof))
                .post("/api/enrolment")
                .then();
    }

    private static ValidatableResponse enrol(String id, String token, SigningKey key) {
        return enrol(id, token, key, Enrolment.prove(key, id, token));
    }

    private static List<String> activeKeyIds(String id) {
        // as the aggregator reads them: the internal API admits its service token only
        return TestTokens.as(
                TestTokens.service("aggregator"),
                () -> given().get("/internal/clients/{id}/keys", id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("keys.keyId"));
    }

    @Test
    void aClientEnrolsItsOwnKeyOnceAndGetsTheServerKey() {
        String id = "client-00041";
        String token = register(id, 30);
        SigningKey key = SigningKey.generate();

        // wrong token, someone else's id, a proof by another key, a proof for another token: refused
        enrol(id, token.substring(1) + "A", key).statusCode(401).body("reason", containsString("enrolment token"));
        enrol("client-00042", token, key).statusCode(401);
        enrol(id, token, key, Enrolment.prove(SigningKey.generate(), id, token))
                .statusCode(400)
                .body("reason", containsString("proof"));
        enrol(id, token, key, Enrolment.prove(key, id, "another-token"))
                .statusCode(400)
                .body("reason", containsString("proof"));
        given().contentType("application/json")
                .body(Map.of("clientId", id, "enrolmentToken", token, "publicKey", "not-a-key", "proof", "x"))
                .post("/api/enrolment")
                .then()
                .statusCode(400)
                .body("reason", containsString("publicKey"));
        assertEquals(List.of(), activeKeyIds(id), "nothing refused left a key");

        enrol(id, token, key)
                .statusCode(201)
                .body("clientId", equalTo(id))
                .body("keyId", equalTo(key.keyId()))
                .body("numSamples", equalTo(30))
                .body("serverKeys[0].keyId", equalTo(SERVER.keyId()))
                .body("serverKeys[0].publicKey", equalTo(SERVER.text()));
        assertEquals(List.of(key.keyId()), activeKeyIds(id));
        // the token is used up
        enrol(id, token, SigningKey.generate()).statusCode(401);
        // only the public key and no token are kept
        QuarkusTransaction.requiringNew().run(() -> {
            EdgeClient c = EdgeClient.findById(id);
            assertNull(c.enrolmentTokenSha256);
            ClientKey k = ClientKey.findById(new ClientKey.Key(id, key.keyId()));
            assertEquals(key.verifyKey().text(), k.publicKey);
        });
        given().get("/api/enrolment/server-keys").then().statusCode(200).body("[0].keyId", equalTo(SERVER.keyId()));
    }

    @Test
    void keysRotateAndARevokedKeyIsGone() {
        String id = "client-00043";
        SigningKey first = SigningKey.generate();
        enrol(id, register(id, 12), first).statusCode(201);
        // rotation: a new token, a second key; both are active until the first is revoked
        String again = given().post("/api/clients/{id}/enrolment-tokens", id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("enrolmentExpiresAt", notNullValue())
                .extract()
                .path("enrolmentToken");
        SigningKey second = SigningKey.generate();
        enrol(id, again, second).statusCode(201).body("keyId", equalTo(second.keyId()));
        assertEquals(List.of(first.keyId(), second.keyId()), activeKeyIds(id));

        given().delete("/api/clients/{id}/keys/{k}", id, first.keyId())
                .then()
                .statusCode(200)
                .body("key.keyId", equalTo(first.keyId()))
                .body("key.revokedAt", notNullValue())
                .body("aggregatorNotified", equalTo(false)); // no aggregator runs in this test
        assertEquals(List.of(second.keyId()), activeKeyIds(id));
        given().get("/api/clients/{id}/keys", id)
                .then()
                .statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.keyId == '" + first.keyId() + "' }.revokedAt", notNullValue())
                .body("find { it.keyId == '" + second.keyId() + "' }.revokedAt", nullValue());
        // idempotent; an unknown key is 404; a revoked key cannot come back
        given().delete("/api/clients/{id}/keys/{k}", id, first.keyId()).then().statusCode(200);
        given().delete("/api/clients/{id}/keys/{k}", id, "0000000000000000")
                .then()
                .statusCode(404);
        String third = given().post("/api/clients/{id}/enrolment-tokens", id)
                .then()
                .statusCode(200)
                .extract()
                .path("enrolmentToken");
        enrol(id, third, first).statusCode(409).body("reason", containsString("revoked"));
    }

    @Test
    void theEnrolmentAnswerCarriesAKafkaLoginForTheClientsOwnTasksOnly() throws Exception {
        String id = "client-00061";
        String other = "client-00062";
        SigningKey key = SigningKey.generate();
        Map<String, Object> kafka = enrol(id, register(id, 5), key)
                .statusCode(201)
                .body("kafka.tasksTopic", equalTo("afd.tasks." + id))
                .body("kafka.groupId", equalTo("afd.edge." + id))
                .body("kafka.updatesTopic", equalTo("afd.updates"))
                .body("kafka.username", equalTo(id))
                .body("kafka.securityProtocol", equalTo("SASL_PLAINTEXT"))
                .body("kafka.saslMechanism", equalTo("SCRAM-SHA-512"))
                .extract()
                .path("kafka");
        enrol(other, register(other, 5), SigningKey.generate()).statusCode(201);
        io.afd.infra.testing.SharedInfra infra = io.afd.infra.testing.SharedInfra.get();
        assertEquals(infra.kafkaBootstrapServers(), kafka.get("bootstrapServers"));
        KafkaConnection mine = infra.kafkaAdmin().as(KafkaLogin.scram(id, (String) kafka.get("password")));
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                infra.kafkaAdmin().clientProperties(), new StringSerializer(), new StringSerializer())) {
            p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("afd.tasks." + id, id, "mine"))
                    .get();
            p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("afd.tasks." + other, other, "theirs"))
                    .get();
        }
        try (var c = consumer(mine, "afd.edge." + id)) {
            c.subscribe(List.of("afd.tasks." + id));
            assertEquals(List.of("mine"), poll(c));
        }
        try (var c = consumer(mine, "afd.edge." + id)) {
            c.subscribe(List.of("afd.tasks." + other));
            org.junit.jupiter.api.Assertions.assertThrows(
                    org.apache.kafka.common.errors.TopicAuthorizationException.class, () -> poll(c));
        }
        // its only key revoked: the login goes too
        given().delete("/api/clients/{id}/keys/{k}", id, key.keyId())
                .then()
                .statusCode(200)
                .body("kafkaLoginRemoved", equalTo(true));
        try (var c = consumer(mine, "afd.edge." + id)) {
            org.junit.jupiter.api.Assertions.assertThrows(
                    org.apache.kafka.common.errors.SaslAuthenticationException.class,
                    () -> c.partitionsFor("afd.tasks." + id, java.time.Duration.ofSeconds(20)));
        }
    }

    private static org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer(
            KafkaConnection c, String group) {
        Map<String, Object> p = new java.util.HashMap<>(c.clientProperties());
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        return new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                p, new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> poll(org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c) {
        List<String> got = new java.util.ArrayList<>();
        long end = System.nanoTime() + 30_000_000_000L;
        while (got.isEmpty() && System.nanoTime() < end) {
            c.poll(java.time.Duration.ofMillis(300)).forEach(r -> got.add(r.value()));
        }
        return got;
    }

    @jakarta.inject.Inject
    io.afd.orchestrator.service.RoundStore rounds;

    @Test
    void onlyAvailableClientsWithAnActiveKeyAreSelectable() {
        String enrolled = "client-00051";
        String pending = "client-00052";
        String revoked = "client-00053";
        SigningKey k = SigningKey.generate();
        enrol(enrolled, register(enrolled, 5), SigningKey.generate()).statusCode(201);
        register(pending, 5);
        enrol(revoked, register(revoked, 5), k).statusCode(201);
        given().delete("/api/clients/{id}/keys/{k}", revoked, k.keyId()).then().statusCode(200);
        List<String> pool = rounds.availableClientIds();
        assertTrue(pool.contains(enrolled), pool.toString());
        assertTrue(!pool.contains(pending) && !pool.contains(revoked), pool.toString());
        given().contentType("application/json")
                .body("{\"available\":false}")
                .put("/api/clients/{id}/availability", enrolled)
                .then()
                .statusCode(200);
        assertTrue(!rounds.availableClientIds().contains(enrolled), "unavailable");
    }

    @Test
    void anExpiredTokenOrANewerOneEndsTheOldToken() {
        String id = "client-00044";
        String token = register(id, 5);
        QuarkusTransaction.requiringNew().run(() -> {
            EdgeClient c = EdgeClient.findById(id);
            c.enrolmentExpiresAt = OffsetDateTime.now().minusSeconds(1);
        });
        enrol(id, token, SigningKey.generate()).statusCode(401);
        String a = given().post("/api/clients/{id}/enrolment-tokens", id)
                .then()
                .extract()
                .path("enrolmentToken");
        String b = given().post("/api/clients/{id}/enrolment-tokens", id)
                .then()
                .extract()
                .path("enrolmentToken");
        enrol(id, a, SigningKey.generate()).statusCode(401);
        enrol(id, b, SigningKey.generate()).statusCode(201);
        given().post("/api/clients/{id}/enrolment-tokens", "client-99998")
                .then()
                .statusCode(404);
        assertTrue(activeKeyIds(id).size() == 1);
    }
}
