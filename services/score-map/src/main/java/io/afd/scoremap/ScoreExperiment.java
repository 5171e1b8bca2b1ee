package io.afd.scoremap;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The selection settings of an experiment, fixed by its first selection request: the results endpoint
 * and the {@code afd.rounds} consumer rebuild the {@code SelectionPolicy} from them.
 */
@Entity
@Table(name = "experiment")
public class ScoreExperiment extends PanacheEntityBase {
    @Id
    @Column(name = "experiment_id")
    public String experimentId;

    /** Policy label: fedavg, random-fd, afd-single, afd-multi. */
    @Column(nullable = false)
    public String policy;

    @Column(name = "dropout_rate", nullable = false)
    public double dropoutRate;

    @Column(name = "top_k", nullable = false)
    public boolean topK;

    @Column(nullable = false)
    public double eps;

    /** train or initial. */
    @Column(name = "loss_signal", nullable = false)
    public String lossSignal;

    /** The experiment's master seed (the policy uses {@code SeedStream.POLICY.derive(seed)}). */
    @Column(nullable = false)
    public long seed;

    /** Canonical model spec. */
    @Column(nullable = false)
    public String architecture;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static Optional<ScoreExperiment> find(String experimentId) {
        return findByIdOptional(experimentId);
    }

    /** The experiment row, locked until the transaction ends (serializes writers per experiment). */
    public static Optional<ScoreExperiment> lock(String experimentId) {
        return findByIdOptional(experimentId, LockModeType.PESSIMISTIC_WRITE);
    }
}
