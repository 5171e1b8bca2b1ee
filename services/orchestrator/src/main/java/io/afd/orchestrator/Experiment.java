package io.afd.orchestrator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** A federated experiment: its YAML config (the simulator's format) and where it stands. */
@Entity
@Table(name = "experiment")
public class Experiment extends PanacheEntityBase {

    /** Lifecycle of an experiment. */
    public enum Status {
        CREATED,
        RUNNING,
        PAUSED,
        STOPPED,
        COMPLETED,
        FAILED
    }

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "config_yaml", nullable = false)
    public String configYaml;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "current_round", nullable = false)
    public int currentRound;

    @Column(name = "rounds_done", nullable = false)
    public int roundsDone;

    @Column(name = "best_accuracy")
    public Double bestAccuracy;

    @Column(name = "last_accuracy")
    public Double lastAccuracy;

    @Column(name = "model_version")
    public Integer modelVersion;

    /** Seconds a round waits for updates before closing with what it has (if the quorum is met). */
    @Column(name = "round_timeout_s", nullable = false)
    public int roundTimeoutSeconds = 300;

    /** Fraction of participants that must report for a round to close at its deadline. */
    @Column(nullable = false)
    public double quorum = 1.0;

    public String error;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt = OffsetDateTime.now();

    public static List<Experiment> running() {
        return list("status", Status.RUNNING);
    }
}
