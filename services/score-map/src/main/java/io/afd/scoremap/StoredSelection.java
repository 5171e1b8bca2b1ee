package io.afd.scoremap;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Optional;

/** One participant's selection of a round. */
@Entity
@Table(name = "selection")
public class StoredSelection extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(nullable = false)
    public int round;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    /** The client's position in the request (responses keep the request's order). */
    @Column(name = "position", nullable = false)
    public int clientOrder;

    @Column(name = "selection_id", nullable = false)
    public String selectionId;

    @Column(nullable = false)
    public String canonical;

    /** The round's selections in request order. */
    public static List<StoredSelection> ofRound(String experimentId, int round) {
        return list("experimentId = ?1 and round = ?2 order by clientOrder", experimentId, round);
    }

    public static boolean exists(String experimentId, int round) {
        return count("experimentId = ?1 and round = ?2", experimentId, round) > 0;
    }

    /** The highest round with stored selections. */
    public static Optional<Integer> latestRound(String experimentId) {
        return find("experimentId = ?1 order by round desc", experimentId)
                .firstResultOptional()
                .map(s -> ((StoredSelection) s).round);
    }
}
