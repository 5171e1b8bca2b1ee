package io.afd.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.protocol.Topics;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACL layout, as data (the broker enforcing it is tested in afd-infra's KafkaAclIT). */
class GrantsTest {

    private static Set<String> render(List<AclBinding> acls) {
        return acls.stream()
                .map(a -> a.entry().principal() + " " + a.entry().permissionType() + " "
                        + a.entry().operation() + " " + a.pattern().resourceType() + ":"
                        + a.pattern().patternType() + ":" + a.pattern().name())
                .collect(Collectors.toSet());
    }

    @Test
    void aClientReadsOnlyItsOwnTasksInItsOwnGroupAndWritesUpdates() {
        assertEquals(
                Set.of(
                        "User:client-7 ALLOW READ TOPIC:LITERAL:afd.tasks.client-7",
                        "User:client-7 ALLOW DESCRIBE TOPIC:LITERAL:afd.tasks.client-7",
                        "User:client-7 ALLOW READ GROUP:LITERAL:afd.edge.client-7",
                        "User:client-7 ALLOW WRITE TOPIC:LITERAL:afd.updates",
                        "User:client-7 ALLOW DESCRIBE TOPIC:LITERAL:afd.updates"),
                render(Grants.forClient("client-7")));
        assertEquals("afd.edge.client-7", Grants.clientGroup("client-7"));
    }

    @Test
    void nothingIsGrantedToEveryoneOrByWildcardAndNothingIsDenied() {
        for (ServiceAccount a : ServiceAccount.values()) {
            for (AclBinding b : Grants.forService(a)) {
                assertEquals("User:" + a.principal(), b.entry().principal());
                assertEquals(AclPermissionType.ALLOW, b.entry().permissionType());
                assertFalse(b.pattern().name().equals("*"), b.toString());
                assertFalse(b.entry().operation() == AclOperation.ALL, b.toString());
            }
        }
    }

    @Test
    void onlyTheOrchestratorTouchesTheClusterAndOnlyThePackagerWritesTasks() {
        for (ServiceAccount a : ServiceAccount.values()) {
            boolean cluster =
                    Grants.forService(a).stream().anyMatch(b -> b.pattern().resourceType() == ResourceType.CLUSTER);
            assertEquals(a == ServiceAccount.ORCHESTRATOR, cluster, a.toString());
            boolean writesTasks = Grants.forService(a).stream()
                    .anyMatch(b -> b.entry().operation() == AclOperation.WRITE
                            && b.pattern().patternType() == PatternType.PREFIXED
                            && b.pattern().name().equals(Topics.CLIENT_TASKS_PREFIX));
            assertEquals(a == ServiceAccount.PACKAGER, writesTasks, a.toString());
        }
    }

    @Test
    void serviceNamesAndTheSuperUserAreNoClientIds() {
        assertThrows(IllegalArgumentException.class, () -> Grants.forClient("afd-aggregator"));
        assertThrows(IllegalArgumentException.class, () -> Grants.forClient("admin"));
        assertThrows(IllegalArgumentException.class, () -> Grants.forClient("bad id"));
        assertEquals(ServiceAccount.SCORE_MAP, ServiceAccount.of("score-map"));
        assertTrue(ServiceAccount.reserved("afd-orchestrator"));
    }

    @Test
    void loginsRefuseCharactersThatWouldBreakTheJaasLine() {
        assertThrows(IllegalArgumentException.class, () -> KafkaLogin.scram("a", "pass\"word"));
        assertThrows(IllegalArgumentException.class, () -> KafkaLogin.scram("a", "back\\slash"));
        assertThrows(IllegalArgumentException.class, () -> KafkaLogin.scram("a,b", "x"));
        assertThrows(IllegalArgumentException.class, () -> KafkaLogin.scram("a", ""));
        KafkaLogin l = KafkaLogin.scram("client-1", "s3cret");
        assertEquals(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"client-1\""
                        + " password=\"s3cret\";",
                l.jaasConfig());
        assertFalse(l.toString().contains("s3cret"));
        var props = KafkaConnection.scram("127.0.0.1:9092", l).clientProperties();
        assertEquals("SASL_PLAINTEXT", props.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
        assertFalse(KafkaConnection.insecure("h:1").clientProperties().containsKey("sasl.jaas.config"));
        assertThrows(IllegalArgumentException.class, () -> new KafkaConnection("h:1", "SASL_SSL", null, null));
    }
}
