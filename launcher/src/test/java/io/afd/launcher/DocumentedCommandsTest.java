package io.afd.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.afd.infra.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command in a shell block of the repository's Markdown (READMEs and docs; ADRs record decisions, not
 * instructions) is run by a named test or by CI as written, or says why it cannot be run here. A new command without
 * one fails this test, so the docs cannot drift from what is exercised; a command's test or CI step that disappears
 * fails it too. Files a command names ({@code examples/...}, {@code deploy/...}) must exist.
 */
class DocumentedCommandsTest {
    private static final Path REPO = Layout.repoRoot().orElseThrow();

    /** Who runs a command: a file (a test, or CI's script) that must contain {@code marker}; or why nobody can. */
    private record Rule(Pattern command, String runBy, String marker, String whyNotHere) {
        static Rule run(String regex, String runBy, String marker) {
            return new Rule(Pattern.compile(regex), runBy, marker, null);
        }

        static Rule notHere(String regex, String why) {
            return new Rule(Pattern.compile(regex), null, null, why);
        }
    }

    private static final String SUITE_IT = "launcher/src/test/java/io/afd/launcher/SuiteCommandsIT.java";
    private static final String CLUSTER = "needs a Kubernetes cluster and a registry you can push to; bin/afd kube-test"
            + " (in CI) builds the images into a loopback registry and runs the local overlay instead";

    private static final List<Rule> RULES = List.of(
            Rule.run(
                    "bin/afd quickstart",
                    "launcher/src/test/java/io/afd/launcher/QuickstartCommandIT.java",
                    "bin/afd quickstart"),
            Rule.run("\\./mvnw -B verify", ".ci/run", "./mvnw -B verify"),
            Rule.run("bin/afd kube-test", ".ci/run", "bin/afd kube-test"),
            Rule.run("bin/afd up", SUITE_IT, "afd(\"up\""),
            Rule.run("bin/afd status", SUITE_IT, "afd(\"status\")"),
            Rule.run("bin/afd down", SUITE_IT, "afd(\"down\")"),
            Rule.run("bin/afd fleet --config \\S+ --clients \\d+", SUITE_IT, "afd(\"fleet\", \"--config\""),
            Rule.run("bin/afd client enrol --id \\S+ --token \\S+", SUITE_IT, "\"client\", \"enrol\", \"--id\""),
            Rule.run("bin/afd client run --id \\S+ --config \\S+", SUITE_IT, "\"client\", \"run\", \"--id\""),
            Rule.run(
                    "bin/afd-infra (up|status|down|serve)|eval \"\\$\\(bin/afd-infra env\\)\"",
                    "infra/src/test/java/io/afd/infra/InfraCommandsIT.java",
                    "bin/afd-infra serve"),
            // one module's build and tests: the same Maven build CI runs for all of them
            Rule.run("\\./mvnw -B -q -pl services/[a-z-]+ -am install", ".ci/run", "./mvnw -B verify"),
            Rule.notHere(
                    "bin/afd experiment --matrix examples/matrix-[a-z-]+\\.yaml --out runs/[a-z-]+ && bin/afd report"
                            + " runs/[a-z-]+",
                    "a matrix takes 2 to 70 minutes; ExperimentReportCommandTest runs the same two commands on a tiny"
                            + " matrix"),
            Rule.run(
                    "kubectl kustomize deploy/k8s/overlays/production( \\| less.*)?",
                    "launcher/src/test/java/io/afd/launcher/DeployManifestsTest.java",
                    "\"kubectl\", \"kustomize\""),
            Rule.notHere("bin/afd images --registry \\S+ --base \\S+", CLUSTER),
            Rule.notHere("kubectl .*", CLUSTER),
            Rule.notHere("for s in .*; do|done", CLUSTER));

    /** A shell block's commands: comments dropped, continued lines joined. */
    static List<String> commands(Path md) throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        boolean shell = false;
        StringBuilder cur = new StringBuilder();
        for (String raw : Files.readAllLines(md)) {
            String line = raw.strip();
            if (line.startsWith("```")) {
                in = !in;
                shell = in && List.of("```bash", "```sh", "```shell").contains(line);
                continue;
            }
            if (!in || !shell || line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int comment = line.indexOf("  #");
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            out.add(cur.toString().replaceAll("\\s+", " "));
            cur.setLength(0);
        }
        return out;
    }

    private static List<Path> markdown() throws IOException {
        try (Stream<Path> s = Files.walk(REPO)) {
            return s.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        String r = REPO.relativize(p).toString();
                        return !r.startsWith(".")
                                && !r.contains("/target/")
                                && !r.startsWith("target/")
                                && !r.contains("node_modules")
                                && !r.startsWith("docs/adr/")
                                && !r.startsWith("runs/");
                    })
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyDocumentedCommandIsRunByATestOrSaysWhyNot() throws IOException {
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (Path md : markdown()) {
            for (String c : commands(md)) {
                seen++;
                String where = REPO.relativize(md) + ": " + c;
                Rule rule = RULES.stream()
                        .filter(r -> r.command().matcher(c).matches())
                        .findFirst()
                        .orElse(null);
                if (rule == null) {
                    problems.add(where + "\n    no test runs it: run it in one and add a rule here, or say why not");
                    continue;
                }
                if (rule.runBy() != null) {
                    Path by = REPO.resolve(rule.runBy());
                    if (!Files.exists(by) || !Files.readString(by).contains(rule.marker())) {
                        problems.add(where + "\n    " + rule.runBy() + " no longer runs it (" + rule.marker() + ")");
                    }
                }
                Matcher files =
                        Pattern.compile("\\b((?:examples|deploy)/[\\w./-]+)").matcher(c);
                while (files.find()) {
                    if (!Files.exists(REPO.resolve(files.group(1)))) {
                        problems.add(where + "\n    names " + files.group(1) + ", which does not exist");
                    }
                }
            }
        }
        assertTrue(seen > 20, "found only " + seen + " documented commands: is the parser blind?");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theParserSeesIndentedBlocksAndJoinsContinuedLines() throws IOException {
        Path md = Files.createTempFile("afd-doc-", ".md");
        try {
            Files.writeString(md, """
                    text
                    ```bash
                    bin/afd up   # a comment
                    ```
                    1. a step:

                       ```bash
                       kubectl create secret generic x \\
                         --from-literal=a=b
                       ```

                    ```
                    $ not a command (no shell language)
                    ```
                    """);
            org.junit.jupiter.api.Assertions.assertEquals(
                    List.of("bin/afd up", "kubectl create secret generic x --from-literal=a=b"), commands(md));
        } finally {
            Files.delete(md);
        }
    }
}
