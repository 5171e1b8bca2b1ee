package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What a cluster admin checks in {@code deploy/k8s}, checked offline on the overlays as {@code kubectl kustomize}
 * renders them (and {@code deploy/k8s/sweep}, the Indexed Job of a sharded sweep): every document is valid
 * against the Kubernetes API schemas and the Strimzi, CloudNativePG and Prometheus Operator CRD schemas ({@code deploy/k8s/validate}, which must also refuse broken documents); every
 * Deployment runs non-root with a read-only root file system, no capabilities and no privilege escalation, has
 * memory requests and limits, and startup, readiness and liveness probes on the management port; every service has a
 * PodDisruptionBudget, its own database role and a scraped metrics endpoint; ingress is denied by default and each
 * Service port is allowed from the suite's pods.
 *
 * <p>Needs {@code kubectl} (Debian's kubernetes-client), {@code node} and {@code npm}; {@code .ci/run} installs them.
 */
class DeployManifestsTest {
    private static final List<String> SERVICES =
            List.of("model-registry", "score-map", "packager", "aggregator", "orchestrator");

    private static Path k8s() {
        return Layout.repoRoot().orElseThrow().resolve("deploy/k8s");
    }

    private static String run(Path dir, Duration limit, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("afd-k8s-", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + limit);
            }
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + text);
            return text;
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + command[0] + " (install kubectl from kubernetes-client, node and npm): " + e, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** An overlay (or {@code ../sweep}) as kubectl renders it. */
    private static String render(String overlay) throws IOException, InterruptedException {
        return run(k8s(), Duration.ofMinutes(1), "kubectl", "kustomize", "overlays/" + overlay);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> docs(String overlay) throws IOException, InterruptedException {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object d : new Yaml().loadAll(render(overlay))) {
            if (d != null) {
                all.add((Map<String, Object>) d);
            }
        }
        return all;
    }

    private static List<Map<String, Object>> production() throws IOException, InterruptedException {
        return docs("production");
    }

    /** The validator and its schemas from npm, installed once into target/k8s-validate. */
    private static Path validator() throws IOException, InterruptedException {
        Path dir = Path.of("target", "k8s-validate").toAbsolutePath();
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "validate.mjs")) {
            Files.copy(k8s().resolve("validate").resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/kubernetes-models"))) {
            run(dir, Duration.ofMinutes(5), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
        }
        return dir;
    }

    private static int validate(Path dir, Path manifests) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "validate.mjs", manifests.toString())
                .directory(dir.toFile())
                .inheritIO()
                .start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the validator did not finish in 2 minutes");
        return p.exitValue();
    }

    @Test
    void bothOverlaysAreValidAgainstTheKubernetesAndOperatorSchemas() throws Exception {
        Path dir = validator();
        Path rendered = dir.resolve("production.yaml");
        Files.writeString(rendered, render("production"));
        assertEquals(0, validate(dir, rendered), "the production overlay has invalid documents (see above)");
        Path local = dir.resolve("local.yaml");
        Files.writeString(local, render("local"));
        assertEquals(0, validate(dir, local), "the local overlay has invalid documents (see above)");
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, render("../sweep"));
        assertEquals(0, validate(dir, sweep), "the sweep's Indexed Job has invalid documents (see above)");

        // and the validator is not vacuous: a wrong type, a wrong enum value, a missing field, an unknown kind
        Path broken = dir.resolve("broken.yaml");
        for (String doc : List.of(
                "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: db}\nspec: {instances: three}\n",
                "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\nspec: {kafka: {listeners:"
                        + " [{name: tls, port: 9093, type: bogus, tls: true}]}}\n",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {}, template: {spec:"
                        + " {}}}\n",
                "apiVersion: example.org/v1\nkind: Widget\nmetadata: {name: w}\n")) {
            Files.writeString(broken, doc);
            assertEquals(1, validate(dir, broken), "the validator refuses:\n" + doc);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSweepIsAnIndexedJobWithOneShardPerCompletionLockedDown() throws Exception {
        Map<String, Object> job = docs("../sweep").stream()
                .filter(d -> "Job".equals(d.get("kind")))
                .findFirst()
                .orElseThrow();
        assertEquals("Indexed", at(job, "spec", "completionMode"));
        Map<String, Object> c = ((List<Map<String, Object>>) at(job, "spec", "template", "spec", "containers")).get(0);
        List<Object> args = (List<Object>) c.get("args");
        String shard = String.valueOf(args.get(args.indexOf("--shard") + 1));
        assertEquals(
                "$(JOB_COMPLETION_INDEX)/" + at(job, "spec", "completions"),
                shard,
                "--shard counts as many shards as the Job has completions");
        assertEquals(Boolean.TRUE, at(job, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
        assertEquals(Boolean.TRUE, at(c, "securityContext", "readOnlyRootFilesystem"));
        assertNotNull(at(c, "resources", "limits", "memory"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceHasItsOwnDatabaseRoleAndItsMetricsScraped() throws Exception {
        List<Map<String, Object>> all = production();
        Map<String, Object> cluster = all.stream()
                .filter(d -> "Cluster".equals(d.get("kind")))
                .findFirst()
                .orElseThrow();
        Set<String> roleSecrets = new HashSet<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) at(cluster, "spec", "managed", "roles")) {
            roleSecrets.add(at(r, "passwordSecret", "name"));
        }
        Set<String> metricsServices = new HashSet<>();
        boolean monitor = false;
        for (Map<String, Object> d : all) {
            if ("Deployment".equals(d.get("kind"))) {
                String name = at(d, "metadata", "name");
                String secret = null;
                Map<String, Object> c =
                        ((List<Map<String, Object>>) at(d, "spec", "template", "spec", "containers")).get(0);
                for (Map<String, Object> e : (List<Map<String, Object>>) c.get("env")) {
                    if ("AFD_DB_USER".equals(e.get("name"))) {
                        secret = at(e, "valueFrom", "secretKeyRef", "name");
                    }
                }
                assertEquals("afd-db-" + name, secret, name + " logs in to PostgreSQL as its own role");
                assertTrue(roleSecrets.contains(secret), "CloudNativePG manages the role of " + name);
            }
            if ("Service".equals(d.get("kind"))
                    && "metrics".equals(at(d, "metadata", "labels", "app.kubernetes.io/component"))) {
                metricsServices.add(at(d, "spec", "selector", "app.kubernetes.io/name"));
            }
            if ("ServiceMonitor".equals(d.get("kind"))) {
                monitor = "metrics".equals(at(d, "spec", "selector", "matchLabels", "app.kubernetes.io/component"));
            }
        }
        assertEquals(Set.copyOf(SERVICES), metricsServices, "a metrics Service per service");
        assertTrue(monitor, "a ServiceMonitor selects the metrics Services");
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
    void everyDeploymentIsLockedDownProbedAndBounded() throws Exception {
        int deployments = 0;
        for (Map<String, Object> d : production()) {
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
    void ingressIsDeniedByDefaultAndEachServiceHasItsAllowAndABudget() throws Exception {
        List<Map<String, Object>> all = production();
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
