package io.afd.aggregator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One aggregation round of an experiment: the base model, the participants and their sub-models, the outcome. */
@Entity
@Table(name = "aggregation_round")
public class Round extends PanacheEntityBase {

    /** OPEN accepts updates; CLOSING: close started, no more updates; CLOSED: the result is stored. */
    public enum State {
        OPEN,
        CLOSING,
        CLOSED
    }

    /** A participant's sub-model: canonical selection text and its id. */
    @Embeddable
    public static class Assigned {
        @Column(nullable = false)
        public String selection;

        @Column(name = "selection_id", nullable = false, length = 16)
        public String selectionId;

        public Assigned() {}

        public Assigned(String selection, String selectionId) {
            this.selection = selection;
            this.selectionId = selectionId;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(nullable = false)
    public int round;

    @Column(nullable = false)
    public String architecture;

    @Column(name = "base_version", nullable = false)
    public int baseVersion;

    /** The uplink codec the round's tasks name; null admits any encoding (rounds opened before it was sent). */
    @Column
    public String uplink;

    @Column(name = "deadline_ms", nullable = false)
    public long deadlineMs;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "model_version")
    public Integer modelVersion;

    @Column(name = "rejected_at_close")
    public Integer rejectedAtClose;

    @Column(name = "result_json")
    public String resultJson;

    @Column(name = "opened_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime openedAt;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    /** client id -> its selection, sorted by client id. */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "participant", joinColumns = @JoinColumn(name = "round_id"))
    @MapKeyColumn(name = "client_id")
    public Map<String, Assigned> participants = new TreeMap<>();

    public static Optional<Round> find(String experimentId, int round) {
        return find("experimentId = ?1 and round = ?2", experimentId, round).firstResultOptional();
    }
}
