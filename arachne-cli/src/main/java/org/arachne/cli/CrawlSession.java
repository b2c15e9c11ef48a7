package org.arachne.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.item.export.Feed;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Runs a built crawler the way every crawling command does: Ctrl-C handling, live progress, the
 * summary and the stats file.
 *
 * <p>Ctrl-C: the JDK has no portable signal API ({@code sun.misc.Signal} is internal), so a
 * shutdown hook stands in for a SIGINT handler. When the JVM starts shutting down (Ctrl-C, SIGTERM)
 * during a crawl, the hook calls {@link Crawler#stop()}: no new requests, in-flight ones finish,
 * feeds are flushed and closed; the summary and stats file are written; then the JVM exits with
 * 130. The hook waits at most {@link #GRACE}; after that it calls {@link Crawler#abort()} and waits
 * {@link #ABORT_GRACE} more. Limits: once the JVM is shutting down it ignores further SIGINTs, so a
 * second Ctrl-C does nothing (the grace timeout plays its role), and {@code kill -9} ends the
 * process at once with the feeds as far as they were flushed.
 */
final class CrawlSession {
    /** How long the first Ctrl-C waits for in-flight work before aborting. */
    static final Duration GRACE = Duration.ofSeconds(30);

    /** How long an abort waits for feeds to close. */
    static final Duration ABORT_GRACE = Duration.ofSeconds(5);

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter err;
    private final boolean terminal;

    CrawlSession(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Runs the crawl to its end with progress and Ctrl-C handling, prints the summary and writes
     * the stats file. Returns only when all of that is done.
     *
     * @throws CliException (config) when the stats file cannot be written
     */
    CrawlResult run(Crawler crawler, List<Feed> feeds, @Nullable Path statsJson) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> onShutdown(crawler, done), "arachne-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            CrawlResult result;
            try (Progress progress = Progress.start(crawler, err, terminal)) {
                result = crawler.run();
            }
            synchronized (err) {
                err.print(Summary.of(result, feeds.stream().map(Feed::path).toList()));
                err.flush();
            }
            if (statsJson != null) {
                writeStats(result, statsJson);
            }
            return result;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running (or ran): it returns now that done is counted down
            }
        }
    }

    private void onShutdown(Crawler crawler, CountDownLatch done) {
        if (done.getCount() == 0) {
            return;
        }
        synchronized (err) {
            err.println();
            err.println(
                    "arachne: stopping: finishing requests in flight (up to "
                            + GRACE.toSeconds()
                            + " s), then closing the output");
            err.flush();
        }
        crawler.stop();
        try {
            if (!done.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                err.println("arachne: still busy after " + GRACE.toSeconds() + " s: aborting");
                err.flush();
                crawler.abort();
                done.await(ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            crawler.abort();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Builds the crawler of a spider with the {@code -s} settings and feeds.
     *
     * @throws CliException config (exit 3) for an unknown setting or a bad value, naming it;
     *     aborted (exit 4) when the crawler cannot be set up otherwise
     */
    static Crawler build(Spider spider, Map<String, String> settings, List<Feed> feeds) {
        Crawler.Builder builder = Crawler.builder(spider);
        try {
            builder.settings(settings);
            feeds.forEach(builder::feed);
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw CliException.config(e.getMessage());
        } catch (RuntimeException e) {
            throw new CliException(
                    ExitCodes.ABORTED, "cannot start the crawl: " + e.getMessage(), e);
        }
    }

    /** The exit code for how the crawl ended (see {@link ExitCodes}). */
    static int exitCode(CrawlResult result, boolean failOnError) {
        return switch (result.status()) {
            case ABORTED -> ExitCodes.ABORTED;
            case STOPPED -> ExitCodes.INTERRUPTED;
            case FINISHED, CLOSED ->
                    failOnError && result.errors() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
        };
    }

    /**
     * Writes the result as JSON: status, reason, elapsed, the headline numbers and every stat.
     *
     * @throws CliException (config) when the file cannot be written
     */
    static void writeStats(CrawlResult result, Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", result.status().name());
        json.put("reason", result.reason());
        json.put("elapsed_seconds", result.elapsed().toMillis() / 1000.0);
        json.put("pages", result.pages());
        json.put("items", result.items());
        json.put("errors", result.errors());
        json.put("errors_by_kind", result.errorsByKind());
        json.put("pages_per_second", result.pagesPerSecond());
        json.put("stats", new java.util.TreeMap<>(result.stats()));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw CliException.config("cannot write --stats-json " + file + ": " + e);
        }
    }
}
