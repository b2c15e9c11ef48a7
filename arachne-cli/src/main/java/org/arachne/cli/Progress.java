package org.arachne.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arachne.engine.Crawler;
import org.arachne.engine.StatsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live progress of a crawl on stderr, driven by a scheduled executor: on a terminal one line
 * rewritten in place ({@code \r}) every second; otherwise (a log file, CI) a log line every ten
 * seconds. Stopped by {@link #close}, which clears the terminal line.
 */
final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("progress");

    private final Crawler crawler;
    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("arachne-progress").factory());
    private int lastWidth;

    private Progress(Crawler crawler, PrintWriter err, boolean terminal) {
        this.crawler = crawler;
        this.err = err;
        this.terminal = terminal;
    }

    /** Starts showing the progress of {@code crawler}. */
    static Progress start(Crawler crawler, PrintWriter err, boolean terminal) {
        Progress p = new Progress(crawler, err, terminal);
        long period = terminal ? 1 : 10;
        p.timer.scheduleAtFixedRate(p::tick, period, period, TimeUnit.SECONDS);
        return p;
    }

    private void tick() {
        String line = line();
        if (terminal) {
            synchronized (err) {
                err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                err.flush();
            }
            lastWidth = line.length();
        } else {
            LOG.info(line);
        }
    }

    /** One line: elapsed, pages, pages per second, items, queued, in flight, errors. */
    String line() {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        StatsView stats = crawler.stats();
        long pages = stats.get("response_received_count");
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return String.format(
                Locale.ROOT,
                "%s  %d pages (%.1f/s)  %d items  %d queued  %d in flight  %d errors",
                Summary.clock(elapsed),
                pages,
                pages / seconds,
                stats.get("item_scraped_count"),
                crawler.queued(),
                crawler.inFlight(),
                stats.get("error_count"));
    }

    /** Whether stderr is a terminal: a console that (on JDK 22+) says it is one. */
    static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Console.isTerminal() exists from JDK 22 on, where System.console() is never null
            Object terminal = java.io.Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal && lastWidth > 0) {
            synchronized (err) {
                err.print("\r" + " ".repeat(lastWidth) + "\r");
                err.flush();
            }
        }
    }
}
