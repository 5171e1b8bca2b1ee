package io.afd.orchestrator.lease;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The round driver's lease as a PostgreSQL session-level advisory lock ({@code pg_try_advisory_lock}), held on a
 * connection of its own for as long as this replica leads. PostgreSQL releases the lock when that session ends,
 * so a replica that crashes, is SIGKILLed or loses its connection hands the lease on: another replica's next
 * {@link #leads()} takes it. The leader checks its session at most every {@code checkEvery}; a session found
 * dead means the lease is lost at once (another replica may hold it already).
 *
 * <p>There is no fencing token: between a leader losing its session and noticing (at most {@code checkEvery})
 * the old and the new leader may both take a step. Every step of the round loop is idempotent and every peer call
 * is idempotent per round, so such an overlap repeats work and changes no result (ADR 0019).
 */
public final class AdvisoryLockLease implements Leadership, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdvisoryLockLease.class);

    /** Opens the lease's own connection. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    /** The lease's store cannot be reached: whether this replica leads is unknown, so it does not. */
    public static final class LeaseUnavailable extends RuntimeException {
        LeaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Connector connector;
    private final long key;
    private final Duration checkEvery;
    private final String replica;
    private final Clock clock;
    private Connection session;
    private boolean held;
    private Instant checkedAt;
    private volatile Instant since;
    private volatile String role = "standby";
    private volatile String lastLoss;

    /**
     * @param connector  opens a connection to the database the replicas share
     * @param key        the advisory lock's key, the same for every replica of one suite
     * @param checkEvery how often a leader checks that its session (and so its lock) is alive
     * @param replica    this replica's name, for logs and health
     */
    public AdvisoryLockLease(Connector connector, long key, Duration checkEvery, String replica, Clock clock) {
        this.connector = connector;
        this.key = key;
        this.checkEvery = checkEvery;
        this.replica = replica;
        this.clock = clock;
        this.since = clock.instant();
    }

    @Override
    public synchronized boolean leads() {
        Instant now = clock.instant();
        try {
            if (held) {
                if (Duration.between(checkedAt, now).compareTo(checkEvery) >= 0) {
                    if (!session.isValid(5)) {
                        throw new SQLException("the lease's session is gone");
                    }
                    checkedAt = now;
                }
                return true;
            }
            if (session == null || session.isClosed()) {
                session = connector.open();
            }
            try (Statement st = session.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
                rs.next();
                held = rs.getBoolean(1);
            }
            if (held) {
                checkedAt = now;
                since = now;
                role = "leader";
                LOG.infof("replica %s leads the round driver (advisory lock %d)", replica, key);
            } else if (!"standby".equals(role)) {
                role = "standby";
                since = now;
            }
            return held;
        } catch (SQLException | RuntimeException e) {
            boolean wasLeader = held;
            drop();
            role = "standby";
            since = now;
            if (wasLeader) {
                lastLoss = now + ": " + e.getMessage();
                LOG.warnf("replica %s lost the round driver's lease: %s", replica, e.getMessage());
            }
            throw new LeaseUnavailable(
                    "cannot reach the round driver's lease (advisory lock " + key + "): " + e.getMessage(), e);
        }
    }

    private void drop() {
        held = false;
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // the session is being dropped anyway
            }
            session = null;
        }
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("roleSince", since.toString());
        m.put("replica", replica);
        m.put("lease", "pg advisory lock " + key);
        if (lastLoss != null) {
            m.put("lastLeaseLoss", lastLoss);
        }
        return m;
    }

    /** Gives the lease up (shutdown): a standby takes it on its next tick instead of after a timeout. */
    @Override
    public synchronized void close() {
        if (held) {
            LOG.infof("replica %s gives up the round driver's lease", replica);
            // release explicitly: closing the connection alone frees the lock only once the backend has exited,
            // which is asynchronous, so a standby asking right after could still find it taken
            try (Statement st = session.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_advisory_unlock(" + key + ")")) {
                rs.next();
            } catch (SQLException e) {
                LOG.debugf("replica %s: explicit unlock failed (%s); the session's end releases it", replica, e);
            }
        }
        drop();
        role = "standby";
    }
}
