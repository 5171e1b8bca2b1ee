package io.afd.orchestrator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A registered edge client. It signs its updates with its own Ed25519 keys ({@link ClientKey}, public halves only);
 * until it enrols one it holds a one-time enrolment token, of which only the SHA-256 is kept.
 */
@Entity
@Table(name = "edge_client")
public class EdgeClient extends PanacheEntityBase {
    @Id
    public String id;

    /** SHA-256 (hex) of the unused enrolment token, or null. */
    @Column(name = "enrolment_token_sha256")
    public String enrolmentTokenSha256;

    @Column(name = "enrolment_expires_at")
    public OffsetDateTime enrolmentExpiresAt;

    @Column(name = "num_samples", nullable = false)
    public int numSamples;

    @Column(nullable = false)
    public boolean available = true;

    @Column(name = "registered_at", nullable = false)
    public OffsetDateTime registeredAt = OffsetDateTime.now();

    @Column(name = "last_seen")
    public OffsetDateTime lastSeen;

    /**
     * Available clients that hold an active key, sorted by id (the order client sampling indexes into): a client
     * that cannot sign an update is never selected.
     */
    public static List<EdgeClient> availableSorted() {
        return list("from EdgeClient c where c.available = true and exists (select 1 from ClientKey k"
                + " where k.clientId = c.id and k.revokedAt is null) order by c.id");
    }
}
