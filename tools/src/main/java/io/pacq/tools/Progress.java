package io.pacq.tools;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr for work that takes more than a second. Draws only when
 * stderr is a terminal and only after the first second, so scripts and quick runs see nothing.
 * Not thread-safe: one owner thread updates it.
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_NANOS = 1_000_000_000L;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final boolean enabled;
    private boolean drawn;

    Progress(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = System.console() != null && !Boolean.getBoolean("pacq.noProgress");
    }

    /** Reports that {@code done} of the total units are finished. */
    void update(long done) {
        if (!enabled || System.nanoTime() - start < DELAY_NANOS) {
            return;
        }
        int width = 30;
        int fill = (int) Math.min(width, done * width / total);
        err.print("\r" + label + " [" + "#".repeat(fill) + " ".repeat(width - fill) + "] " + done + "/" + total);
        err.flush();
        drawn = true;
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r" + " ".repeat(label.length() + 50) + "\r");
            err.flush();
        }
    }
}
