package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.arachne.engine.Crawler;
import org.arachne.engine.StatKeys;
import org.arachne.engine.StatsView;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live progress of a crawl on stderr, driven by a scheduled executor: on a terminal one {@link
 * StatusLine} redrawn every second, cut to the terminal's width; otherwise (a log file, CI) a log
 * line every ten seconds. Both show the current rate (over the last {@link #RATE_WINDOW}) besides
 * the average. Stopped by {@link #close}, which clears the terminal line.
 */
final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("progress");

    /** How far back the current rate looks. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(5);

    /** The width assumed when {@code COLUMNS} does not say. */
    static final int DEFAULT_WIDTH = 80;

    /** What the line shows besides the time and the rates. */
    record Counts(long pages, long items, long queued, long inFlight, long errors) {}

    private final Crawler crawler;
    private final @Nullable StatusLine line;
    private final int width;
    private final long startNanos = System.nanoTime();
    private final RateWindow rate = new RateWindow(RATE_WINDOW);
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("arachne-progress").factory());

    private Progress(Crawler crawler, @Nullable StatusLine line, int width) {
        this.crawler = crawler;
        this.line = line;
        this.width = width;
        rate.record(startNanos, 0);
    }

    /** Starts showing the progress of {@code crawler}: on {@code err} if it is a terminal. */
    static Progress start(Crawler crawler, PrintWriter err, boolean terminal) {
        Progress p =
                terminal
                        ? new Progress(crawler, new StatusLine(err), width(System.getenv()))
                        : new Progress(crawler, null, Integer.MAX_VALUE);
        long period = terminal ? 1 : 10;
        p.timer.scheduleAtFixedRate(p::tick, period, period, TimeUnit.SECONDS);
        return p;
    }

    private void tick() {
        long now = System.nanoTime();
        StatsView stats = crawler.stats();
        Counts counts =
                new Counts(
                        stats.get(StatKeys.RESPONSE_RECEIVED_COUNT),
                        stats.get(StatKeys.ITEM_SCRAPED_COUNT),
                        crawler.queued(),
                        crawler.inFlight(),
                        stats.get(StatKeys.ERROR_COUNT));
        double current = rate.record(now, counts.pages());
        String text = render(Duration.ofNanos(now - startNanos), counts, current, width);
        if (line != null) {
            line.show(text);
        } else {
            LOG.info(text);
        }
    }

    /**
     * One line, at most {@code width - 1} characters (a full last column makes some terminals
     * wrap): elapsed, pages, current and average pages per second, items, errors, queued, in
     * flight; what does not fit is left off from the end.
     */
    static String render(Duration elapsed, Counts counts, double currentRate, int width) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        List<String> parts =
                List.of(
                        Summary.clock(elapsed),
                        counts.pages() + " pages",
                        String.format(
                                Locale.ROOT,
                                "%.1f/s (avg %.1f/s)",
                                currentRate,
                                counts.pages() / seconds),
                        counts.items() + " items",
                        counts.errors() + " errors",
                        counts.queued() + " queued",
                        counts.inFlight() + " in flight");
        int room = Math.max(1, width - 1);
        StringBuilder sb = new StringBuilder(parts.get(0));
        for (String part : parts.subList(1, parts.size())) {
            if (sb.length() + 2 + part.length() > room) {
                break;
            }
            sb.append("  ").append(part);
        }
        return sb.length() > room ? sb.substring(0, room) : sb.toString();
    }

    /** The terminal's width: {@code COLUMNS} (the launcher sets it from the terminal), else 80. */
    static int width(Map<String, String> env) {
        try {
            int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
            return columns > 0 ? columns : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /**
     * Whether stderr, where the progress goes, is a terminal. {@link System#console()} cannot tell:
     * it is about stdin and stdout (on JDK 22+ {@code Console.isTerminal()} is true only when both
     * are terminals), so {@code crawl ... > out.txt} lost its progress line while {@code crawl ...
     * 2> log.txt} wrote {@code \r} lines into the log (#9). On Linux, {@code /proc/self/fd/2} names
     * the device stderr is open on; elsewhere the console is the best guess there is.
     */
    static boolean stderrIsTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return consoleIsTerminal();
        }
    }

    /**
     * Whether a file descriptor's link in {@code /proc/self/fd} names a terminal: a pseudo-terminal
     * ({@code /dev/pts/3}), a virtual console or serial line ({@code /dev/tty1}, {@code
     * /dev/ttyS0}), the process's terminal ({@code /dev/tty}) or the system console; not a pipe,
     * socket, file or {@code /dev/null}.
     */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/")
                || target.startsWith("/dev/tty")
                || target.equals("/dev/console");
    }

    private static boolean consoleIsTerminal() {
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
        if (line != null) {
            line.clear();
        }
    }

    /**
     * The rate of a growing count over the last window: from the newest sample at least a window
     * old (or the oldest there is) to the newest. Not thread-safe: the progress timer records.
     */
    static final class RateWindow {
        private record Sample(long nanos, long count) {}

        private final long windowNanos;
        private final List<Sample> samples = new ArrayList<>();

        RateWindow(Duration window) {
            this.windowNanos = window.toNanos();
        }

        /** Records {@code count} at {@code nanos} and returns the rate per second up to it. */
        double record(long nanos, long count) {
            samples.add(new Sample(nanos, count));
            while (samples.size() > 2 && samples.get(1).nanos() <= nanos - windowNanos) {
                samples.remove(0);
            }
            Sample base = samples.get(0);
            long span = nanos - base.nanos();
            return span <= 0 ? 0 : (count - base.count()) * 1e9 / span;
        }
    }
}
