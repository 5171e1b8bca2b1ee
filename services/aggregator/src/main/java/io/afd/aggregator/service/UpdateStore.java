package io.afd.aggregator.service;

import io.afd.aggregator.Rejection;
import io.afd.aggregator.Round;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepted updates and rejections in PostgreSQL (schema {@code aggregator}). Every method is one short
 * transaction; database failures surface as {@link TransientFailure} so the record is retried, not rejected.
 *
 * <p>Concurrency with closing: {@link #insertAccepted} locks the round row {@code FOR SHARE} and inserts only
 * while the round is {@code OPEN}; closing switches the round to {@code CLOSING} under {@code FOR UPDATE}, which
 * waits for every such insert to commit. So every update stored as accepted is in the closed model, and no
 * update is accepted after the close started.
 */
@ApplicationScoped
public class UpdateStore {
    private final AgroalDataSource ds;

    public UpdateStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** A round as an update for {@code clientId} sees it; {@code selection} is null when it is not a participant. */
    public record RoundSnapshot(
            long roundId,
            Round.State state,
            String architecture,
            int baseVersion,
            String selection,
            String selectionId,
            String uplink,
            long deadlineMs) {}

    /** One update to store. */
    public record Accepted(
            String experimentId,
            int round,
            String clientId,
            String selectionId,
            long modelVersion,
            int numSamples,
            double trainLoss,
            Double initialLoss,
            long trainMillis,
            long bytesReceived,
            long bytesUp,
            String payloadSha256,
            byte[] payload,
            String topic,
            int partition,
            long offset) {}

    /** What {@link #insertAccepted} did. */
    public enum InsertOutcome {
        ACCEPTED,
        UNKNOWN_ROUND,
        STALE_ROUND,
        DUPLICATE
    }

    /** An accepted update without its blob. */
    public record UpdateMeta(
            long id,
            String clientId,
            String selectionId,
            int numSamples,
            double trainLoss,
            Double initialLoss,
            long bytesReceived,
            long bytesUp) {}

    @Transactional
    public RoundSnapshot snapshot(String experimentId, int round, String clientId) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT r.id, r.state, r.architecture, r.base_version, p.selection, p.selection_id, r.uplink,"
                            + " r.deadline_ms"
                            + " FROM aggregator.aggregation_round r LEFT JOIN aggregator.participant p"
                            + " ON p.round_id = r.id AND p.client_id = ? WHERE r.experiment_id = ? AND r.round = ?")) {
                ps.setString(1, clientId);
                ps.setString(2, experimentId);
                ps.setInt(3, round);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new RoundSnapshot(
                            rs.getLong(1),
                            Round.State.valueOf(rs.getString(2)),
                            rs.getString(3),
                            rs.getInt(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getLong(8));
                }
            }
        });
    }

    /** True when an update of this client was already accepted for the round. */
    @Transactional
    public boolean acceptedExists(String experimentId, int round, String clientId) {
        return exists(
                "SELECT 1 FROM aggregator.client_update WHERE experiment_id = ? AND round = ? AND client_id = ?",
                ps -> {
                    ps.setString(1, experimentId);
                    ps.setInt(2, round);
                    ps.setString(3, clientId);
                });
    }

    /** True when this Kafka record already completed an accepted update (a redelivery). */
    @Transactional
    public boolean acceptedRecordExists(String topic, int partition, long offset) {
        return recordExists("aggregator.client_update", topic, partition, offset);
    }

    /** True when this Kafka record was already rejected (a redelivery). */
    @Transactional
    public boolean rejectionRecordExists(String topic, int partition, long offset) {
        return recordExists("aggregator.rejection", topic, partition, offset);
    }

    private boolean recordExists(String table, String topic, int partition, long offset) {
        return exists(
                "SELECT 1 FROM " + table + " WHERE kafka_topic = ? AND kafka_partition = ? AND kafka_offset = ?",
                ps -> {
                    ps.setString(1, topic);
                    ps.setInt(2, partition);
                    ps.setLong(3, offset);
                });
    }

    /** Stores an accepted update if its round is still open and the client has none yet (one transaction). */
    @Transactional
    public InsertOutcome insertAccepted(Accepted a) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM aggregator.aggregation_round"
                    + " WHERE experiment_id = ? AND round = ? FOR SHARE")) {
                ps.setString(1, a.experimentId());
                ps.setInt(2, a.round());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return InsertOutcome.UNKNOWN_ROUND;
                    }
                    if (!Round.State.OPEN.name().equals(rs.getString(1))) {
                        return InsertOutcome.STALE_ROUND;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO aggregator.client_update (experiment_id, round,"
                    + " client_id, selection_id, model_version, num_samples, train_loss, initial_loss, train_millis,"
                    + " bytes_received, bytes_up, payload_sha256, payload, kafka_topic, kafka_partition, kafka_offset)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                int i = 1;
                ps.setString(i++, a.experimentId());
                ps.setInt(i++, a.round());
                ps.setString(i++, a.clientId());
                ps.setString(i++, a.selectionId());
                ps.setLong(i++, a.modelVersion());
                ps.setInt(i++, a.numSamples());
                ps.setDouble(i++, a.trainLoss());
                if (a.initialLoss() == null) {
                    ps.setNull(i++, Types.DOUBLE);
                } else {
                    ps.setDouble(i++, a.initialLoss());
                }
                ps.setLong(i++, a.trainMillis());
                ps.setLong(i++, a.bytesReceived());
                ps.setLong(i++, a.bytesUp());
                ps.setString(i++, a.payloadSha256());
                ps.setBytes(i++, a.payload());
                ps.setString(i++, a.topic());
                ps.setInt(i++, a.partition());
                ps.setLong(i, a.offset());
                return ps.executeUpdate() == 1 ? InsertOutcome.ACCEPTED : InsertOutcome.DUPLICATE;
            }
        });
    }

    /** Records a rejection. */
    @Transactional
    public void insertRejection(Rejection r) {
        try {
            r.persist();
            Rejection.getEntityManager().flush();
        } catch (RuntimeException e) {
            throw new TransientFailure("could not store a rejection: " + e.getMessage(), e);
        }
    }

    /** The accepted updates of a round, without blobs, by client id. */
    @Transactional
    public List<UpdateMeta> metas(String experimentId, int round) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, client_id, selection_id, num_samples,"
                    + " train_loss, initial_loss, bytes_received, bytes_up FROM aggregator.client_update"
                    + " WHERE experiment_id = ? AND round = ? ORDER BY client_id")) {
                ps.setString(1, experimentId);
                ps.setInt(2, round);
                List<UpdateMeta> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double il = rs.getDouble(6);
                        Double initial = rs.wasNull() ? null : il;
                        out.add(new UpdateMeta(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getInt(4),
                                rs.getDouble(5),
                                initial,
                                rs.getLong(7),
                                rs.getLong(8)));
                    }
                }
                return out;
            }
        });
    }

    /** The stored blob of one accepted update. */
    @Transactional
    public byte[] payload(long updateId) {
        return jdbc(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT payload FROM aggregator.client_update WHERE id = ?")) {
                ps.setLong(1, updateId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("update " + updateId + " vanished");
                    }
                    return rs.getBytes(1);
                }
            }
        });
    }

    /** Number of accepted updates of a round. */
    @Transactional
    public int count(String experimentId, int round) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM aggregator.client_update WHERE experiment_id = ? AND round = ?")) {
                ps.setString(1, experimentId);
                ps.setInt(2, round);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean exists(String sql, Binder binder) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private <T> T jdbc(Sql<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new TransientFailure("database: " + e.getMessage(), e);
        }
    }
}
