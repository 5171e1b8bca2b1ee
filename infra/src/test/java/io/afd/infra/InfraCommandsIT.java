package io.afd.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command block of {@code infra/README.md}, read from the README and run as written (each line through bash):
 * {@code up}, {@code status}, {@code eval "$(bin/afd-infra env)"}, {@code down}, and {@code serve} in the
 * foreground until it is stopped the way Ctrl-C stops it. State goes to a directory of the test's own
 * ({@code AFD_INFRA_DIR}, as the README's option table says).
 */
class InfraCommandsIT {
    private static final Path REPO = Layout.repoRoot().orElseThrow();
    private static final Path DIR = REPO.resolve("infra/target/infra-commands-it");

    /** The README's first bash block, one command per line, comments removed. */
    static List<String> readmeCommands() throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(REPO.resolve("infra/README.md"))) {
            if (line.startsWith("```")) {
                if (in) {
                    break;
                }
                in = line.equals("```bash");
                continue;
            }
            if (in && !line.isBlank()) {
                int comment = line.indexOf("  #");
                out.add((comment < 0 ? line : line.substring(0, comment)).trim());
            }
        }
        return out;
    }

    private record Result(int code, String out) {}

    private static Result bash(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                .directory(REPO.toFile())
                .redirectErrorStream(true);
        pb.environment().put("AFD_INFRA_DIR", DIR.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), command + " did not finish");
        System.out.println("$ " + command + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    @Test
    void theReadmesCommandsWorkAsWritten() throws Exception {
        List<String> commands = readmeCommands();
        assertEquals(
                List.of(
                        "bin/afd-infra up",
                        "bin/afd-infra status",
                        "eval \"$(bin/afd-infra env)\"",
                        "bin/afd-infra down",
                        "bin/afd-infra serve"),
                commands,
                "the README's block changed: update this test with it");
        try {
            Result up = bash(commands.get(0));
            assertEquals(0, up.code(), up.out());
            assertTrue(up.out().contains("Kafka bootstrap servers"), up.out());

            Result status = bash(commands.get(1));
            assertEquals(0, status.code(), "status exits 0 while up:\n" + status.out());

            // eval sets the variables in the shell: print two of them afterwards
            Result env = bash(commands.get(2) + " && echo \"kafka=$KAFKA_BOOTSTRAP_SERVERS\"");
            assertEquals(0, env.code(), env.out());
            assertTrue(env.out().matches("(?s).*kafka=127\\.0\\.0\\.1:\\d+.*"), env.out());

            Result down = bash(commands.get(3));
            assertEquals(0, down.code(), down.out());
            assertEquals(3, bash(commands.get(1)).code(), "status exits 3 once down");

            // serve: the same servers in the foreground; SIGINT (Ctrl-C) stops them
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec " + commands.get(4))
                    .directory(REPO.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(DIR.resolve("serve-it.log").toFile());
            pb.environment().put("AFD_INFRA_DIR", DIR.toString());
            Files.createDirectories(DIR);
            Process serve = pb.start();
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            int code = 3;
            while (code != 0 && System.nanoTime() < end && serve.isAlive()) {
                Thread.sleep(500);
                code = bash(commands.get(1)).code();
            }
            assertEquals(0, code, "serve brings the servers up:\n" + Files.readString(DIR.resolve("serve-it.log")));
            new ProcessBuilder("kill", "-INT", Long.toString(serve.pid()))
                    .start()
                    .waitFor();
            assertTrue(serve.waitFor(90, TimeUnit.SECONDS), "serve stops on Ctrl-C (SIGINT)");
            assertEquals(3, bash(commands.get(1)).code(), "nothing runs after serve stopped");
        } finally {
            bash("bin/afd-infra down");
        }
    }
}
