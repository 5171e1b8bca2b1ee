package io.afd.infra.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Main class of the broker's JVM (not API): formats the KRaft storage if needed, then runs
 * {@code kafka.Kafka}, on the classpath {@code <kafka-libs>/*} plus afd-infra.
 *
 * <pre>
 * BrokerLauncher [--format CLUSTER_ID [--add-scram SPEC]] [--exit-with-parent] server.properties
 * </pre>
 *
 * <ul>
 * <li>{@code --format}: runs {@code kafka.tools.StorageTool format -t CLUSTER_ID -c server.properties
 *     --ignore-formatted} in this JVM (an already formatted log dir is kept), which saves the
 *     startup of a second JVM (~2 s on 2 cores). {@code --add-scram} is passed on: the super user's SCRAM
 *     login, stored in the metadata when the storage is formatted.</li>
 * <li>{@code --exit-with-parent}: the parent keeps this process's stdin open; when the parent dies
 *     (even by SIGKILL) stdin reaches end of file and the broker shuts down cleanly, so no broker
 *     outlives the test JVM or {@code InfraMain serve} that started it.</li>
 * </ul>
 *
 * Kafka is reached by reflection: its jars are only on this JVM's classpath.
 */
public final class BrokerLauncher {

    private BrokerLauncher() {}

    public static void main(String[] args) throws Throwable {
        String clusterId = null;
        boolean exitWithParent = false;
        String config = null;
        java.util.List<String> scram = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--format" -> clusterId = args[++i];
                case "--add-scram" -> {
                    scram.add("--add-scram");
                    scram.add(args[++i]);
                }
                case "--exit-with-parent" -> exitWithParent = true;
                default -> config = args[i];
            }
        }
        if (config == null) {
            System.err.println("usage: BrokerLauncher [--format CLUSTER_ID] [--exit-with-parent] server.properties");
            System.exit(2);
        }
        if (exitWithParent) {
            Thread watch = new Thread(BrokerLauncher::exitWhenStdinCloses, "afd-exit-with-parent");
            watch.setDaemon(true);
            watch.start();
        }
        try {
            if (clusterId != null) {
                Method execute = Class.forName("kafka.tools.StorageTool")
                        .getMethod("execute", String[].class, PrintStream.class);
                java.util.List<String> format =
                        new java.util.ArrayList<>(java.util.List.of("format", "-t", clusterId, "-c", config));
                format.add("--ignore-formatted");
                format.addAll(scram);
                int rc = (Integer) execute.invoke(null, format.toArray(new String[0]), System.out);
                if (rc != 0) {
                    System.err.println("afd-infra: kafka storage format failed with exit code " + rc);
                    System.exit(rc);
                }
            }
            Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) new String[] {config});
        } catch (InvocationTargetException e) {
            System.err.println("afd-infra: broker failed");
            e.getCause().printStackTrace();
            System.exit(1);
        }
    }

    private static void exitWhenStdinCloses() {
        try {
            byte[] buf = new byte[256];
            while (System.in.read(buf) >= 0) {
                // the parent writes nothing; keep waiting for end of file
            }
        } catch (IOException e) {
            // a broken pipe means the same: the parent is gone
        }
        System.err.println("afd-infra: parent process gone (stdin closed), shutting the broker down");
        System.exit(0);
    }
}
