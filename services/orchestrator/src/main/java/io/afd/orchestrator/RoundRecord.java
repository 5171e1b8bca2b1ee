package io.afd.orchestrator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One round of an experiment and its place in the state machine. */
@Entity
@Table(name = "round")
@IdClass(RoundRecord.Key.class)
public class RoundRecord extends PanacheEntityBase {

    /** Round states, in order. */
    public enum State {
        OPEN,
        TASKS_SENT,
        COLLECTING,
        CLOSING,
        AGGREGATED,
        SCORES_UPDATED,
        FAILED
    }

    @Id
    @Column(name = "experiment_id")
    public String experimentId;

    @Id
    public int round;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    /** Participant client ids, comma-separated, sorted. */
    @Column(nullable = false)
    public String participants;

    @Column(name = "base_version")
    public Integer baseVersion;

    @Column(name = "model_version")
    public Integer modelVersion;

    public OffsetDateTime deadline;
    public Integer received;
    public Integer rejected;

    @Column(name = "test_accuracy")
    public Double testAccuracy;

    @Column(name = "test_loss")
    public Double testLoss;

    @Column(name = "train_loss")
    public Double trainLoss;

    @Column(name = "bytes_down")
    public Long bytesDown;

    @Column(name = "bytes_up")
    public Long bytesUp;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt = OffsetDateTime.now();

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    public List<String> participantList() {
        return participants.isEmpty() ? List.of() : Arrays.asList(participants.split(","));
    }

    public static Optional<RoundRecord> find(String experimentId, int round) {
        return find("experimentId = ?1 and round = ?2", experimentId, round).firstResultOptional();
    }

    public static List<RoundRecord> ofExperiment(String experimentId) {
        return list("experimentId = ?1 order by round", experimentId);
    }

    /** Composite key. */
    public static class Key implements Serializable {
        public String experimentId;
        public int round;

        public Key() {}

        public Key(String experimentId, int round) {
            this.experimentId = experimentId;
            this.round = round;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.round == round && Objects.equals(k.experimentId, experimentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(experimentId, round);
        }
    }
}
