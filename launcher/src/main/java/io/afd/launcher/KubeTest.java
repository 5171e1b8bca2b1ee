package io.afd.launcher;

import io.afd.core.codec.TensorCodec;
import io.afd.core.data.FederatedDataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import io.afd.core.sim.Simulator;
import io.afd.core.tensor.ParamSet;
import io.afd.edge.Fleet;
import io.afd.edge.KafkaEdgeRuntime;
import io.afd.edge.OrchestratorApi;
import io.afd.infra.InfraStack;
import io.afd.infra.Layout;
import io.afd.infra.auth.LocalIssuer;
import io.afd.infra.testing.StoppablePostgres;
import io.afd.kafka.KafkaAccess;
import io.afd.kafka.KafkaConnection;
import io.afd.kafka.KafkaLogin;
import io.afd.kafka.ServiceAccount;
import io.afd.protocol.SigningKey;
import io.afd.protocol.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code bin/afd kube-test}: the Kubernetes manifests proven by running them on this machine. The images
 * {@code bin/afd images} pushed to the loopback registry run as {@code podman kube play} renders of
 * {@code deploy/k8s/overlays/local}, with a Kafka broker and PostgreSQL from the project's infrastructure standing in
 * for the Strimzi and CloudNativePG operators. An experiment runs with a fleet of edge clients on the host; while
 * its round 1 collects, the aggregator's pod is deleted and, as a Deployment controller would, created again; the
 * run must complete with the in-process simulator's final model, bit for bit. Prints the time of each stage.
 *
 * <p>What stands in for the cluster: podman runs the pods (host network: it has no Services or cluster DNS), this
 * class creates the Secrets in podman's secret store (podman 4.3 reads {@code secretKeyRef} from a flat JSON map
 * there, and writes secret volumes double-encoded, so the files the base mounts from Secrets, the service tokens and
 * the OIDC key set, come from host paths), creates the shared topics and the services' Kafka logins (the Topic and
 * User Operators' work), and recreates the deleted pod.
 */
public final class KubeTest {
    /** The experiment: small, chunk-free, stateful DGC (the fault matrix's). */
    static final String YAML = FaultMatrix.YAML.replace("name: fault-matrix", "name: kube-test");

    private static final List<String> SERVICES =
            List.of("model-registry", "score-map", "packager", "aggregator", "orchestrator");
    private static final Map<String, Integer> PORTS = Map.of(
            "orchestrator", 8080, "model-registry", 8081, "score-map", 8082, "packager", 8083, "aggregator", 8084);
    private static final int MANAGEMENT_OFFSET = 1000;
    /** The services that call their peers, each with its own token (ADR 0016), mounted from Secret afd-token-*. */
    private static final List<String> CALLERS = List.of("packager", "aggregator", "orchestrator");

    private final Path repo;
    private final Path dir;
    private final String registry;
    private final String tag;
    private final Map<String, Double> stages = new LinkedHashMap<>();
    private final Map<String, String> env = new TreeMap<>();
    private long stageStart = System.nanoTime();

    private KubeTest(Path repo, Path dir, String registry, String tag) {
        this.repo = repo;
        this.dir = dir;
        this.registry = registry;
        this.tag = tag;
        env.put("CONTAINERS_CONF", repo.resolve("deploy/podman/containers.conf").toString());
    }

    private void stage(String name) {
        long now = System.nanoTime();
        double s = (now - stageStart) / 1e9;
        stages.put(name, s);
        stageStart = now;
        System.err.printf(Locale.ROOT, "kube-test: %-44s %6.1f s%n", name, s);
    }

    /** Runs a command, fails with its output if it fails. */
    private String run(Duration limit, String stdin, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd-", ".out");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + limit);
        }
        String text = Files.readString(out);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
        }
        return text;
    }

    private static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use: the local overlay's pods use the host's"
                    + " network and need ports 8080-8084 and 9080-9084 (stop bin/afd up, or whatever holds it)");
        }
    }

    /** The kustomization of this run, on top of deploy/k8s/overlays/local. */
    private String kustomization(KafkaConnection kafka, String jdbcUrl, LocalIssuer issuer, Path tokens, Path render) {
        StringBuilder k = new StringBuilder();
        k.append("# written by bin/afd kube-test for one run\n");
        k.append("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
        k.append("resources:\n  - ")
                .append(render.relativize(repo.resolve("deploy/k8s/overlays/local")))
                .append('\n');
        k.append("configMapGenerator:\n  - name: afd-config\n    namespace: afd\n    behavior: merge\n    literals:\n");
        for (Map.Entry<String, String> e : Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "AFD_EDGE_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                        "AFD_JDBC_URL", jdbcUrl,
                        "AFD_OIDC_ISSUER", issuer.issuer(),
                        "AFD_OIDC_AUDIENCE", issuer.audience(),
                        "AFD_OIDC_JWKS",
                                "file:/etc/afd/oidc/" + issuer.jwksFile().getFileName())
                .entrySet()) {
            k.append("      - ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue())
                    .append('\n');
        }
        k.append("images:\n");
        for (String s : SERVICES) {
            k.append("  - {name: afd-suite/")
                    .append(s)
                    .append(", newName: ")
                    .append(registry)
                    .append("/afd-suite/")
                    .append(s)
                    .append(", newTag: \"")
                    .append(tag)
                    .append("\"}\n");
        }
        k.append("patches:\n");
        for (String s : SERVICES) {
            List<String> lines = new ArrayList<>(List.of(
                    "apiVersion: apps/v1",
                    "kind: Deployment",
                    "metadata: {name: " + s + ", namespace: afd}",
                    "spec:",
                    "  template:",
                    "    spec:",
                    "      volumes:",
                    "        - name: oidc",
                    "          hostPath: {path: " + issuer.jwksFile().getParent() + ", type: Directory}"));
            if (CALLERS.contains(s)) {
                lines.addAll(List.of(
                        "        - name: service-token",
                        "          secret: null",
                        "          hostPath: {path: " + tokens.resolve(s) + ", type: Directory}"));
            }
            k.append("  - patch: |-\n");
            for (String line : lines) {
                k.append("      ").append(line).append('\n');
            }
        }
        return k.toString();
    }

    /** podman's secret store, as podman 4.3's kube play reads it: a flat JSON map of base64 values. */
    private void createSecret(String name, Map<String, String> data) throws IOException, InterruptedException {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> e : data.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"')
                    .append(e.getKey())
                    .append("\":\"")
                    .append(Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
                    .append('"');
        }
        json.append('}');
        try {
            run(Duration.ofSeconds(30), null, "podman", "secret", "rm", name);
        } catch (IllegalStateException absent) {
            // none yet
        }
        run(Duration.ofSeconds(30), json.toString(), "podman", "secret", "create", name, "-");
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void awaitReady(List<String> services, Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        List<String> waiting = new ArrayList<>(services);
        while (!waiting.isEmpty()) {
            waiting.removeIf(s ->
                    status(http, "http://127.0.0.1:" + (PORTS.get(s) + MANAGEMENT_OFFSET) + "/q/health/ready") == 200);
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(
                        "not ready after " + limit + ": " + waiting + " (podman logs <service>-pod-0-<service>)");
            }
            Thread.sleep(500);
        }
    }

    @SuppressWarnings("unchecked")
    private int test() throws Exception {
        for (String s : SERVICES) {
            requireFree(PORTS.get(s));
            requireFree(PORTS.get(s) + MANAGEMENT_OFFSET);
        }
        Files.createDirectories(dir);
        Path pgDir = Files.createTempDirectory(dir, "postgres-");
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "kube-test");
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        ParamSet expected =
                new Simulator(cfg).run(data, new Simulator.Listener() {}).finalModel();
        Path play = dir.resolve("play.yaml");
        try (InfraStack infra =
                        InfraStack.builder(dir.resolve("infra")).postgres(null).start();
                StoppablePostgres pg = new StoppablePostgres(pgDir, "afd_kube")) {
            KafkaConnection kafka = infra.kafka().adminConnection();
            stage("Kafka and PostgreSQL (the operators' part)");

            // the Topic and User Operators' work: the shared topics, one Kafka login per service
            Map<String, KafkaLogin> logins = new LinkedHashMap<>();
            try (KafkaAccess access = KafkaAccess.open(kafka)) {
                List<NewTopic> topics = new ArrayList<>();
                for (String t : List.of(Topics.UPDATES, Topics.ROUNDS, Topics.DEAD_LETTER)) {
                    topics.add(new NewTopic(t, 3, (short) 1));
                }
                access.createTopics(topics);
                for (ServiceAccount a : ServiceAccount.values()) {
                    logins.put(a.principal(), access.provisionService(a));
                }
            }
            LocalIssuer issuer = LocalIssuer.open(dir.resolve("auth"));
            Path tokens = dir.resolve("tokens");
            for (String s : SERVICES) {
                Path t = tokens.resolve(s).resolve("token");
                Files.createDirectories(t.getParent());
                Files.writeString(t, issuer.mint(s, List.of("service:" + s), Duration.ofDays(1)));
            }
            // the containers run as user 185: let it read what is mounted from the host
            run(
                    Duration.ofSeconds(30),
                    null,
                    "chmod",
                    "-R",
                    "a+rX",
                    tokens.toString(),
                    issuer.jwksFile().getParent().toString());

            // render: the local overlay plus this run's addresses, images and host paths
            Path render = dir.resolve("render");
            Files.createDirectories(render);
            Files.writeString(
                    render.resolve("kustomization.yaml"), kustomization(kafka, pg.jdbcUrl(), issuer, tokens, render));
            String rendered = run(Duration.ofMinutes(1), null, "kubectl", "kustomize", render.toString());
            Files.writeString(play, rendered);

            // the Secrets the manifests reference, in podman's secret store
            String serverKey = SigningKey.generate().seedText();
            Map<String, Map<String, String>> secrets = new TreeMap<>();
            secrets.put("afd-server", Map.of("key", serverKey));
            for (String s : SERVICES) {
                secrets.put("afd-db-" + s, Map.of("username", pg.username(), "password", pg.password()));
            }
            for (KafkaLogin l : logins.values()) {
                secrets.put(l.username(), Map.of("password", l.password()));
            }
            Map<String, Object> deployments = new LinkedHashMap<>();
            String configMap = null;
            for (String doc : rendered.split("(?m)^---\\s*$")) {
                Map<String, Object> d = new Yaml().load(doc);
                if (d == null) {
                    continue;
                }
                if ("ConfigMap".equals(d.get("kind"))) {
                    configMap = doc;
                }
                if (!"Deployment".equals(d.get("kind"))) {
                    continue;
                }
                Map<String, Object> meta = (Map<String, Object>) d.get("metadata");
                deployments.put((String) meta.get("name"), doc);
                Map<String, Object> pod = (Map<String, Object>)
                        ((Map<String, Object>) ((Map<String, Object>) d.get("spec")).get("template")).get("spec");
                for (Map<String, Object> v : (List<Map<String, Object>>) pod.get("volumes")) {
                    if (v.containsKey("secret")) {
                        throw new IllegalStateException(meta.get("name") + " mounts Secret volume " + v.get("name")
                                + ", which podman 4.3 writes double-encoded: give kube-test a host path for it");
                    }
                }
                for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
                    for (Map<String, Object> e : (List<Map<String, Object>>) c.get("env")) {
                        Map<String, Object> from = (Map<String, Object>) e.get("valueFrom");
                        Map<String, Object> ref = from == null ? null : (Map<String, Object>) from.get("secretKeyRef");
                        if (ref != null
                                && !secrets.getOrDefault((String) ref.get("name"), Map.of())
                                        .containsKey((String) ref.get("key"))) {
                            throw new IllegalStateException(meta.get("name") + " reads Secret " + ref.get("name")
                                    + " key " + ref.get("key") + ", which kube-test does not know how to make");
                        }
                    }
                }
            }
            if (deployments.size() != SERVICES.size() || configMap == null) {
                throw new IllegalStateException("the local overlay rendered " + deployments.keySet()
                        + (configMap == null ? " and no ConfigMap" : ""));
            }
            for (Map.Entry<String, Map<String, String>> s : secrets.entrySet()) {
                createSecret(s.getKey(), s.getValue());
            }
            stage("render (kubectl kustomize) and Secrets");

            try {
                run(Duration.ofMinutes(2), null, "podman", "kube", "down", play.toString());
            } catch (IllegalStateException nothingToRemove) {
                // a clean machine
            }
            run(Duration.ofMinutes(10), null, "podman", "kube", "play", "--tls-verify=false", play.toString());
            stage("podman kube play (pulls the images)");
            awaitReady(SERVICES, Duration.ofMinutes(5));
            stage("every pod ready");

            OrchestratorApi api = new OrchestratorApi(
                    "http://127.0.0.1:" + PORTS.get("orchestrator"),
                    issuer.mint("kube-test", List.of("admin"), Duration.ofHours(2)));
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Double> recovery = new CompletableFuture<>();
            String victim = "aggregator";
            Path replay = dir.resolve("replay-" + victim + ".yaml");
            Files.writeString(replay, configMap + "\n---\n" + deployments.get(victim));
            KafkaEdgeRuntime.Listener deleter = (c, out, ms) -> {
                // round 1 collects: the run's fourth update (3 clients per round) was just sent
                if (sent.incrementAndGet() == 4) {
                    new Thread(
                                    () -> {
                                        long t0 = System.nanoTime();
                                        try {
                                            run(
                                                    Duration.ofMinutes(1),
                                                    null,
                                                    "podman",
                                                    "pod",
                                                    "rm",
                                                    "-f",
                                                    victim + "-pod-0");
                                            System.err.println("kube-test: deleted pod " + victim + "-pod-0 while"
                                                    + " round 1 collects; creating it again");
                                            run(
                                                    Duration.ofMinutes(2),
                                                    null,
                                                    "podman",
                                                    "kube",
                                                    "play",
                                                    "--tls-verify=false",
                                                    replay.toString());
                                            awaitReady(List.of(victim), Duration.ofMinutes(3));
                                            recovery.complete((System.nanoTime() - t0) / 1e9);
                                        } catch (Exception e) {
                                            recovery.completeExceptionally(e);
                                        }
                                    },
                                    "kube-test-pod-deletion")
                            .start();
                }
            };
            String status;
            boolean same;
            try (Fleet fleet = Fleet.start(data, api, null, dir.resolve("edge-keys"), deleter)) {
                String id = "kube-" + Long.toHexString(System.nanoTime() & 0xffffff);
                api.createExperiment(id, YAML, 120);
                api.action(id, "start");
                status = FaultMatrix.await(api, id, Duration.ofMinutes(8));
                double recovered = recovery.get(5, TimeUnit.MINUTES);
                System.err.printf(
                        Locale.ROOT, "kube-test: the %s pod was back and ready after %.1f s%n", victim, recovered);
                same = status.equals("COMPLETED")
                        && expected.bitEquals(new ParamSet(TensorCodec.decodeDense(FaultMatrix.latestWeights(
                                "http://127.0.0.1:" + PORTS.get("model-registry"),
                                issuer.mint("kube-test", List.of("viewer"), Duration.ofMinutes(5)),
                                id))));
            }
            stage("experiment, " + victim + " pod deleted in round 1");
            System.err.println("kube-test: experiment " + status + "; final model "
                    + (same ? "bit-identical to the in-process simulator's" : "DIFFERENT from the simulator's"));
            return status.equals("COMPLETED") && same ? 0 : 1;
        } finally {
            try {
                if (Files.exists(play)) {
                    run(Duration.ofMinutes(2), null, "podman", "kube", "down", play.toString());
                }
            } catch (Exception e) {
                System.err.println("kube-test: podman kube down failed: " + e.getMessage());
            }
            stage("tear down");
        }
    }

    /**
     * {@code KubeTest --registry HOST:PORT --tag TAG [--images-seconds S]}: bin/afd kube-test passes what
     * bin/afd images built, and how long that took.
     */
    public static void main(String[] args) throws Exception {
        String registry = "127.0.0.1:5000";
        String tag = null;
        double imagesSeconds = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--registry" -> registry = args[i + 1];
                case "--tag" -> tag = args[i + 1];
                case "--images-seconds" -> imagesSeconds = Double.parseDouble(args[i + 1]);
                default ->
                    throw new IllegalArgumentException(
                            "usage: KubeTest --registry HOST:PORT --tag TAG [--images-seconds S]");
            }
        }
        if (tag == null) {
            throw new IllegalArgumentException("usage: KubeTest --registry HOST:PORT --tag TAG");
        }
        Path repo = Layout.repoRoot().orElseThrow();
        Path dir = repo.resolve(".afd/kube-test");
        if (Files.isDirectory(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        KubeTest t = new KubeTest(repo, dir, registry, tag);
        if (imagesSeconds >= 0) {
            t.stages.put("images (bin/afd images: the base image if missing, seven images)", imagesSeconds);
        }
        int rc;
        try {
            rc = t.test();
        } catch (Exception e) {
            System.err.println("kube-test: FAILED: " + e.getMessage());
            rc = 1;
        }
        System.out.println();
        System.out.println("| stage | seconds |\n|---|---|");
        double total = 0;
        for (Map.Entry<String, Double> e : t.stages.entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), e.getValue());
            total += e.getValue();
        }
        System.out.printf(Locale.ROOT, "| total | %.1f |%n", total);
        System.out.println(rc == 0 ? "kube-test: PASSED" : "kube-test: FAILED");
        System.exit(rc);
    }
}
