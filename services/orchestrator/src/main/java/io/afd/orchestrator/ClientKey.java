package io.afd.orchestrator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/** One Ed25519 public key a client enrolled; revoked keys stay, with the time of revocation. */
@Entity
@Table(name = "client_key")
@IdClass(ClientKey.Key.class)
public class ClientKey extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    /** 16 hex digits: the first 8 bytes of SHA-256 of the raw key. */
    @Id
    @Column(name = "key_id")
    public String keyId;

    /** The 32 raw bytes as 43 base64url characters. */
    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Column(name = "enrolled_at", nullable = false)
    public OffsetDateTime enrolledAt = OffsetDateTime.now();

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    /** A client's keys, oldest first. */
    public static List<ClientKey> of(String clientId) {
        return list("clientId = ?1 order by enrolledAt, keyId", clientId);
    }

    /** A client's active keys, oldest first. */
    public static List<ClientKey> activeOf(String clientId) {
        return list("clientId = ?1 and revokedAt is null order by enrolledAt, keyId", clientId);
    }

    /** The composite primary key. */
    public static final class Key implements Serializable {
        public String clientId;
        public String keyId;

        public Key() {}

        public Key(String clientId, String keyId) {
            this.clientId = clientId;
            this.keyId = keyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && clientId.equals(k.clientId) && keyId.equals(k.keyId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, keyId);
        }
    }
}
