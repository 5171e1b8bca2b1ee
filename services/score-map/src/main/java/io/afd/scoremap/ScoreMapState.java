package io.afd.scoremap;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The persisted state of one {@code io.afd.core.scoremap.ScoreMap}: Single-Model key {@code global},
 * Multi-Model key = client id.
 */
@Entity
@Table(name = "score_map")
public class ScoreMapState extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(name = "map_key", nullable = false)
    public String mapKey;

    /** JSON object {@code {layer: [score per unit]}}, layers in model order. */
    @Column(nullable = false)
    public String scores;

    @Column(name = "last_loss")
    public Double lastLoss;

    /** Canonical form of the map's current selection, null before the first one. */
    @Column(name = "current_selection")
    public String currentSelection;

    @Column(name = "current_id")
    public String currentId;

    @Column(nullable = false)
    public boolean reuse;

    @Column(nullable = false)
    public int observations;

    /** The last round that changed the map (a selection or a score update). */
    @Column(name = "updated_round")
    public Integer updatedRound;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static List<ScoreMapState> ofExperiment(String experimentId) {
        return list("experimentId = ?1 order by mapKey", experimentId);
    }

    public static List<ScoreMapState> ofKeys(String experimentId, Collection<String> keys) {
        return list("experimentId = ?1 and mapKey in ?2", experimentId, keys);
    }

    public static Optional<ScoreMapState> find(String experimentId, String key) {
        return find("experimentId = ?1 and mapKey = ?2", experimentId, key).firstResultOptional();
    }
}
