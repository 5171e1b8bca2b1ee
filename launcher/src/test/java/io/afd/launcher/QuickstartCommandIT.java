package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command, read from the README and run as written: {@code bin/afd quickstart} brings the suite
 * up, runs one experiment with simulated edge clients, prints the summary, and takes the suite down.
 */
class QuickstartCommandIT {
    private static final Path REPO = Layout.repoRoot().orElseThrow();

    @Test
    void theDemoCommandRunsAnExperimentToItsSummary() throws Exception {
        List<String> demo = Files.readAllLines(REPO.resolve("README.md")).stream()
                .filter(l -> l.startsWith("bin/afd quickstart"))
                .toList();
        assertEquals(List.of("bin/afd quickstart"), demo, "the README's demo command");
        Path log = REPO.resolve("launcher/target/quickstart-it.log");
        Files.createDirectories(log.getParent());
        // as written, in a directory and database of the test's own: a user's quickstart data (or an earlier
        // run's, with other clients enrolled) must neither be touched nor change the outcome
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", demo.get(0))
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment()
                .put(
                        "AFD_QUICKSTART_DIR",
                        REPO.resolve("launcher/target/quickstart-it").toString());
        pb.environment().put("AFD_QUICKSTART_DB", "afd_quickstart_it_" + Long.toHexString(System.nanoTime()));
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        System.out.println(out);
        assertTrue(done, "the quickstart did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), "the quickstart failed (output above)");
        assertTrue(out.contains("quickstart: done"), out);
        assertTrue(out.contains("dense FedAvg (float32)"), "the summary table compares with dense FedAvg");
    }
}
