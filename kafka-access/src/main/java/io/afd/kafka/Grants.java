package io.afd.kafka;

import io.afd.protocol.Ids;
import io.afd.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The suite's ACLs, the one place that says who may do what on Kafka (ADR 0017). The brokers run KRaft's {@code
 * StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}: what is not granted here is refused.
 *
 * <table>
 * <caption>Principals and their grants</caption>
 * <tr><th>principal</th><th>grants</th></tr>
 * <tr><td>client {@code c}</td><td>read {@code afd.tasks.c}, in group {@code afd.edge.c} only; write {@code
 * afd.updates}</td></tr>
 * <tr><td>{@code afd-packager}</td><td>write topics prefixed {@code afd.tasks.}</td></tr>
 * <tr><td>{@code afd-aggregator}</td><td>read {@code afd.updates} in groups prefixed {@code afd-aggregator}; write
 * {@code afd.rounds}, {@code afd.dead-letter}</td></tr>
 * <tr><td>{@code afd-score-map}</td><td>read {@code afd.rounds} in groups prefixed {@code afd-score-map}; write
 * {@code afd.dead-letter}</td></tr>
 * <tr><td>{@code afd-orchestrator}</td><td>create topics prefixed {@code afd.tasks.}; alter and describe the cluster
 * (SCRAM logins and ACLs of clients)</td></tr>
 * </table>
 *
 * Kafka cannot scope "alter SCRAM logins and ACLs" to some principals: the orchestrator's grant is the power to
 * manage access, as Strimzi's user operator has it, and its login is guarded like an administrator's.
 */
public final class Grants {
    /** Prefix of the consumer group of client {@code c}: {@code afd.edge.c}. */
    public static final String EDGE_GROUP_PREFIX = "afd.edge.";

    public static final String AGGREGATOR_GROUP = "afd-aggregator";
    public static final String SCORE_MAP_GROUP = "afd-score-map";

    /** The name of Kafka's one cluster resource. */
    static final String CLUSTER = "kafka-cluster";

    private Grants() {}

    /** The consumer group an edge client must use: {@code afd.edge.<clientId>}. */
    public static String clientGroup(String clientId) {
        return EDGE_GROUP_PREFIX + Ids.require(clientId, "client id");
    }

    /** What client {@code clientId} may do: read its own task topic in its own group, and write updates. */
    public static List<AclBinding> forClient(String clientId) {
        Ids.require(clientId, "client id");
        if (ServiceAccount.reserved(clientId)) {
            throw new IllegalArgumentException("'" + clientId + "' is a service's Kafka principal, not a client id");
        }
        String p = principal(clientId);
        List<AclBinding> g = new ArrayList<>();
        allow(g, p, ResourceType.TOPIC, Topics.clientTasksTopic(clientId), PatternType.LITERAL, AclOperation.READ);
        allow(g, p, ResourceType.TOPIC, Topics.clientTasksTopic(clientId), PatternType.LITERAL, AclOperation.DESCRIBE);
        allow(g, p, ResourceType.GROUP, clientGroup(clientId), PatternType.LITERAL, AclOperation.READ);
        allow(g, p, ResourceType.TOPIC, Topics.UPDATES, PatternType.LITERAL, AclOperation.WRITE);
        allow(g, p, ResourceType.TOPIC, Topics.UPDATES, PatternType.LITERAL, AclOperation.DESCRIBE);
        return List.copyOf(g);
    }

    /** What a service may do. */
    public static List<AclBinding> forService(ServiceAccount account) {
        String p = principal(account.principal());
        List<AclBinding> g = new ArrayList<>();
        switch (account) {
            case AGGREGATOR -> {
                read(g, p, Topics.UPDATES, AGGREGATOR_GROUP);
                write(g, p, Topics.ROUNDS, PatternType.LITERAL);
                write(g, p, Topics.DEAD_LETTER, PatternType.LITERAL);
            }
            case SCORE_MAP -> {
                read(g, p, Topics.ROUNDS, SCORE_MAP_GROUP);
                write(g, p, Topics.DEAD_LETTER, PatternType.LITERAL);
            }
            case PACKAGER -> write(g, p, Topics.CLIENT_TASKS_PREFIX, PatternType.PREFIXED);
            case ORCHESTRATOR -> {
                allow(g, p, ResourceType.TOPIC, Topics.CLIENT_TASKS_PREFIX, PatternType.PREFIXED, AclOperation.CREATE);
                allow(
                        g,
                        p,
                        ResourceType.TOPIC,
                        Topics.CLIENT_TASKS_PREFIX,
                        PatternType.PREFIXED,
                        AclOperation.DESCRIBE);
                allow(g, p, ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.ALTER);
                allow(g, p, ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.DESCRIBE);
            }
        }
        return List.copyOf(g);
    }

    /** {@code User:<name>}. */
    public static String principal(String name) {
        return "User:" + name;
    }

    private static void read(List<AclBinding> g, String p, String topic, String groupPrefix) {
        allow(g, p, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ);
        allow(g, p, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE);
        allow(g, p, ResourceType.GROUP, groupPrefix, PatternType.PREFIXED, AclOperation.READ);
    }

    private static void write(List<AclBinding> g, String p, String topic, PatternType type) {
        allow(g, p, ResourceType.TOPIC, topic, type, AclOperation.WRITE);
        allow(g, p, ResourceType.TOPIC, topic, type, AclOperation.DESCRIBE);
    }

    private static void allow(
            List<AclBinding> g,
            String principal,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation op) {
        g.add(new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
    }
}
