package io.shadowvm.cli.predict;

import io.shadowvm.predict.model.Forecaster;
import java.io.PrintWriter;

/** Draws {@code [#####.....] stage done/total} on stderr, at most every 100 ms, and ends the line at 100%. */
final class ProgressBar implements Forecaster.ProgressListener {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private long lastDrawNs;
    private String lastStage = "";

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void progress(String stage, long done, long total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && stage.equals(lastStage) && now - lastDrawNs < 100_000_000L) {
            return;
        }
        lastDrawNs = now;
        lastStage = stage;
        int filled = (int) (WIDTH * Math.min(1.0, (double) done / Math.max(1, total)));
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + stage + " " + done + "/" + total + "   ");
        if (finished) {
            err.println();
        }
        err.flush();
    }
}
