package io.afd.services.common.service;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a failure that goes away when the database returns (a restart, a failover, a network cut) from one that
 * will not (a bug, a constraint, bad data): the first is retried, the second is reported.
 */
public final class DatabaseOutage {
    private DatabaseOutage() {}

    /**
     * Whether {@code t} or one of its causes says the database could not be reached: a transient or recoverable
     * {@link SQLException}, an SQL state of class 08 (connection exception) or 57P (operator intervention: admin
     * shutdown, crash shutdown, cannot connect now), or the pool's "Unable to acquire JDBC Connection".
     */
    public static boolean isOutage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientException || c instanceof SQLRecoverableException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P")) {
                    return true;
                }
            }
            String name = c.getClass().getName();
            if (name.equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && m.contains("Unable to acquire JDBC Connection")) {
                return true;
            }
        }
        return false;
    }
}
