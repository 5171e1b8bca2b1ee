package io.afd.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes deployment's KafkaUsers ({@code deploy/k8s/overlays/production/kafka-users.yaml}) grant exactly what {@link Grants}
 * grants the services the project starts itself: one layout, written twice only in two notations.
 */
class KafkaUsersManifestTest {

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "no repository root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKafkaUsersOfTheManifestsAreTheGrants() throws IOException {
        Map<String, Set<String>> manifest = new HashMap<>();
        String text = Files.readString(repo().resolve("deploy/k8s/overlays/production/kafka-users.yaml"));
        for (Object doc : new Yaml().loadAll(text)) {
            Map<String, Object> m = (Map<String, Object>) doc;
            assertEquals("KafkaUser", m.get("kind"));
            String name = (String) ((Map<String, Object>) m.get("metadata")).get("name");
            Map<String, Object> spec = (Map<String, Object>) m.get("spec");
            assertEquals("scram-sha-512", ((Map<String, Object>) spec.get("authentication")).get("type"), name);
            Set<String> acls = new HashSet<>();
            for (Map<String, Object> acl :
                    (List<Map<String, Object>>) ((Map<String, Object>) spec.get("authorization")).get("acls")) {
                Map<String, Object> r = (Map<String, Object>) acl.get("resource");
                String type = ((String) r.get("type")).toUpperCase(Locale.ROOT);
                String resource = type.equals("CLUSTER")
                        ? "CLUSTER:LITERAL:" + Grants.CLUSTER
                        : type + ":" + ("prefix".equals(r.get("patternType")) ? "PREFIXED" : "LITERAL") + ":"
                                + r.get("name");
                for (String op : (List<String>) acl.get("operations")) {
                    acls.add(op.toUpperCase(Locale.ROOT) + " " + resource);
                }
            }
            manifest.put(name, acls);
        }
        Map<String, Set<String>> grants = new HashMap<>();
        for (ServiceAccount a : ServiceAccount.values()) {
            Set<String> acls = new HashSet<>();
            for (AclBinding b : Grants.forService(a)) {
                acls.add(b.entry().operation() + " " + b.pattern().resourceType() + ":"
                        + b.pattern().patternType() + ":" + b.pattern().name());
            }
            grants.put(a.principal(), acls);
        }
        assertEquals(grants, manifest);
    }
}
