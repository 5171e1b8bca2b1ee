package io.afd.orchestrator.service;

import io.afd.core.round.Client;
import io.afd.orchestrator.ClientKey;
import io.afd.orchestrator.EdgeClient;
import io.afd.orchestrator.client.AggregatorKeysClient;
import io.afd.protocol.Enrolment;
import io.afd.protocol.Ids;
import io.afd.protocol.Secrets;
import io.afd.protocol.VerifyKey;
import io.afd.services.common.service.ServerKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The client pool: registration, enrolment of clients' own Ed25519 keys with one-time tokens, key rotation and
 * revocation, availability. Client ids follow the protocol's rule ({@link Ids}); the server stores public keys and
 * the SHA-256 of unused tokens only.
 */
@ApplicationScoped
public class ClientService {
    private static final Logger LOG = Logger.getLogger(ClientService.class);
    /** The one answer to every enrolment whose token does not open it: nothing about which part was wrong. */
    static final String BAD_TOKEN = "invalid, used or expired enrolment token for this client id";

    /** A new enrolment token, shown once. */
    public record Issued(EdgeClient client, String token) {}

    /**
     * The result of a revocation: the key, whether the aggregator dropped it from its cache at once, and whether the
     * client's Kafka login was removed (its last active key went).
     */
    public record Revoked(ClientKey key, boolean aggregatorNotified, boolean kafkaLoginRemoved) {}

    /** The result of an enrolment: the key, and the client's Kafka access (its password shown this once). */
    public record Enrolled(ClientKey key, KafkaProvisioner.EdgeKafka kafka) {}

    private final Duration tokenTtl;
    private final ServerKey serverKey;
    private final AggregatorKeysClient aggregator;
    private final KafkaProvisioner kafka;

    public ClientService(
            io.afd.orchestrator.config.OrchestratorConfig config,
            ServerKey serverKey,
            @RestClient AggregatorKeysClient aggregator,
            KafkaProvisioner kafka) {
        this.tokenTtl = config.enrolmentTokenTtl();
        this.serverKey = serverKey;
        this.aggregator = aggregator;
        this.kafka = kafka;
    }

    /** Registers a client and issues its first enrolment token (returned once). */
    @Transactional
    public Issued register(String id, int numSamples) {
        Ids.require(id, "client id");
        try {
            Client.indexOf(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (numSamples < 0) {
            throw new BadRequestException("numSamples must be >= 0");
        }
        if (EdgeClient.findById(id) != null) {
            throw new ClientErrorException("client " + id + " is already registered", Response.Status.CONFLICT);
        }
        EdgeClient c = new EdgeClient();
        c.id = id;
        c.numSamples = numSamples;
        String token = issueToken(c);
        c.persist();
        return new Issued(c, token);
    }

    /**
     * A new one-time enrolment token for a registered client (to enrol a new key: rotation, or a lost device); an
     * unused earlier token stops working.
     */
    @Transactional
    public Issued newEnrolmentToken(String id) {
        EdgeClient c = get(id);
        return new Issued(c, issueToken(c));
    }

    /**
     * Enrols a client's public key with its one-time token and proof of possession ({@link Enrolment}); the token
     * is used up, and the client gets its Kafka access ({@link KafkaProvisioner}: a new password at every
     * enrolment). When Kafka cannot give it, nothing changes: the token stays valid and the answer is 503.
     *
     * @throws NotAuthorizedException (401) when the token does not open this client's enrolment
     * @throws BadRequestException    for a malformed key or a proof that does not verify
     */
    @Transactional
    public Enrolled enrol(String clientId, String token, String publicKey, String proof) {
        if (clientId == null || !Ids.matches(clientId) || token == null) {
            throw new NotAuthorizedException(BAD_TOKEN, "AfdEnrolment");
        }
        EdgeClient c = EdgeClient.findById(clientId, LockModeType.PESSIMISTIC_WRITE);
        if (c == null
                || c.enrolmentTokenSha256 == null
                || c.enrolmentExpiresAt == null
                || OffsetDateTime.now().isAfter(c.enrolmentExpiresAt)
                || !MessageDigest.isEqual(
                        c.enrolmentTokenSha256.getBytes(StandardCharsets.US_ASCII),
                        sha256(token).getBytes(StandardCharsets.US_ASCII))) {
            LOG.infof("refused an enrolment for client id %s: %s", clientId, BAD_TOKEN);
            throw new NotAuthorizedException(BAD_TOKEN, "AfdEnrolment");
        }
        VerifyKey key;
        try {
            key = VerifyKey.parse(publicKey);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("publicKey: " + e.getMessage());
        }
        if (!Enrolment.verify(key, clientId, token, proof)) {
            throw new BadRequestException("proof: not this key's Ed25519 signature of \"" + Enrolment.CONTEXT
                    + "\\n\" + clientId + \"\\n\" + enrolmentToken (86 base64url characters)");
        }
        ClientKey existing = ClientKey.findById(new ClientKey.Key(clientId, key.keyId()));
        if (existing != null && existing.revokedAt != null) {
            throw new ClientErrorException(
                    "key " + key.keyId() + " of client " + clientId + " was revoked; enrol a new key",
                    Response.Status.CONFLICT);
        }
        c.enrolmentTokenSha256 = null;
        c.enrolmentExpiresAt = null;
        c.lastSeen = OffsetDateTime.now();
        ClientKey k = existing; // the same key enrolled again with a new token keeps its row
        if (k == null) {
            k = new ClientKey();
            k.clientId = clientId;
            k.keyId = key.keyId();
            k.publicKey = key.text();
            k.persist();
            LOG.infof("client %s enrolled key %s", clientId, k.keyId);
        }
        // last, so a Kafka failure (503) rolls the enrolment back and the token can be used again
        return new Enrolled(k, kafka.provision(clientId));
    }

    /** All keys of a client, revoked ones included, oldest first. */
    @Transactional
    public List<ClientKey> keys(String id) {
        get(id);
        return ClientKey.of(id);
    }

    /** The keys a client's updates may be signed with. */
    @Transactional
    public List<ClientKey> activeKeys(String id) {
        get(id);
        return ClientKey.activeOf(id);
    }

    /**
     * Revokes one of a client's keys (idempotent), then tells the aggregator to drop its cached copy; when the
     * aggregator cannot be told, it stops accepting the key within its cache time ({@code afd.client-keys.cache-ttl}).
     */
    public Revoked revoke(String id, String keyId) {
        ClientKey k = markRevoked(id, keyId);
        boolean kafkaRemoved = false;
        if (activeKeys(id).isEmpty()) {
            kafkaRemoved = kafka.removeLogin(id); // no key left to sign with: no reason to read tasks either
        }
        boolean told;
        try {
            aggregator.forget(id);
            told = true;
        } catch (RuntimeException e) {
            LOG.warnf(
                    "revoked key %s of client %s, but the aggregator could not be told (%s): it stops accepting the"
                            + " key when its cached copy expires",
                    keyId, id, e.toString());
            told = false;
        }
        return new Revoked(k, told, kafkaRemoved);
    }

    @Transactional
    ClientKey markRevoked(String id, String keyId) {
        get(id);
        ClientKey k = keyId == null ? null : ClientKey.findById(new ClientKey.Key(id, keyId));
        if (k == null) {
            throw new NotFoundException("client " + id + " has no key " + keyId);
        }
        if (k.revokedAt == null) {
            k.revokedAt = OffsetDateTime.now();
            LOG.infof("revoked key %s of client %s", keyId, id);
        }
        return k;
    }

    /** The services' public key, which signs tasks (clients verify them with it). */
    public VerifyKey serverKey() {
        return serverKey.verifyKey();
    }

    public List<EdgeClient> list() {
        return EdgeClient.list("order by id");
    }

    /** Most {@code limit} clients whose id sorts after {@code after} (null: from the first), by id. */
    public List<EdgeClient> page(String after, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new BadRequestException("limit must be in [1, 10000], got " + limit);
        }
        if (after == null) {
            return EdgeClient.find("order by id").page(0, limit).list();
        }
        Ids.require(after, "after");
        return EdgeClient.find("id > ?1 order by id", after).page(0, limit).list();
    }

    public EdgeClient get(String id) {
        Ids.require(id, "client id");
        EdgeClient c = EdgeClient.findById(id);
        if (c == null) {
            throw new NotFoundException("no client " + id);
        }
        return c;
    }

    @Transactional
    public EdgeClient setAvailable(String id, boolean available) {
        EdgeClient c = get(id);
        c.available = available;
        c.lastSeen = OffsetDateTime.now();
        return c;
    }

    private String issueToken(EdgeClient c) {
        String token = Secrets.newSecret();
        c.enrolmentTokenSha256 = sha256(token);
        c.enrolmentExpiresAt = OffsetDateTime.now().plus(tokenTtl);
        return token;
    }

    private static String sha256(String token) {
        return Secrets.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }
}
