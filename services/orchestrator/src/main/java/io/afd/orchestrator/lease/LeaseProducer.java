package io.afd.orchestrator.lease;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The orchestrator's {@link Leadership}: an advisory lock on the services' database, or solo when turned off. */
@ApplicationScoped
public class LeaseProducer {
    private static final Logger LOG = Logger.getLogger(LeaseProducer.class);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres")
    String username;

    /** Optional: an empty value (trust authentication) is no value to MicroProfile Config. */
    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> password;

    @Produces
    @ApplicationScoped
    Leadership leadership(LeaseConfig config) {
        if (!config.enabled()) {
            LOG.warn("leader election is off (afd.orchestrator.leader-election.enabled=false): run exactly one"
                    + " orchestrator replica, or two would both drive every experiment");
            return Leadership.solo();
        }
        String replica = config.replica().orElseGet(LeaseProducer::hostName);
        return new AdvisoryLockLease(
                () -> {
                    Properties p = new Properties();
                    p.setProperty("user", username);
                    p.setProperty("password", password.orElse(""));
                    p.setProperty("ApplicationName", "afd-orchestrator-lease " + replica);
                    p.setProperty("tcpKeepAlive", "true");
                    p.setProperty("connectTimeout", "5");
                    p.setProperty("socketTimeout", "15");
                    return DriverManager.getConnection(url, p);
                },
                config.key(),
                config.check(),
                replica,
                Clock.systemUTC());
    }

    void release(@Disposes Leadership leadership) {
        if (leadership instanceof AdvisoryLockLease lease) {
            lease.close();
        }
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "/"
                    + ProcessHandle.current().pid();
        } catch (UnknownHostException e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }
}
