package io.afd.cli;

import io.afd.core.experiment.Analysis;
import io.afd.core.experiment.MatrixRecord;
import io.afd.core.experiment.MatrixSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code afd report <dir>}: HTML + Markdown report with PNG figures of an experiment matrix's results. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write <dir>/report/index.html, results.md and PNG figures from the cells of an "
                    + "'afd experiment' output directory: accuracy vs round, bytes and modelled time; final accuracy, "
                    + "bytes and time-to-target tables; score-map heatmaps; a check of issue 4's targets."
        })
public final class ReportCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "<dir>",
            description = "Output directory of 'afd experiment' (holds matrix.json).")
    Path dir;

    @Option(
            names = {"-o", "--out"},
            description = "Report directory (default: <dir>/report).")
    Path out;

    @Option(
            names = "--target-fraction",
            paramLabel = "<f>",
            description = "Target accuracy = f x FedAvg/none's final mean accuracy (default: the matrix's, 0.95).")
    Double targetFraction;

    @Option(
            names = "--target-accuracy",
            paramLabel = "<acc>",
            description = "Absolute target accuracy in [0,1] for every setting (overrides --target-fraction).")
    Double targetAccuracy;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        MatrixSpec.ReportSettings override = null;
        if (targetFraction != null || targetAccuracy != null) {
            if (targetFraction != null && !(targetFraction > 0 && targetFraction <= 1)) {
                throw new IllegalArgumentException("--target-fraction must be in (0,1], got " + targetFraction);
            }
            if (targetAccuracy != null && !(targetAccuracy > 0 && targetAccuracy <= 1)) {
                throw new IllegalArgumentException("--target-accuracy must be in (0,1], got " + targetAccuracy);
            }
            MatrixSpec.ReportSettings r =
                    MatrixRecord.read(dir.resolve(MatrixRecord.FILE)).report();
            override = new MatrixSpec.ReportSettings(
                    targetFraction != null ? targetFraction : r.targetFraction(),
                    targetAccuracy != null ? targetAccuracy : Double.NaN,
                    r.speedupTarget(),
                    r.accuracyTolerance(),
                    r.uploadCompressionTarget());
        }
        Analysis a = Analysis.load(dir, override);
        Path target = out != null ? out : dir.resolve("report");
        ReportWriter w = new ReportWriter(a, target);
        w.write("bin/afd report " + dir + (out != null ? " --out " + out : "")
                + (targetFraction != null ? " --target-fraction " + targetFraction : "")
                + (targetAccuracy != null ? " --target-accuracy " + targetAccuracy : ""));
        if (!a.missing().isEmpty()) {
            System.err.println("afd report: " + a.missing().size() + " of "
                    + a.matrix().cells().size() + " cells are not finished and are left out: "
                    + String.join(", ", a.missing()));
        }
        System.out.println(
                "report: " + target.resolve("index.html") + " (" + w.figures().size() + " figures in "
                        + target.resolve("fig") + "), tables in Markdown: " + target.resolve("results.md"));
        return 0;
    }
}
