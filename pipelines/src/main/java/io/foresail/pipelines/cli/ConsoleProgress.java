package io.foresail.pipelines.cli;

import io.foresail.core.progress.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A terminal progress bar on stderr: redrawn in place on a terminal, one line per stage and
 * quarter otherwise (CI logs), so long jobs show they are alive without flooding the log.
 */
final class ConsoleProgress implements Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private String stage = "";
    private int lastQuarter = -1;

    ConsoleProgress(PrintStream out) {
        this.out = out;
        this.interactive = System.console() != null;
    }

    @Override
    public synchronized void update(String newStage, long done, long total) {
        if (!newStage.equals(stage)) {
            if (interactive && !stage.isEmpty()) {
                out.println();
            }
            stage = newStage;
            lastQuarter = -1;
        }
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        String line = String.format(Locale.ROOT, "%-16s [%-" + WIDTH + "s] %3.0f%% %d/%d %.1fs", newStage,
                "#".repeat((int) (fraction * WIDTH)), 100 * fraction, done, total,
                (System.nanoTime() - startNanos) / 1e9);
        if (interactive) {
            out.print("\r" + line);
            if (done >= total) {
                out.println();
                stage = "";
            }
        } else {
            int quarter = (int) (fraction * 4);
            if (quarter != lastQuarter) {
                lastQuarter = quarter;
                out.println(line);
            }
        }
        out.flush();
    }
}
