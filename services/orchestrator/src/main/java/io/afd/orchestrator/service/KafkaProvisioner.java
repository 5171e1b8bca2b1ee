package io.afd.orchestrator.service;

import io.afd.kafka.Grants;
import io.afd.kafka.KafkaAccess;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.protocol.Topics;
import io.afd.services.common.config.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServerErrorException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gives an enrolling client its Kafka access (ADR 0017): its own task topic {@code afd.tasks.<id>}, a SCRAM login
 * with a new random password (shown once, in the enrolment answer; Kafka keeps only its salted hash) and the ACLs
 * of {@link Grants#forClient}. Revoking a client's last key removes the login. It logs in as the orchestrator's own
 * principal ({@code afd-orchestrator}), whose grants allow exactly this.
 */
@ApplicationScoped
public class KafkaProvisioner {
    private static final Logger LOG = Logger.getLogger(KafkaProvisioner.class);

    /** What a client needs to reach its tasks, as the enrolment answer carries it. */
    public record EdgeKafka(
            String bootstrapServers,
            String securityProtocol,
            String saslMechanism,
            String username,
            String password,
            String tasksTopic,
            String groupId,
            String updatesTopic) {}

    private final Optional<String> edgeBootstrap;
    private KafkaConnection connection;
    private KafkaAccess access;

    public KafkaProvisioner(io.afd.orchestrator.config.OrchestratorConfig config) {
        this.edgeBootstrap = config.edgeKafkaBootstrap().filter(s -> !s.isBlank());
    }

    private synchronized KafkaAccess access() {
        if (access == null) {
            connection = KafkaSettings.connection()
                    .orElseThrow(() -> new IllegalStateException(
                            "kafka.bootstrap.servers is not set: the orchestrator gives clients their Kafka access"));
            access = KafkaAccess.open(connection);
        }
        return access;
    }

    /**
     * Creates (or renews) client {@code clientId}'s access; a new call replaces the earlier password.
     *
     * @throws ServerErrorException 503 when Kafka cannot be reached or refuses, with the reason
     */
    public EdgeKafka provision(String clientId) {
        try {
            KafkaAccess a = access();
            KafkaLogin login = a.provisionClient(clientId);
            LOG.infof(
                    "client %s: Kafka %s",
                    clientId, login == null ? "task topic created (insecure broker)" : "login set");
            return new EdgeKafka(
                    edgeBootstrap.orElse(connection.bootstrapServers()),
                    connection.securityProtocol(),
                    login == null ? null : login.mechanism(),
                    login == null ? null : login.username(),
                    login == null ? null : login.password(),
                    Topics.clientTasksTopic(clientId),
                    Grants.clientGroup(clientId),
                    Topics.UPDATES);
        } catch (RuntimeException e) {
            throw new ServerErrorException(
                    "cannot give client " + clientId + " its Kafka access: " + e.getMessage(),
                    Response.Status.SERVICE_UNAVAILABLE,
                    e);
        }
    }

    /** Removes a client's Kafka login; false (logged) when Kafka cannot be told. */
    public boolean removeLogin(String clientId) {
        try {
            KafkaAccess a = access();
            if (a.isSecure()) {
                a.removeLogin(clientId);
                LOG.infof("client %s: Kafka login removed", clientId);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("client %s: its Kafka login could not be removed (%s); remove it by hand", clientId, e);
            return false;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (access != null) {
            access.close();
        }
    }
}
