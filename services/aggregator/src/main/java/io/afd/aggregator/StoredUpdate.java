package io.afd.aggregator;

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

/**
 * An accepted client update: its header fields, byte accounting, the Kafka record that completed it and
 * the AFDT blob as received. Written once (see {@code UpdateStore}); the round's model is rebuilt from
 * these rows at close.
 */
@Entity
@Table(name = "client_update")
public class StoredUpdate extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(nullable = false)
    public int round;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "selection_id", nullable = false, length = 16)
    public String selectionId;

    @Column(name = "model_version", nullable = false)
    public long modelVersion;

    @Column(name = "num_samples", nullable = false)
    public int numSamples;

    @Column(name = "train_loss", nullable = false)
    public double trainLoss;

    @Column(name = "initial_loss")
    public Double initialLoss;

    @Column(name = "train_millis", nullable = false)
    public long trainMillis;

    @Column(name = "bytes_received", nullable = false)
    public long bytesReceived;

    @Column(name = "bytes_up", nullable = false)
    public long bytesUp;

    @Column(name = "payload_sha256", nullable = false, length = 64)
    public String payloadSha256;

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, columnDefinition = "bytea")
    public byte[] payload;

    @Column(name = "kafka_topic", nullable = false)
    public String kafkaTopic;

    @Column(name = "kafka_partition", nullable = false)
    public int kafkaPartition;

    @Column(name = "kafka_offset", nullable = false)
    public long kafkaOffset;

    @Column(name = "received_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime receivedAt;
}
