package io.afd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/afd}: the AFD Suite launcher. */
@Command(
        name = "afd",
        mixinStandardHelpOptions = true,
        version = "afd 0.1.0",
        description = "AFD Suite: federated learning with Adaptive Federated Dropout, DGC and FedAvg.",
        subcommands = {
            SimulateCommand.class,
            SummarizeCommand.class,
            ExperimentCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class AfdCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new AfdCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            cmd.getErr().println("afd: " + (root.getMessage() == null ? root.toString() : root.getMessage()));
            if (System.getenv("AFD_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }
}
