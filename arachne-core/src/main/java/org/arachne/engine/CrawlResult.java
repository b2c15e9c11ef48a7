package org.arachne.engine;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a crawl ended, with its final stats. A run of a job dir that resumed it counts the earlier
 * runs' counters in its stats (totals); {@code carriedOver} holds them, so this run's share is the
 * difference.
 *
 * @param status why it ended
 * @param reason a human-readable reason, e.g. {@code closespider_itemcount} or {@code finished}
 * @param elapsed wall time of this run from start to the last item written
 * @param stats every counter at the end (see {@link Stats}), earlier runs' included
 * @param carriedOver the counters of earlier runs of the job, empty for a crawl that resumed none
 */
public record CrawlResult(
        Status status,
        String reason,
        Duration elapsed,
        Map<String, Long> stats,
        Map<String, Long> carriedOver) {

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
        carriedOver = Map.copyOf(carriedOver);
    }

    /** A result of a crawl that carried nothing over. */
    public CrawlResult(Status status, String reason, Duration elapsed, Map<String, Long> stats) {
        this(status, reason, elapsed, stats, Map.of());
    }

    /** Responses received (any status). */
    public long pages() {
        return stats.getOrDefault("response_received_count", 0L);
    }

    /** Items written to the feeds. */
    public long items() {
        return stats.getOrDefault("item_scraped_count", 0L);
    }

    /** Responses received in this run: {@link #pages()} less those of earlier runs. */
    public long pagesThisRun() {
        return thisRun("response_received_count");
    }

    /** Items written in this run: {@link #items()} less those of earlier runs. */
    public long itemsThisRun() {
        return thisRun("item_scraped_count");
    }

    /**
     * A counter's share of this run: its total less what earlier runs carried over; 0 if absent.
     */
    public long thisRun(String counter) {
        return stats.getOrDefault(counter, 0L) - carriedOver.getOrDefault(counter, 0L);
    }

    /** This run's number among the runs of its job dir, 1 for the first; 1 without a job dir. */
    public long run() {
        return stats.getOrDefault("frontier/run", 1L);
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

    /** Pages per second of this run over its elapsed time. */
    public double pagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : pagesThisRun() / seconds;
    }
}
