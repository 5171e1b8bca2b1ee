package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What a cluster admin checks in {@code deploy/k8s}, checked offline: every Deployment runs non-root with a read-only
 * root file system, no capabilities and no privilege escalation, has memory requests and limits, and startup,
 * readiness and liveness probes on the management port; every service has a PodDisruptionBudget; ingress is denied
 * by default and each Service port is allowed from the suite's pods.
 */
class DeployManifestsTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> docs() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        Path dir = Layout.repoRoot().orElseThrow().resolve("deploy/k8s");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object d : new Yaml().loadAll(Files.readString(f))) {
                    if (d != null) {
                        all.add((Map<String, Object>) d);
                    }
                }
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            cur = cur == null ? null : ((Map<String, Object>) cur).get(p);
        }
        return (T) cur;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDeploymentIsLockedDownProbedAndBounded() throws IOException {
        int deployments = 0;
        for (Map<String, Object> d : docs()) {
            if (!"Deployment".equals(d.get("kind"))) {
                continue;
            }
            deployments++;
            String name = at(d, "metadata", "name");
            Map<String, Object> pod = at(d, "spec", "template", "spec");
            assertEquals(Boolean.TRUE, at(pod, "securityContext", "runAsNonRoot"), name);
            assertEquals("RuntimeDefault", at(pod, "securityContext", "seccompProfile", "type"), name);
            for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
                assertEquals(Boolean.TRUE, at(c, "securityContext", "readOnlyRootFilesystem"), name);
                assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"), name);
                assertEquals(List.of("ALL"), at(c, "securityContext", "capabilities", "drop"), name);
                assertNotNull(at(c, "resources", "requests", "memory"), name);
                assertNotNull(at(c, "resources", "limits", "memory"), name);
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    assertEquals("management", at(c, probe, "httpGet", "port"), name + " " + probe);
                }
                boolean tmp = ((List<Map<String, Object>>) c.get("volumeMounts"))
                        .stream().anyMatch(m -> "/tmp".equals(m.get("mountPath")));
                assertTrue(tmp, name + " has a writable /tmp on its read-only root");
            }
        }
        assertEquals(5, deployments);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ingressIsDeniedByDefaultAndEachServiceHasItsAllowAndABudget() throws IOException {
        List<Map<String, Object>> all = docs();
        Set<String> budgets = new HashSet<>();
        Map<String, List<Object>> allowedPorts = new java.util.HashMap<>();
        boolean defaultDeny = false;
        for (Map<String, Object> d : all) {
            if ("PodDisruptionBudget".equals(d.get("kind"))) {
                budgets.add(at(d, "spec", "selector", "matchLabels", "app.kubernetes.io/name"));
            }
            if ("NetworkPolicy".equals(d.get("kind"))) {
                Map<String, Object> sel = at(d, "spec", "podSelector");
                if (sel.isEmpty() && at(d, "spec", "ingress") == null) {
                    defaultDeny = true;
                    continue;
                }
                String target = at(sel, "matchLabels", "app.kubernetes.io/name");
                for (Map<String, Object> rule : (List<Map<String, Object>>) at(d, "spec", "ingress")) {
                    for (Map<String, Object> p : (List<Map<String, Object>>) rule.get("ports")) {
                        allowedPorts
                                .computeIfAbsent(target, k -> new ArrayList<>())
                                .add(p.get("port"));
                    }
                }
            }
        }
        assertTrue(defaultDeny, "a default-deny ingress policy");
        for (Map<String, Object> d : all) {
            if (!"Service".equals(d.get("kind"))) {
                continue;
            }
            String name = at(d, "spec", "selector", "app.kubernetes.io/name");
            assertTrue(budgets.contains(name), "a PodDisruptionBudget for " + name);
            for (Map<String, Object> p : (List<Map<String, Object>>) at(d, "spec", "ports")) {
                assertTrue(
                        allowedPorts.getOrDefault(name, List.of()).contains(p.get("port")),
                        "port " + p.get("port") + " of " + name + " is allowed by a NetworkPolicy");
            }
        }
    }
}
