package io.afd.launcher;

import io.afd.edge.FleetMain;
import io.afd.infra.InfraStack;
import io.afd.infra.Layout;
import io.afd.infra.auth.LocalIssuer;
import io.afd.infra.auth.TokenCommand;
import io.afd.protocol.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/afd quickstart}: starts a real Kafka broker and PostgreSQL (the local server when it
 * answers on 127.0.0.1:5432, else embedded), the five services, and a simulated fleet; runs the
 * default experiment (AFD + DGC on Fashion-MNIST when installed, else Synthetic(1,1)) with live
 * progress and a final summary table; then stops everything.
 *
 * <pre>QuickstartMain [--config file.yaml] [--base-port 18080] [--round-timeout 120]</pre>
 */
public final class QuickstartMain {
    private QuickstartMain() {}

    public static void main(String[] args) throws Exception {
        Path repo = Layout.repoRoot().orElseThrow();
        String config = null;
        int basePort = 18080;
        String timeout = "120";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = args[++i];
                case "--base-port" -> basePort = Integer.parseInt(args[++i]);
                case "--round-timeout" -> timeout = args[++i];
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + " (--config, --base-port, --round-timeout)");
            }
        }
        if (config == null) {
            boolean fmnist = io.afd.core.data.FashionMnist.isAvailable();
            config = repo.resolve(fmnist ? "examples/quickstart-fashion-mnist.yaml" : "examples/quickstart.yaml")
                    .toString();
        }
        Path dir = repo.resolve(".afd/quickstart");
        // the same key bin/afd token signs with, so an operator can call the API while it runs
        LocalIssuer issuer = LocalIssuer.open(TokenCommand.defaultDir());
        Files.createDirectories(dir);
        System.err.println("quickstart: starting Kafka and PostgreSQL...");
        long t0 = System.nanoTime();
        int code;
        // a fresh database per run: nothing from an earlier run (clients, experiments) leaks in
        String db = "afd_quickstart_" + System.currentTimeMillis();
        try (InfraStack infra =
                InfraStack.builder(dir.resolve("infra")).database(db).start()) {
            String bootstrap = infra.kafka().bootstrapServers();
            String jdbc = infra.postgres().jdbcUrl(db);
            System.err.printf(
                    "quickstart: Kafka %s, PostgreSQL %s (%.1f s)%n", bootstrap, jdbc, (System.nanoTime() - t0) / 1e9);
            System.err.println("quickstart: starting the five services (logs in " + dir.resolve("logs") + ")...");
            try (SuiteLauncher suite = SuiteLauncher.start(
                    infra.kafka().adminConnection(),
                    jdbc,
                    infra.postgres().username(),
                    infra.postgres().password(),
                    SigningKey.generate().seedText(),
                    issuer,
                    basePort,
                    dir.resolve("logs"))) {
                System.err.printf(
                        "quickstart: services ready (%.1f s); orchestrator %s, Swagger UI %s/q/swagger-ui%n",
                        (System.nanoTime() - t0) / 1e9, suite.url("orchestrator"), suite.url("orchestrator"));
                System.err.printf(
                        "quickstart: the management API needs a bearer token, e.g.%n"
                                + "  curl -H \"Authorization: Bearer $(bin/afd token --role viewer)\" %s/api/experiments%n",
                        suite.url("orchestrator"));
                List<String> fleetArgs = new ArrayList<>(List.of(
                        "--orchestrator",
                        suite.url("orchestrator"),
                        "--bootstrap",
                        bootstrap,
                        "--config",
                        config,
                        "--round-timeout",
                        timeout,
                        "--token",
                        suite.token("admin"),
                        "--key-dir",
                        dir.resolve("edge-keys").toString()));
                code = FleetMain.run(fleetArgs.toArray(String[]::new));
            }
            infra.postgres().dropDatabase(db);
        }
        System.err.printf("quickstart: %s in %.0f s%n", code == 0 ? "done" : "FAILED", (System.nanoTime() - t0) / 1e9);
        System.exit(code);
    }
}
