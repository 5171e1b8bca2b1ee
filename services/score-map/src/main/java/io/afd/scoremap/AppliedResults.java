package io.afd.scoremap;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A round whose results were applied to the score maps: applying them again is a no-op. */
@Entity
@Table(name = "applied_results")
public class AppliedResults extends PanacheEntityBase {
    /** The results came from {@code POST .../results}. */
    public static final String SOURCE_REST = "rest";
    /** The results came from an {@code AGGREGATED} event on {@code afd.rounds}. */
    public static final String SOURCE_KAFKA = "kafka";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(nullable = false)
    public int round;

    /** {@value #SOURCE_REST} or {@value #SOURCE_KAFKA}. */
    @Column(nullable = false)
    public String source;

    /** The applied {@code RoundResults} as JSON. */
    @Column(nullable = false)
    public String results;

    @Column(name = "applied_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime appliedAt;

    public static Optional<AppliedResults> find(String experimentId, int round) {
        return find("experimentId = ?1 and round = ?2", experimentId, round).firstResultOptional();
    }
}
