package io.afd.scoremap;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** One {@code io.afd.core.round.ScoreUpdate}: how a round's loss changed a score map. */
@Entity
@Table(name = "score_update")
public class ScoreUpdateRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(name = "map_key", nullable = false)
    public String mapKey;

    @Column(nullable = false)
    public int round;

    /** l_{t-1}, null on the map's first observation. */
    @Column(name = "previous_loss")
    public Double previousLoss;

    @Column(nullable = false)
    public double loss;

    /** Added to every kept unit's score (0 when the loss did not fall). */
    @Column(nullable = false)
    public double increment;

    /** Whether the map keeps the same selection for its next round. */
    @Column(nullable = false)
    public boolean reuse;

    /** Id of the selection that was scored. */
    @Column(name = "selection_id", nullable = false)
    public String selectionId;

    public static List<ScoreUpdateRecord> ofMap(String experimentId, String key) {
        return list("experimentId = ?1 and mapKey = ?2 order by round", experimentId, key);
    }

    public static List<ScoreUpdateRecord> ofRound(String experimentId, int round) {
        return list("experimentId = ?1 and round = ?2 order by mapKey", experimentId, round);
    }
}
