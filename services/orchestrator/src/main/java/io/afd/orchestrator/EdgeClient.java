package io.afd.orchestrator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** A registered edge client and the secret that signs its messages. */
@Entity
@Table(name = "edge_client")
public class EdgeClient extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String secret;

    @Column(name = "num_samples", nullable = false)
    public int numSamples;

    @Column(nullable = false)
    public boolean available = true;

    @Column(name = "registered_at", nullable = false)
    public OffsetDateTime registeredAt = OffsetDateTime.now();

    @Column(name = "last_seen")
    public OffsetDateTime lastSeen;

    /** Available clients sorted by id (the order client sampling indexes into). */
    public static List<EdgeClient> availableSorted() {
        return list("available = true order by id");
    }
}
