package io.afd.cli;

import io.afd.core.experiment.Analysis;
import io.afd.core.experiment.BandwidthProfile;
import io.afd.core.experiment.Cell;
import io.afd.core.experiment.CellResult;
import io.afd.core.experiment.MatrixRecord;
import io.afd.core.experiment.ScoreMapHistory;
import io.afd.core.experiment.Stat;
import io.afd.core.experiment.TimeModel;
import io.afd.core.model.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code report/index.html} (one self-contained file: inline CSS, tables and the PNGs as data
 * URIs), {@code report/results.md} (the same tables in Markdown, figures linked from {@code fig/}) and
 * the figures in {@code report/fig/}.
 */
final class ReportWriter {

    /** A table rendered both as HTML and as Markdown. */
    static final class Tbl {
        final String[] header;
        final List<String[]> rows = new ArrayList<>();

        Tbl(String... header) {
            this.header = header;
        }

        Tbl row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = String.valueOf(cells[i]);
            }
            rows.add(r);
            return this;
        }

        String html() {
            StringBuilder sb = new StringBuilder("<table>\n<tr>");
            for (String h : header) {
                sb.append("<th>").append(esc(h)).append("</th>");
            }
            sb.append("</tr>\n");
            for (String[] r : rows) {
                sb.append("<tr>");
                for (String c : r) {
                    sb.append("<td>").append(esc(c)).append("</td>");
                }
                sb.append("</tr>\n");
            }
            return sb.append("</table>\n").toString();
        }

        String markdown() {
            Table t = new Table(header);
            for (String[] r : rows) {
                String[] m = new String[r.length];
                for (int i = 0; i < r.length; i++) {
                    m[i] = r[i].replace("|", "\\|");
                }
                t.row((Object[]) m);
            }
            return t.render();
        }
    }

    private final Analysis a;
    private final Path out;
    private final Path fig;
    private final StringBuilder html = new StringBuilder();
    private final StringBuilder md = new StringBuilder();
    private final List<Path> figures = new ArrayList<>();

    ReportWriter(Analysis a, Path out) {
        this.a = a;
        this.out = out;
        this.fig = out.resolve("fig");
    }

    List<Path> figures() {
        return figures;
    }

    /** Writes everything; {@code reportCommand} is shown in the report. */
    void write(String reportCommand) throws IOException {
        Files.createDirectories(fig);
        MatrixRecord m = a.matrix();
        String title = "AFD Suite results: " + m.name();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title>\n<style>")
                .append(CSS)
                .append("</style></head><body>\n");
        h(1, title);
        if (!m.description().isBlank()) {
            p(m.description());
        }
        int total = m.cells().size();
        int done = a.results().size();
        p(
                "Produced by <code>" + esc(m.command()) + "</code> (matrix.json last written " + esc(m.created())
                        + "); this report by <code>"
                        + esc(reportCommand) + "</code> at " + esc(Instant.now().toString()) + ". " + done + " of "
                        + total
                        + " cells finished"
                        + (a.missing().isEmpty()
                                ? "."
                                : "; not finished (not in the tables): " + esc(String.join(", ", a.missing())) + "."),
                "Produced by `" + m.command() + "`; this report by `"
                        + reportCommand + "`. " + done + " of " + total + " cells finished"
                        + (a.missing().isEmpty() ? "." : "; not finished: " + String.join(", ", a.missing()) + "."));
        p("Lines are the mean over seeds; shaded bands are ± one standard deviation over seeds (when there are "
                + "several). Colour = policy, line style = compression (solid: none, dashed: DGC, dotted: DGC + q8 "
                + "downlink). Bytes are encoded wire bytes per client; modelled time follows the time model below.");

        h(2, "Targets of issue 4");
        Tbl tc = new Tbl("setting", "target", "status", "measured");
        for (Analysis.TargetCheck c : a.targetChecks()) {
            tc.row(c.setting(), c.target(), c.status(), c.detail());
        }
        table(tc);

        for (String s : a.settings()) {
            setting(s);
        }
        heatmaps();
        timeModel();
        cells();

        h(2, "Matrix");
        p("Source: <code>" + esc(m.source()) + "</code>", "Source: `" + m.source() + "`");
        html.append("<pre>").append(esc(m.sourceText())).append("</pre>\n");
        md.append("```yaml\n")
                .append(m.sourceText())
                .append(m.sourceText().endsWith("\n") ? "" : "\n")
                .append("```\n");
        html.append("</body></html>\n");
        Files.writeString(out.resolve("index.html"), html.toString(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
    }

    private void setting(String s) throws IOException {
        h(2, "Setting: " + s);
        boolean rates = a.severalRates(s);
        List<Cell.SeriesKey> series = a.series(s);
        String model = a.settingValue(s, "model");
        long params = ModelSpec.parse(model).numParams();
        double target = a.target(s);
        Cell.SeriesKey ref = a.reference(s);
        String data = a.settingValue(s, "dataset").equals("synthetic")
                ? "Synthetic(alpha, beta) (non-IID: every client has its own model and input distribution)"
                : a.settingValue(s, "dataset") + ", partition " + a.settingValue(s, "partition");
        String desc = String.format(
                Locale.ROOT,
                "%s, %s clients (%s per round), model %s (%,d parameters, "
                        + "%s float32), %s rounds, E=%s, B=%s, lr %s. %s",
                data,
                a.settingValue(s, "clients"),
                a.settingValue(s, "clientsPerRound"),
                model,
                params,
                Table.bytes(4.0 * params),
                a.settingValue(s, "rounds"),
                a.settingValue(s, "epochs"),
                a.settingValue(s, "batchSize"),
                a.settingValue(s, "learningRate"),
                Double.isNaN(target)
                        ? "No target accuracy (no FedAvg/none reference)."
                        : String.format(
                                Locale.ROOT,
                                "Target accuracy %.2f %% (%s).",
                                100 * target,
                                Double.isNaN(a.matrix().report().targetAccuracy())
                                        ? String.format(
                                                Locale.ROOT,
                                                "%.0f %% of FedAvg/none's final mean accuracy",
                                                100 * a.matrix().report().targetFraction())
                                        : "set in the matrix"));
        p(esc(desc), desc);

        // figures
        List<ReportCharts.Line> byRound = new ArrayList<>();
        List<ReportCharts.Line> byBytes = new ArrayList<>();
        double[] shades = new double[series.size()];
        List<Double> rateList = series.stream()
                .map(Cell.SeriesKey::dropoutRate)
                .filter(r -> r > 0)
                .distinct()
                .sorted()
                .toList();
        for (int i = 0; i < series.size(); i++) {
            Cell.SeriesKey k = series.get(i);
            shades[i] = k.dropoutRate() > 0 ? 0.25 * rateList.indexOf(k.dropoutRate()) : 0;
            byRound.add(new ReportCharts.Line(k, k.label(rates), a.accuracyCurve(k, Analysis.XAxis.ROUND, null)));
            byBytes.add(new ReportCharts.Line(k, k.label(rates), a.accuracyCurve(k, Analysis.XAxis.BYTES, null)));
        }
        List<String[]> figs = new ArrayList<>();
        String f1 = s + "-accuracy-vs-round.png";
        ReportCharts.accuracy(fig.resolve(f1), s + ": test accuracy vs round", "round", false, byRound, shades, target);
        figs.add(new String[] {f1, "test accuracy vs round"});
        for (ReportCharts.Line l : byBytes) {
            scaleX(l.curve(), 1.0 / (1 << 20));
        }
        String f2 = s + "-accuracy-vs-bytes.png";
        ReportCharts.accuracy(
                fig.resolve(f2),
                s + ": test accuracy vs cumulative bytes per client",
                "cumulative MB per client (down + up)",
                true,
                byBytes,
                shades,
                target);
        figs.add(new String[] {f2, "test accuracy vs cumulative bytes per client"});
        for (BandwidthProfile p : a.matrix().profiles()) {
            List<ReportCharts.Line> byTime = new ArrayList<>();
            for (Cell.SeriesKey k : series) {
                byTime.add(new ReportCharts.Line(k, k.label(rates), a.accuracyCurve(k, Analysis.XAxis.TIME, p)));
            }
            String f = s + "-accuracy-vs-time-" + p.name() + ".png";
            ReportCharts.accuracy(
                    fig.resolve(f),
                    s + ": test accuracy vs modelled time, " + p.name(),
                    "modelled time (s), profile " + p.name(),
                    true,
                    byTime,
                    shades,
                    target);
            figs.add(new String[] {f, "test accuracy vs modelled time (" + p.name() + ")"});
        }
        html.append("<div class=\"figs\">\n");
        for (String[] f : figs) {
            figures.add(fig.resolve(f[0]));
            figure(fig.resolve(f[0]), f[1]);
            md.append("![").append(f[1]).append("](fig/").append(f[0]).append(")\n");
        }
        html.append("</div>\n");
        md.append('\n');

        // final accuracy
        h(3, "Final test accuracy (" + s + ")");
        double refAcc = ref == null ? Double.NaN : a.finalAccuracy(ref).mean();
        Tbl fa = new Tbl(
                "series",
                "seeds",
                "final accuracy",
                "vs FedAvg/none",
                "mean of last " + Analysis.TAIL_ROUNDS + " rounds",
                "best accuracy");
        for (Cell.SeriesKey k : series) {
            Stat f = a.finalAccuracy(k);
            fa.row(
                    k.label(rates),
                    f.n(),
                    pct(f),
                    Double.isNaN(refAcc) ? "-" : String.format(Locale.ROOT, "%+.2f pt", 100 * (f.mean() - refAcc)),
                    pct(a.tailAccuracy(k)),
                    pct(a.bestAccuracy(k)));
        }
        table(fa);

        // bytes
        h(3, "Bytes per client per round (" + s + ")");
        double dense = a.denseBytes(series.get(0));
        p(
                esc("Dense float32 model: " + Table.bytes(dense)
                        + ". Means over rounds and seeds; the last round shows "
                        + "DGC at its final sparsity once warm-up is over."),
                "Dense float32 model: " + Table.bytes(dense)
                        + ". Means over rounds and seeds; the last round shows DGC at its final sparsity once warm-up is over.");
        Tbl bt = new Tbl(
                "series",
                "down / round",
                "down saving",
                "up / round",
                "up saving",
                "up, last round",
                "up saving, last round",
                "DGC sparsity, last round");
        for (Cell.SeriesKey k : series) {
            double d = a.bytesDown(k).mean();
            double u = a.bytesUp(k).mean();
            bt.row(
                    k.label(rates),
                    Table.bytes(d),
                    Table.times(dense / d),
                    Table.bytes(u),
                    Table.times(dense / u),
                    Table.bytes(a.lastBytesUp(k).mean()),
                    Table.times(a.finalUploadReduction(k).mean()),
                    String.format(Locale.ROOT, "%.4f", a.lastSparsity(k)));
        }
        table(bt);

        // time to target
        for (BandwidthProfile p : a.matrix().profiles()) {
            h(3, "Time to target, " + p.name() + " (" + s + ")");
            Tbl tt = new Tbl(
                    "series",
                    "reached",
                    "rounds to target",
                    "time to target",
                    "speed-up vs FedAvg/none",
                    "time per round");
            for (Cell.SeriesKey k : series) {
                Analysis.TimeToTarget t = a.timeToTarget(k, p);
                tt.row(
                        k.label(rates),
                        t.reached() + "/" + t.seeds(),
                        num(t.rounds(), "%.1f", ""),
                        dur(t.seconds()),
                        num(t.speedup(), "%.1f", "x"),
                        dur(a.roundSeconds(k, p)));
            }
            table(tt);
        }
    }

    private static void scaleX(Analysis.Curve c, double f) {
        for (int i = 0; i < c.x().length; i++) {
            c.x()[i] *= f;
        }
    }

    private void heatmaps() throws IOException {
        h(2, "Score maps (AFD)");
        p("Per AFD series, the first seed's score maps: rows are the units of a droppable layer, columns are rounds; "
                + "colour is the unit's score scaled to [0, 1] within its round (raw scores drift with the loss level; the "
                + "ranking within a round is what the sub-model sampling sees). Single-Model: the one global map; "
                + "Multi-Model: the per-unit mean over the client maps. "
                + "A higher score makes a unit more likely to be kept.");
        boolean any = false;
        for (String s : a.settings()) {
            for (Cell.SeriesKey k : a.series(s)) {
                if (!k.policy().startsWith("afd")) {
                    continue;
                }
                CellResult c = a.cells(k).get(0);
                if (c.scoreMapsFile() == null) {
                    continue;
                }
                ScoreMapHistory hist = ScoreMapHistory.read(c.scoreMapsFile());
                if (hist.isEmpty()) {
                    continue;
                }
                html.append("<div class=\"figs\">\n");
                for (String layer : ReportCharts.layers(hist)) {
                    String f = c.info().name() + "-scores-" + layer.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
                    String cap = c.info().name() + ": " + layer + " scores over rounds (scaled per round)";
                    ReportCharts.heatmap(fig.resolve(f), cap, hist, layer);
                    figures.add(fig.resolve(f));
                    figure(fig.resolve(f), cap);
                    md.append("![").append(cap).append("](fig/").append(f).append(")\n");
                    any = true;
                }
                html.append("</div>\n");
            }
        }
        if (!any) {
            p("No AFD cell with score maps in this matrix.");
        }
        md.append('\n');
    }

    private void timeModel() {
        h(2, "Time model");
        String text = "Per round: max over the round's clients of (download bytes / down bandwidth + compute time + "
                + "upload bytes / up bandwidth) + latency; the per-client mean payload stands in for the slowest client's "
                + "(payload sizes are equal across a round's clients up to DGC's varint index gaps). Compute mode: "
                + a.matrix().computeMode().label()
                + (a.matrix().computeMode() == TimeModel.ComputeMode.REFERENCE
                        ? ": the setting's median slowest-client training time of FedAvg/none (full model), measured on this "
                                + "machine, times the sub-model's training FLOPs relative to the full model, times the profile's "
                                + "compute scale."
                        : ": each run's own measured slowest-client time per round, times the profile's "
                                + "compute scale.")
                + " See docs/adr/0006-convergence-time-model.md.";
        p(esc(text), text);
        Tbl pt = new Tbl("profile", "down (Mbit/s)", "up (Mbit/s)", "latency (ms)", "compute scale");
        for (BandwidthProfile p : a.matrix().profiles()) {
            pt.row(p.name(), fmt(p.downMbps()), fmt(p.upMbps()), fmt(p.latencyMs()), fmt(p.computeScale()));
        }
        table(pt);
        Tbl ct = new Tbl("setting", "reference compute / round (full model)", "FLOPs ratio of the sub-models");
        for (String s : a.settings()) {
            ModelSpec full = ModelSpec.parse(a.settingValue(s, "model"));
            List<String> ratios = new ArrayList<>();
            a.series(s).stream()
                    .mapToDouble(Cell.SeriesKey::dropoutRate)
                    .filter(r -> r > 0)
                    .distinct()
                    .sorted()
                    .forEach(r -> ratios.add(
                            String.format(Locale.ROOT, "%.3f at rate %s", TimeModel.flopsRatio(full, r), fmt(r))));
            ct.row(
                    s,
                    String.format(Locale.ROOT, "%.3f s", a.referenceComputeSeconds(s)),
                    ratios.isEmpty() ? "-" : String.join(", ", ratios));
        }
        table(ct);
    }

    private void cells() {
        h(2, "Cells");
        Tbl t = new Tbl("cell", "status", "rounds", "final accuracy", "wall time", "metrics");
        for (MatrixRecord.CellInfo c : a.matrix().cells()) {
            CellResult r = a.results().get(c.name());
            if (r == null) {
                t.row(c.name(), "not finished", "-", "-", "-", "-");
            } else {
                long wall = r.rounds().stream().mapToLong(x -> x.wallMillis()).sum();
                t.row(
                        c.name(),
                        "finished",
                        r.rounds().size(),
                        Table.pct(r.finalAccuracy()),
                        Progress.duration(wall / 1000.0),
                        "../" + c.name() + "/metrics.json");
            }
        }
        table(t);
    }

    // ---- output helpers ----

    private void h(int level, String text) {
        html.append("<h")
                .append(level)
                .append(">")
                .append(esc(text))
                .append("</h")
                .append(level)
                .append(">\n");
        md.append("#".repeat(level)).append(' ').append(text).append("\n\n");
    }

    private void p(String text) {
        p(esc(text), text);
    }

    private void p(String htmlText, String mdText) {
        html.append("<p>").append(htmlText).append("</p>\n");
        md.append(mdText).append("\n\n");
    }

    /**
     * A figure in the HTML, embedded as a data URI so that {@code index.html} is one self-contained file
     * (the PNG stays in {@code fig/} for the Markdown and for reuse); {@code data-file} names it.
     */
    private void figure(Path png, String caption) throws IOException {
        String name = png.getFileName().toString();
        html.append("<figure><img src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png)))
                .append("\" data-file=\"fig/")
                .append(esc(name))
                .append("\" alt=\"")
                .append(esc(caption))
                .append("\"><figcaption>")
                .append(esc(caption))
                .append("</figcaption></figure>\n");
    }

    private void table(Tbl t) {
        html.append(t.html());
        md.append(t.markdown()).append('\n');
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    static String pct(Stat s) {
        if (s.isEmpty()) {
            return "-";
        }
        return s.n() == 1
                ? String.format(Locale.ROOT, "%.2f %%", 100 * s.mean())
                : String.format(Locale.ROOT, "%.2f ± %.2f %%", 100 * s.mean(), 100 * s.std());
    }

    static String num(Stat s, String f, String unit) {
        if (s.isEmpty()) {
            return "-";
        }
        return s.n() == 1
                ? String.format(Locale.ROOT, f, s.mean()) + unit
                : String.format(Locale.ROOT, f + " ± " + f, s.mean(), s.std()) + unit;
    }

    /** Seconds with a unit chosen by size. */
    static String dur(Stat s) {
        if (s.isEmpty()) {
            return "not reached";
        }
        double m = s.mean();
        String unit;
        double div;
        if (m < 120) {
            unit = "s";
            div = 1;
        } else if (m < 7200) {
            unit = "min";
            div = 60;
        } else {
            unit = "h";
            div = 3600;
        }
        String f = m / div < 10 ? "%.2f" : "%.1f";
        return s.n() == 1
                ? String.format(Locale.ROOT, f + " %s", m / div, unit)
                : String.format(Locale.ROOT, f + " ± " + f + " %s", m / div, s.std() / div, unit);
    }

    private static final String CSS =
            "body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:1400px;"
                    + "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
                    + "table{border-collapse:collapse;margin:0.6em 0 1.4em;font-size:0.92em}"
                    + "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left;vertical-align:top}"
                    + "th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}"
                    + ".figs{display:flex;flex-wrap:wrap;gap:1em}"
                    + "figure{margin:0;flex:1 1 560px;max-width:680px}figure img{width:100%;"
                    + "border:1px solid #ddd}figcaption{font-size:0.85em;color:#555}"
                    + "pre{background:#f6f6f6;padding:0.8em;overflow-x:auto;font-size:0.85em}code{background:#f3f3f3;"
                    + "padding:0 0.2em}h2{border-bottom:1px solid #ddd;padding-bottom:0.2em;margin-top:2em}";
}
