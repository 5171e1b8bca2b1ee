package io.afd.launcher;

import io.afd.infra.Layout;
import java.nio.file.Path;

/**
 * {@code bin/afd quickstart}: {@code bin/afd up} (a real Kafka broker, PostgreSQL, the five services; in {@code
 * .afd/quickstart}, database {@value #DATABASE}, or {@code $AFD_QUICKSTART_DIR} and {@code $AFD_QUICKSTART_DB}), then {@code bin/afd fleet} with the default experiment (AFD + DGC
 * on Fashion-MNIST when installed, else Synthetic(1,1)) with live progress and a final summary table, then {@code
 * bin/afd down}. A quickstart suite that is already up is used and left running.
 *
 * <pre>QuickstartMain [--config file.yaml] [--base-port 18080] [--round-timeout 120]</pre>
 */
public final class QuickstartMain {
    static final String DATABASE = "afd_quickstart";

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
        // its own directory and database, unless told otherwise (a test keeps its run apart from a user's)
        String envDir = System.getenv("AFD_QUICKSTART_DIR");
        String database = System.getenv().getOrDefault("AFD_QUICKSTART_DB", DATABASE);
        Path dir = envDir == null || envDir.isBlank() ? repo.resolve(".afd/quickstart") : Path.of(envDir);
        String d = dir.toString();
        SuiteMain suite = new SuiteMain(System.err, System.err);
        long t0 = System.nanoTime();
        boolean wasUp = suite.run(new String[] {"status", "--dir", d}) == 0;
        int code = wasUp
                ? 0
                : suite.run(
                        new String[] {"up", "--dir", d, "--base-port", Integer.toString(basePort), "--db", database});
        if (code == 0) {
            code = suite.run(new String[] {"fleet", "--dir", d, "--config", config, "--round-timeout", timeout});
        }
        if (!wasUp) {
            suite.run(new String[] {"down", "--dir", d});
        }
        System.err.printf("quickstart: %s in %.0f s%n", code == 0 ? "done" : "FAILED", (System.nanoTime() - t0) / 1e9);
        System.exit(code);
    }
}
