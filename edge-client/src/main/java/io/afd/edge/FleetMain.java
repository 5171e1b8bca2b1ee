package io.afd.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.afd.core.data.FederatedDataset;
import io.afd.core.sim.DataLoader;
import io.afd.core.sim.ExperimentConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a simulated fleet against a running suite and, unless {@code --serve-only}, creates and
 * starts an experiment from a YAML config and follows it to the end with a progress line per round
 * and a summary table (accuracy, bytes per client versus dense float32 FedAvg).
 *
 * <pre>
 * FleetMain --orchestrator http://127.0.0.1:8080 --config examples/quickstart.yaml [--bootstrap HOST:PORT]
 *           --token TOKEN [--experiment-id ID] [--round-timeout 120] [--key-dir DIR] [--serve-only]
 * </pre>
 *
 * The token (or {@code AFD_TOKEN}) is an operator's bearer token with the admin role: the fleet
 * registers its clients, issues their enrolment tokens and creates the experiment ({@code bin/afd token --role admin}
 * for a local suite). Each client enrols its own Ed25519 key, kept in the key directory (default
 * {@code .afd/edge-keys}) and reused by later runs.
 *
 * <pre>
 * </pre>
 */
public final class FleetMain {
    private FleetMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the fleet (and the experiment); returns 0 when the experiment completed. */
    public static int run(String[] args) throws Exception {
        // ND4J prints graph construction notes on stdout: keep stdout for the summary table.
        java.io.PrintStream table = System.out;
        System.setOut(System.err);
        try {
            return run(parse(args), table);
        } finally {
            System.setOut(table);
        }
    }

    private static int run(Map<String, String> opt, java.io.PrintStream table) throws Exception {
        String orchestratorUrl = opt.getOrDefault("orchestrator", "http://127.0.0.1:8080");
        String bootstrap = opt.get("bootstrap"); // null: the address each client's enrolment named
        Path configFile = Path.of(require(opt, "config"));
        String yaml = Files.readString(configFile, StandardCharsets.UTF_8);
        ExperimentConfig cfg = ExperimentConfig.load(configFile);
        String expId = opt.getOrDefault(
                "experiment-id",
                cfg.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-") + "-"
                        + (System.currentTimeMillis() / 1000));
        int timeout = Integer.parseInt(opt.getOrDefault("round-timeout", "120"));

        String token = opt.getOrDefault("token", System.getenv("AFD_TOKEN"));
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a bearer token with the admin role is required: --token TOKEN or"
                    + " AFD_TOKEN (local suite: --token \"$(bin/afd token --role admin)\")");
        }
        OrchestratorApi api = new OrchestratorApi(orchestratorUrl, token);
        System.err.printf(
                Locale.ROOT,
                "fleet: loading %s data for %d clients...%n",
                cfg.dataset().kind(),
                cfg.dataset().clients());
        FederatedDataset data = DataLoader.load(cfg.dataset(), cfg.seed());
        long t0 = System.nanoTime();
        Path keyDir = Path.of(opt.getOrDefault("key-dir", EdgeClientMain.DEFAULT_KEY_DIR));
        try (Fleet fleet = Fleet.start(data, api, bootstrap, keyDir, null)) {
            System.err.printf(
                    Locale.ROOT,
                    "fleet: %d clients enrolled, each reading its own task topic on Kafka %s%n",
                    data.numClients(),
                    bootstrap != null ? bootstrap : "(the address from the enrolment)");
            if (opt.containsKey("serve-only")) {
                Thread.currentThread().join();
                return 0;
            }
            api.createExperiment(expId, yaml, timeout);
            api.action(expId, "start");
            System.err.printf(
                    Locale.ROOT,
                    "experiment %s started: %s, policy %s, %d rounds x %d clients%n",
                    expId,
                    cfg.model(),
                    cfg.strategy().policy(),
                    cfg.rounds(),
                    cfg.clientsPerRound());
            int shown = 0;
            JsonNode exp;
            long unreachableSince = 0;
            while (true) {
                JsonNode rounds;
                try {
                    exp = api.experiment(expId);
                    rounds = api.rounds(expId);
                    if (unreachableSince != 0) {
                        System.err.println("fleet: the orchestrator is back; following " + expId + " again");
                        unreachableSince = 0;
                    }
                } catch (OrchestratorApi.Unreachable e) {
                    // a restart of the suite (bin/afd down + up) or a network blip: the clients keep serving
                    long now = System.nanoTime();
                    if (unreachableSince == 0) {
                        unreachableSince = now;
                        System.err.println(
                                "fleet: " + e.getMessage() + "; the clients keep serving, retrying for up to "
                                        + UNREACHABLE_PATIENCE.toMinutes() + " min");
                    } else if (now - unreachableSince > UNREACHABLE_PATIENCE.toNanos()) {
                        throw new IllegalStateException(
                                e.getMessage() + " for " + UNREACHABLE_PATIENCE.toMinutes() + " min; giving up", e);
                    }
                    Thread.sleep(2_000);
                    continue;
                }
                for (JsonNode r : rounds) {
                    if (r.path("round").asInt() >= shown
                            && "SCORES_UPDATED".equals(r.path("state").asText())) {
                        int n = r.path("participants").size();
                        System.err.printf(
                                Locale.ROOT,
                                "  round %3d/%d  acc %6.2f %%  train loss %.3f  down %s/client  up %s/client  rejected %d%n",
                                r.path("round").asInt() + 1,
                                cfg.rounds(),
                                100 * r.path("testAccuracy").asDouble(),
                                r.path("trainLoss").asDouble(),
                                bytes(r.path("bytesDown").asDouble() / n),
                                bytes(r.path("bytesUp").asDouble() / n),
                                r.path("rejected").asInt());
                        shown = r.path("round").asInt() + 1;
                    }
                }
                String status = exp.path("status").asText();
                if (!status.equals("RUNNING") && !status.equals("CREATED")) {
                    break;
                }
                Thread.sleep(500);
            }
            summary(table, cfg, expId, exp, api.rounds(expId), (System.nanoTime() - t0) / 1e9);
            return exp.path("status").asText().equals("COMPLETED") ? 0 : 1;
        }
    }

    /** How long the fleet keeps serving and retrying while the orchestrator cannot be reached. */
    static final java.time.Duration UNREACHABLE_PATIENCE = java.time.Duration.ofMinutes(10);

    private static void summary(
            java.io.PrintStream out,
            ExperimentConfig cfg,
            String expId,
            JsonNode exp,
            JsonNode rounds,
            double seconds) {
        double down = 0;
        double up = 0;
        int n = 0;
        for (JsonNode r : rounds) {
            int p = r.path("participants").size();
            if (p > 0 && r.hasNonNull("bytesUp")) {
                down += r.path("bytesDown").asDouble() / p;
                up += r.path("bytesUp").asDouble() / p;
                n++;
            }
        }
        down /= Math.max(1, n);
        up /= Math.max(1, n);
        double dense = cfg.model().numParams() * 4.0;
        String[][] rows = {
            {"experiment", expId, ""},
            {
                "status",
                exp.path("status").asText()
                        + (exp.hasNonNull("error") ? ": " + exp.path("error").asText() : ""),
                ""
            },
            {"rounds", String.valueOf(exp.path("roundsDone").asInt()), ""},
            {"final test accuracy", pct(exp.path("lastAccuracy").asDouble()), ""},
            {"best test accuracy", pct(exp.path("bestAccuracy").asDouble()), ""},
            {
                "bytes down / client / round",
                bytes(down) + String.format(Locale.ROOT, " (%.1fx less)", dense / down),
                bytes(dense)
            },
            {
                "bytes up / client / round",
                bytes(up) + String.format(Locale.ROOT, " (%.1fx less)", dense / up),
                bytes(dense)
            },
            {"wall time", String.format(Locale.ROOT, "%.0f s", seconds), ""},
        };
        int[] w = {6, 5, 22};
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        String fmt = "| %-" + w[0] + "s | %-" + w[1] + "s | %-" + w[2] + "s |%n";
        out.printf(fmt, "metric", "value", "dense FedAvg (float32)");
        out.println("|" + "-".repeat(w[0] + 2) + "|" + "-".repeat(w[1] + 2) + "|" + "-".repeat(w[2] + 2) + "|");
        for (String[] r : rows) {
            out.printf(fmt, r[0], r[1], r[2]);
        }
    }

    private static String pct(double d) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * d);
    }

    private static String bytes(double b) {
        return b >= 1 << 20
                ? String.format(Locale.ROOT, "%.2f MB", b / (1 << 20))
                : b >= 1024 ? String.format(Locale.ROOT, "%.1f KB", b / 1024) : String.format(Locale.ROOT, "%.0f B", b);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (k.equals("serve-only")) {
                m.put(k, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + k + " needs a value");
                }
                m.put(k, args[++i]);
            }
        }
        return m;
    }

    private static String require(Map<String, String> m, String k) {
        String v = m.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return v;
    }
}
