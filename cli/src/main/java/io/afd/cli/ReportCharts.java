package io.afd.cli;

import io.afd.core.experiment.Analysis;
import io.afd.core.experiment.Cell;
import io.afd.core.experiment.ScoreMapHistory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG figures, drawn with XChart (org.knowm.xchart): accuracy curves (mean over seeds
 * with a ±1 std band) and score-map heatmaps. Colour = policy, line style = compression.
 */
final class ReportCharts {
    static final int WIDTH = 900;
    static final int HEIGHT = 540;

    private ReportCharts() {}

    /** One line to draw. */
    record Line(Cell.SeriesKey key, String label, Analysis.Curve curve) {}

    static Color color(Cell.SeriesKey k, double rateShade) {
        Color c = switch (k.policy()) {
            case "fedavg" -> new Color(0x33, 0x33, 0x33);
            case "random-fd" -> new Color(0xE6, 0x9F, 0x00);
            case "afd-single" -> new Color(0x00, 0x72, 0xB2);
            case "afd-multi" -> new Color(0x00, 0x9E, 0x73);
            default -> new Color(0xCC, 0x79, 0xA7);
        };
        if (rateShade == 0) {
            return c;
        }
        float f = (float) Math.max(0.35, 1 - rateShade);
        return new Color(Math.round(c.getRed() * f), Math.round(c.getGreen() * f), Math.round(c.getBlue() * f));
    }

    static BasicStroke stroke(String compression) {
        return switch (compression) {
            case "dgc" ->
                new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f);
            case "dgc+q8" ->
                new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1.5f, 4.5f}, 0f);
            default -> new BasicStroke(2.2f);
        };
    }

    /**
     * Test accuracy (%) against x; writes {@code file}.
     *
     * @param shades per line, 0 for the base colour or a darkening for a second dropout rate
     */
    static void accuracy(
            Path file, String title, String xTitle, boolean logX, List<Line> lines, double[] shades, double target)
            throws IOException {
        if (logX) {
            // a log axis labels decades only: use it when the data spans more than two of them
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (Line l : lines) {
                for (double x : l.curve().x()) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            logX = lo > 0 && hi / lo > 100;
        }
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle + (logX ? " (log scale)" : ""));
        chart.setYAxisTitle("test accuracy (%)");
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xE0, 0xE0, 0xE0));
        st.setXAxisLogarithmic(logX);
        st.setMarkerSize(0);
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        st.setXAxisDecimalPattern(logX ? "0.###" : "#,##0.#");
        st.setYAxisDecimalPattern("0");
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            Analysis.Curve c = l.curve();
            if (c.x().length == 0) {
                continue;
            }
            any = true;
            Color col = color(l.key(), shades[i]);
            if (c.seeds() > 1) {
                int n = c.x().length;
                double[] bx = new double[2 * n];
                double[] by = new double[2 * n];
                for (int j = 0; j < n; j++) {
                    bx[j] = c.x()[j];
                    by[j] = 100 * (c.mean()[j] + c.std()[j]);
                    bx[2 * n - 1 - j] = c.x()[j];
                    by[2 * n - 1 - j] = 100 * (c.mean()[j] - c.std()[j]);
                }
                XYSeries band = chart.addSeries(l.label() + " band", bx, by);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 30));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            double[] y = new double[c.mean().length];
            for (int j = 0; j < y.length; j++) {
                y[j] = 100 * c.mean()[j];
            }
            XYSeries s = chart.addSeries(l.label(), c.x(), y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(col);
            s.setLineStyle(stroke(l.key().compression()));
            s.setMarker(SeriesMarkers.NONE);
        }
        if (any && !Double.isNaN(target)) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (Line l : lines) {
                for (double x : l.curve().x()) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            XYSeries t = chart.addSeries(
                    String.format(java.util.Locale.ROOT, "target %.1f %%", 100 * target),
                    new double[] {lo, hi},
                    new double[] {100 * target, 100 * target});
            t.setLineColor(new Color(0xB0, 0x00, 0x20));
            t.setLineStyle(
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {3f, 3f}, 0f));
            t.setMarker(SeriesMarkers.NONE);
        }
        if (!any) {
            chart.addSeries("no evaluated rounds", new double[] {1}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Heatmap of one layer's score map: rows = units, columns = rounds. */
    static void heatmap(Path file, String title, ScoreMapHistory h, String layer) throws IOException {
        List<double[]> cols = h.layers().get(layer);
        int units = cols.get(0).length;
        HeatMapChart chart =
                new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("round");
        chart.setYAxisTitle(layer + " units 0.." + (units - 1) + " (bottom to top)");
        var st = chart.getStyler();
        st.setLocale(java.util.Locale.ROOT);
        st.setChartBackgroundColor(Color.WHITE);
        st.setShowValue(false);
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        st.setDrawBorder(false);
        st.setPlotGridLinesVisible(false);
        st.setPlotBorderVisible(false);
        if (units > 40) {
            st.setYAxisTicksVisible(false); // one label per unit would overlap
        }
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        st.setRangeColors(new Color[] {
            new Color(0x44, 0x01, 0x54),
            new Color(0x3B, 0x52, 0x8B),
            new Color(0x21, 0x90, 0x8C),
            new Color(0x5D, 0xC8, 0x63),
            new Color(0xFD, 0xE7, 0x25)
        });
        st.setHeatMapDecimalValueFormatter(v -> String.format(java.util.Locale.ROOT, "%.3g", v));
        List<Integer> xs = new ArrayList<>();
        for (int r : h.rounds()) {
            xs.add(r + 1);
        }
        List<Integer> ys = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            ys.add(u);
        }
        // colour = the unit's score scaled to [0, 1] within its round (column): what the sampling sees is
        // the ranking inside a round, while raw scores drift with the loss level over rounds
        List<Number[]> data = new ArrayList<>();
        for (int x = 0; x < cols.size(); x++) {
            double[] s = cols.get(x);
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (double v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (int u = 0; u < Math.min(units, s.length); u++) {
                data.add(new Number[] {x, u, max > min ? (s[u] - min) / (max - min) : 0.5});
            }
        }
        st.setMin(0);
        st.setMax(1);
        chart.addSeries("score", xs, ys, data);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Layers of a history, in file order. */
    static List<String> layers(ScoreMapHistory h) {
        return new ArrayList<>(h.layers().keySet());
    }
}
