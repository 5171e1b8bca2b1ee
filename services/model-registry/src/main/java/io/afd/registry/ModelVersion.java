package io.afd.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** One global model version of an experiment. Weights are a float32 AFDT blob. */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(nullable = false)
    public int version;

    @Column(name = "parent_version")
    public Integer parentVersion;

    public Integer round;

    @Column(nullable = false)
    public String architecture;

    @Column(name = "num_params", nullable = false)
    public long numParams;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false, length = 64)
    public String sha256;

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, columnDefinition = "bytea")
    public byte[] weights;

    public String metrics;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static List<ModelVersion> ofExperiment(String experimentId) {
        return list("experimentId = ?1 order by version", experimentId);
    }

    public static Optional<ModelVersion> find(String experimentId, int version) {
        return find("experimentId = ?1 and version = ?2", experimentId, version).firstResultOptional();
    }

    public static Optional<ModelVersion> latest(String experimentId) {
        return find("experimentId = ?1 order by version desc", experimentId).firstResultOptional();
    }

    public static Optional<ModelVersion> ofRound(String experimentId, int round) {
        return find("experimentId = ?1 and round = ?2", experimentId, round).firstResultOptional();
    }
}
