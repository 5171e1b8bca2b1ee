package io.afd.aggregator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** A rejected record or message with its protocol reason code (docs/protocol.md §8). */
@Entity
@Table(name = "rejection")
public class Rejection extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id")
    public String experimentId;

    public Integer round;

    @Column(name = "client_id")
    public String clientId;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public String detail;

    @Column(name = "kafka_topic", nullable = false)
    public String kafkaTopic;

    @Column(name = "kafka_partition")
    public Integer kafkaPartition;

    @Column(name = "kafka_offset")
    public Long kafkaOffset;

    @Column(name = "record_key")
    public String recordKey;

    @Column(name = "wire_bytes")
    public Long wireBytes;

    @Column(name = "rejected_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime rejectedAt;

    public static List<Rejection> ofRound(String experimentId, int round) {
        return list("experimentId = ?1 and round = ?2 order by id", experimentId, round);
    }

    public static long countOfRound(String experimentId, int round) {
        return count("experimentId = ?1 and round = ?2", experimentId, round);
    }
}
