package io.afd.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal ({@code \r} redraws), or one line per step when the output
 * is not a terminal (CI logs stay readable).
 */
final class Progress {
    private final PrintStream out;
    private final int total;
    private final boolean tty;
    private final long start = System.nanoTime();

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
        this.tty = System.console() != null && System.getenv("CI") == null;
    }

    void step(int done, String status) {
        double frac = total == 0 ? 1 : (double) done / total;
        int width = 24;
        int filled = (int) Math.round(frac * width);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        String line = String.format(
                Locale.ROOT,
                "[%s] %d/%d %s | %s elapsed, eta %s",
                bar,
                done,
                total,
                status,
                duration(elapsed),
                duration(eta));
        if (tty) {
            out.print("\r" + line + "   ");
            if (done == total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
