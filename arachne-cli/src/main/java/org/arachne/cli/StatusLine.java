package org.arachne.cli;

import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * The one status line at the bottom of a terminal's stderr (the crawl's progress), drawn in place
 * with {@code \r}. Other output to stderr while it is shown (a log line, a message) goes through
 * {@link #around}, which clears the line first and draws it again after, so that a log line never
 * starts in the middle of the progress line nor leaves its tail behind (#9). Logback's console
 * appender does so for every log line ({@link StatusLineAppender}), through the line {@link
 * #shown()}.
 *
 * <p>Thread-safety: every method locks the writer, the lock every stderr message of the CLI takes.
 */
final class StatusLine {
    private static volatile @Nullable StatusLine shown;

    private final PrintWriter err;
    private String text = "";

    StatusLine(PrintWriter err) {
        this.err = err;
    }

    /** The status line on screen now, if any. */
    static @Nullable StatusLine shown() {
        return shown;
    }

    /**
     * Runs {@code output} (which writes whole lines to stderr) with the status line on screen, if
     * any, cleared before and drawn again after; else just runs it.
     */
    static void aroundShown(Runnable output) {
        StatusLine line = shown;
        if (line == null) {
            output.run();
        } else {
            line.around(output);
        }
    }

    /** Draws {@code line} in place of the current one; it should fit the terminal's width. */
    void show(String line) {
        synchronized (err) {
            err.print("\r" + line + " ".repeat(Math.max(0, text.length() - line.length())));
            err.flush();
            text = line;
            shown = this;
        }
    }

    /** Runs {@code output} with this line cleared before and drawn again after. */
    void around(Runnable output) {
        synchronized (err) {
            String keep = text;
            erase();
            try {
                output.run();
            } finally {
                if (!keep.isEmpty()) {
                    err.print("\r" + keep);
                    err.flush();
                    text = keep;
                }
            }
        }
    }

    /** Clears the line and leaves the cursor at the start of it; nothing is shown afterwards. */
    void clear() {
        synchronized (err) {
            erase();
            if (shown == this) {
                shown = null;
            }
        }
    }

    private void erase() {
        if (!text.isEmpty()) {
            err.print("\r" + " ".repeat(text.length()) + "\r");
            err.flush();
            text = "";
        }
    }
}
