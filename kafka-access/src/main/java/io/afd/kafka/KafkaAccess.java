package io.afd.kafka;

import io.afd.protocol.Secrets;
import io.afd.protocol.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Admin API calls that give principals their access ({@link Grants}): SCRAM logins, ACLs and the per-client
 * task topics. Every call is idempotent and waits at most {@link #TIMEOUT_SECONDS} s; a failure says which call and
 * why ({@link KafkaAccessException}).
 *
 * <pre>{@code
 * try (KafkaAccess access = KafkaAccess.open(adminConnection)) {
 *     KafkaLogin client = access.provisionClient("client-7");   // topic afd.tasks.client-7, login, ACLs
 *     access.removeLogin("client-7");                          // revocation: the next connection is refused
 * }
 * }</pre>
 */
public final class KafkaAccess implements AutoCloseable {
    /** The brokers' super user ({@code super.users=User:admin}): the brokers themselves and the installer. */
    public static final String SUPER_USER = "admin";

    public static final int TIMEOUT_SECONDS = 30;
    /** SCRAM iterations for new logins (Kafka's minimum is 4096). */
    public static final int SCRAM_ITERATIONS = 8192;

    private final KafkaConnection connection;
    private final Admin admin;

    private KafkaAccess(KafkaConnection connection) {
        this.connection = connection;
        Map<String, Object> config = connection.clientProperties();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "afd-kafka-access");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        this.admin = Admin.create(config);
    }

    /** Opens an Admin client with a login that may manage access (the super user, or the orchestrator's). */
    public static KafkaAccess open(KafkaConnection connection) {
        return new KafkaAccess(connection);
    }

    /** A new random password: 256 bits as 43 base64url characters. */
    public static String newPassword() {
        return Secrets.newSecret();
    }

    /** Whether the broker authenticates (with an insecure broker there are no logins or ACLs to manage). */
    public boolean isSecure() {
        return connection.isSecure();
    }

    /**
     * Gives client {@code clientId} its access: its task topic {@code afd.tasks.<clientId>} (one partition), a new
     * SCRAM login (replacing an earlier one) and its ACLs. On an insecure broker only the topic is created, and the
     * answer is null.
     */
    public KafkaLogin provisionClient(String clientId) {
        List<org.apache.kafka.common.acl.AclBinding> grants = Grants.forClient(clientId);
        createTopics(List.of(
                new NewTopic(Topics.clientTasksTopic(clientId), java.util.Optional.of(1), java.util.Optional.empty())));
        if (!isSecure()) {
            return null;
        }
        KafkaLogin login = KafkaLogin.scram(clientId, newPassword());
        setPassword(login);
        grant(grants);
        return login;
    }

    /** Gives a service its login (a new password, replacing an earlier one) and ACLs. */
    public KafkaLogin provisionService(ServiceAccount account) {
        KafkaLogin login = KafkaLogin.scram(account.principal(), newPassword());
        setPassword(login);
        grant(Grants.forService(account));
        return login;
    }

    /** Creates or replaces a SCRAM login. */
    public void setPassword(KafkaLogin login) {
        ScramMechanism m = ScramMechanism.fromMechanismName(login.mechanism());
        await(
                "set the SCRAM login of " + login.username(),
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                login.username(), new ScramCredentialInfo(m, SCRAM_ITERATIONS), login.password())))
                        .all());
    }

    /**
     * Removes a user's SCRAM login (idempotent): new connections as that user are refused, and open ones when they
     * next re-authenticate ({@code connections.max.reauth.ms} on the broker).
     */
    public void removeLogin(String username) {
        try {
            await(
                    "remove the SCRAM login of " + username,
                    admin.alterUserScramCredentials(
                                    List.of(new UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512)))
                            .all());
        } catch (KafkaAccessException e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) {
                throw e;
            }
        }
    }

    /** Adds ACLs (an existing identical ACL is left as it is). */
    public void grant(Collection<AclBinding> acls) {
        await("create ACLs " + acls, admin.createAcls(acls).all());
    }

    /** Creates topics; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        var results = admin.createTopics(topics).values();
        for (var e : results.entrySet()) {
            try {
                await("create topic " + e.getKey(), e.getValue());
            } catch (KafkaAccessException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw ex;
                }
            }
        }
    }

    /** The Admin client, for what this class does not wrap. */
    public Admin admin() {
        return admin;
    }

    private static <T> T await(String what, KafkaFuture<T> f) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaAccessException("cannot " + what + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new KafkaAccessException("cannot " + what + ": no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAccessException("interrupted while trying to " + what, e);
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }

    /** A failed Admin call, with the call and the broker's reason in its message. */
    public static final class KafkaAccessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
