package io.afd.packager;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One task published on {@code afd.tasks}: written after Kafka acknowledged every envelope of it,
 * unique per (experiment, round, client).
 */
@Entity
@Table(name = "published_task")
public class PublishedTask extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public String experimentId;

    @Column(nullable = false)
    public int round;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "client_index", nullable = false)
    public int clientIndex;

    @Column(name = "model_version", nullable = false)
    public int modelVersion;

    @Column(name = "selection_id", nullable = false, length = 16)
    public String selectionId;

    /** Wire bytes of the task: the sum of its envelope sizes (all chunks). */
    @Column(nullable = false)
    public long bytes;

    /** Envelopes the task went out as: 1 when unchunked. */
    @Column(nullable = false)
    public int chunks;

    /** The message id given to the chunker (in the {@code chunk} header member when chunked). */
    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    /** The tasks of a round, by client id. */
    public static List<PublishedTask> ofRound(String experimentId, int round) {
        return list("experimentId = ?1 and round = ?2 order by clientId", experimentId, round);
    }
}
