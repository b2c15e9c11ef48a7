package org.arachne.engine;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a crawl ended, with its final stats.
 *
 * @param status why it ended
 * @param reason a human-readable reason, e.g. {@code closespider_itemcount} or {@code finished}
 * @param elapsed wall time from start to the last item written
 * @param stats every counter at the end (see {@link Stats})
 */
public record CrawlResult(Status status, String reason, Duration elapsed, Map<String, Long> stats) {

    /** Why a crawl ended. */
    public enum Status {
        /** Nothing was left to crawl. */
        FINISHED,
        /** A close condition fired (item, page, time or error count). */
        CLOSED,
        /** Stopped on request (first Ctrl-C): in-flight work was finished. */
        STOPPED,
        /** Aborted (second Ctrl-C, or a fatal error before the crawl could run). */
        ABORTED,
        /**
         * An output could not be written (a full disk, a file-size limit), or the frontier's store
         * (a job dir's database, {@code FrontierException.Kind.STORAGE}): the crawl stopped so that
         * nothing more is lost; the file ends on its last whole record.
         */
        OUTPUT_FAILED
    }

    public CrawlResult {
        stats = Map.copyOf(stats);
    }

    /** Responses received (any status). */
    public long pages() {
        return stats.getOrDefault("response_received_count", 0L);
    }

    /** Items written to the feeds. */
    public long items() {
        return stats.getOrDefault("item_scraped_count", 0L);
    }

    /** Errors of every kind. */
    public long errors() {
        return stats.getOrDefault("error_count", 0L);
    }

    /** Errors by kind: the {@code error_count/...} counters without their prefix. */
    public Map<String, Long> errorsByKind() {
        Map<String, Long> result = new TreeMap<>();
        stats.forEach(
                (k, v) -> {
                    if (k.startsWith("error_count/")) {
                        result.put(k.substring("error_count/".length()), v);
                    }
                });
        return result;
    }

    /** Pages per second over the elapsed time. */
    public double pagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : pages() / seconds;
    }
}
