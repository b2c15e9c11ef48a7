package org.arachne.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Runs a built crawler the way every crawling command does: Ctrl-C handling (see {@link
 * Interrupts}: the first stops gracefully, the second aborts), live progress, the summary and the
 * stats file.
 */
final class CrawlSession {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter err;
    private final boolean terminal;
    private final String noOutput;
    private boolean interrupted;

    CrawlSession(PrintWriter err, boolean terminal) {
        this(err, terminal, Summary.NO_OUTPUT);
    }

    /**
     * @param noOutput what the summary's output line says of a crawl without files
     */
    CrawlSession(PrintWriter err, boolean terminal, String noOutput) {
        this.err = err;
        this.terminal = terminal;
        this.noOutput = noOutput;
    }

    /**
     * Runs the crawl to its end with progress and Ctrl-C handling, prints the summary and writes
     * the stats file. Returns only when all of that is done.
     *
     * @param spider where the spider came from, for the summary: its file, or its class
     * @throws CliException (config) when the stats file cannot be written
     */
    CrawlResult run(Crawler crawler, String spider, List<Feed> feeds, @Nullable Path statsJson) {
        CrawlResult result;
        try (Interrupts interrupts = Interrupts.install(crawler, err);
                Progress progress = Progress.start(crawler, err, terminal)) {
            result = crawler.run();
            interrupted = interrupts.interrupted();
        }
        synchronized (err) {
            err.print(
                    Summary.of(
                            result,
                            feeds.stream().map(Feed::path).toList(),
                            crawler.failedFile().orElse(null),
                            spider,
                            noOutput));
            if (noPage(result)) {
                err.println("arachne: no page could be fetched: " + Summary.whyNoPage(result));
            }
            err.flush();
        }
        if (statsJson != null) {
            writeStats(result, statsJson);
        }
        return result;
    }

    /** Whether Ctrl-C (or SIGTERM) ended the last crawl. */
    boolean interrupted() {
        return interrupted;
    }

    /**
     * Builds the crawler of a spider with the {@code -s} settings and feeds.
     *
     * @throws CliException config (exit 3) for an unknown setting or a bad value, naming it; for a
     *     job dir, the code of {@link #frontierExitCode}; aborted (exit 4) when the crawler cannot
     *     be set up otherwise
     */
    static Crawler build(Spider spider, Map<String, String> settings, List<Feed> feeds) {
        return build(spider, settings, feeds, null);
    }

    /** As {@link #build(Spider, Map, List)}, also logging fetched URLs to a file when given. */
    static Crawler build(
            Spider spider,
            Map<String, String> settings,
            List<Feed> feeds,
            @Nullable Path fetchedUrls) {
        return build(spider, settings, feeds, fetchedUrls, null);
    }

    /**
     * As {@link #build(Spider, Map, List, Path)}, with the frontier from {@code frontier} when
     * given (a Redis worker's), else as {@code job_dir} says.
     */
    static Crawler build(
            Spider spider,
            Map<String, String> settings,
            List<Feed> feeds,
            @Nullable Path fetchedUrls,
            @Nullable FrontierFactory frontier) {
        return build(spider, settings, feeds, fetchedUrls, frontier, List.of());
    }

    /** As {@link #build(Spider, Map, List, Path, FrontierFactory)}, with these item pipelines. */
    static Crawler build(
            Spider spider,
            Map<String, String> settings,
            List<Feed> feeds,
            @Nullable Path fetchedUrls,
            @Nullable FrontierFactory frontier,
            List<ItemPipeline> pipelines) {
        Crawler.Builder builder = Crawler.builder(spider);
        try {
            builder.settings(settings);
            pipelines.forEach(builder::pipeline);
            feeds.forEach(builder::feed);
            if (fetchedUrls != null) {
                builder.fetchedUrls(fetchedUrls);
            }
            if (frontier != null) {
                builder.frontier(frontier);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw CliException.config(e.getMessage());
        } catch (FrontierException e) {
            throw new CliException(
                    frontierExitCode(e), "cannot start the crawl: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CliException(
                    ExitCodes.ABORTED, "cannot start the crawl: " + e.getMessage(), e);
        }
    }

    /**
     * The exit code of a frontier that cannot be opened: its job dir in use by another process, a
     * job dir that cannot be used as it is (another spider's, damaged, foreign, newer), its files
     * that cannot be written (a full disk), or another failure.
     */
    static int frontierExitCode(FrontierException e) {
        return switch (e.kind()) {
            case IN_USE -> ExitCodes.JOB_DIR_IN_USE;
            case REFUSED -> ExitCodes.CONFIG;
            case STORAGE -> ExitCodes.OUTPUT_FAILED;
            case FAILED -> ExitCodes.ABORTED;
        };
    }

    /** The exit code for how the crawl ended (see {@link ExitCodes}). */
    int exitCode(CrawlResult result, boolean failOnError) {
        if (interrupted) {
            return ExitCodes.INTERRUPTED;
        }
        if (noPage(result)) {
            return ExitCodes.NO_PAGE;
        }
        return switch (result.status()) {
            case ABORTED -> ExitCodes.ABORTED;
            case OUTPUT_FAILED -> ExitCodes.OUTPUT_FAILED;
            case STOPPED -> ExitCodes.INTERRUPTED;
            case FINISHED, CLOSED ->
                    failOnError && result.errors() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
        };
    }

    /**
     * Whether the crawl ran to its end without one page because every request failed (#9: such a
     * crawl exited 0). A crawl that had nothing to fetch (every start URL offsite, forbidden by
     * robots.txt) did not fail.
     */
    static boolean noPage(CrawlResult result) {
        return result.status() == CrawlResult.Status.FINISHED
                && result.pages() == 0
                && result.errors() > 0;
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
            throw CliException.config(
                    "cannot write --stats-json " + file + ": " + OutputPaths.reason(e));
        }
    }
}
