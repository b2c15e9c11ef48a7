package org.arachne.engine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.arachne.http.DownloadException;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.middleware.Outcome;
import org.arachne.middleware.RobotsStage;
import org.arachne.spider.Failure;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener of what happens to leases: each event is counted in the crawl's {@link Stats}
 * under its {@link StatKeys} and logged with its URL (credentials masked), so the lease handler and
 * the stages say what happened and never how it is counted. robots.txt requests count under {@code
 * robotstxt/...} instead of the page counters, so {@code response_received_count} stays the pages
 * crawled.
 */
final class CrawlEvents {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlEvents.class);

    /** The length items are cut to in debug lines. */
    static final int ITEM_TEXT_MAX = 300;

    private final Stats stats;
    private final FetchLog fetchLog;
    private final DeadLetterFeed deadLetterFeed;

    CrawlEvents(Stats stats, FetchLog fetchLog, DeadLetterFeed deadLetterFeed) {
        this.stats = stats;
        this.fetchLog = fetchLog;
        this.deadLetterFeed = deadLetterFeed;
    }

    void requestSent(Request request) {
        if (RobotsStage.isRobotsRequest(request)) {
            stats.inc(StatKeys.ROBOTSTXT_REQUEST_COUNT);
            return;
        }
        stats.inc(StatKeys.DOWNLOADER_REQUEST_COUNT);
        stats.inc(StatKeys.requestMethod(request.method()));
    }

    void responseReceived(Response response) {
        if (RobotsStage.isRobotsRequest(response.request())) {
            stats.inc(StatKeys.robotsResponseStatus(response.status()));
            return;
        }
        stats.inc(StatKeys.RESPONSE_RECEIVED_COUNT);
        fetchLog.fetched(response.url());
        stats.inc(StatKeys.DOWNLOADER_RESPONSE_COUNT);
        stats.inc(StatKeys.responseStatus(response.status()));
        stats.inc(StatKeys.responseProtocol(response.protocol()));
        stats.inc(StatKeys.DOWNLOADER_RESPONSE_BYTES, response.body().length());
        if (LOG.isDebugEnabled()) {
            Request request = response.request();
            String referer = request.headers().first("Referer");
            LOG.debug(
                    "crawled {} {} {} (referer: {}, {} ms, {})",
                    response.status(),
                    request.method(),
                    safe(response.url()),
                    referer == null ? "none" : safe(referer),
                    response.latency().toMillis(),
                    size(response.body().length()));
        }
    }

    /** A byte count as people read it: {@code 512 B}, {@code 18 KiB}, {@code 2.5 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return Math.round(bytes / 1024.0) + " KiB";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    void downloadFailed(Request request, DownloadException e, boolean backsOff) {
        String kind = e.kind().statName();
        stats.inc(StatKeys.DOWNLOADER_EXCEPTION_COUNT);
        stats.inc(StatKeys.exceptionType(kind));
        if (backsOff) {
            stats.inc(StatKeys.POLITENESS_ERROR_BACKOFF_COUNT);
        }
        LOG.debug("download of {} failed: {}", safe(request.url()), e.getMessage());
    }

    void slotPaused(String slot, Request request, Duration pause) {
        stats.inc(StatKeys.POLITENESS_RETRY_AFTER_PAUSE_COUNT);
        LOG.debug(
                "slot {}: paused {} ms by Retry-After of {}",
                slot,
                pause.toMillis(),
                safe(request.url()));
    }

    void crawlDelay(String slot, Duration delay) {
        LOG.debug("slot {}: Crawl-delay {} ms from robots.txt", slot, delay.toMillis());
    }

    /** Counts what the stages that let a lease go on asked for, once it has ended. */
    void count(List<String> counters) {
        counters.forEach(stats::inc);
    }

    /** A stage ended the lease of {@code request}. */
    void outcome(Request request, Outcome outcome) {
        switch (outcome) {
            case Outcome.Drop drop -> {
                drop.counters().forEach(stats::inc);
                LOG.debug("{}: {}", safe(request.url()), safe(drop.reason()));
            }
            case Outcome.Replace replace -> {
                replace.counters().forEach(stats::inc);
                LOG.debug("{}: {}", safe(request.url()), safe(replace.reason()));
            }
            case Outcome.Retry retry -> {
                stats.inc(StatKeys.RETRY_COUNT);
                stats.inc(StatKeys.retryReason(retry.kind()));
                LOG.debug(
                        "retrying {} in {} ms: {}",
                        safe(request.url()),
                        retry.delay().toMillis(),
                        safe(retry.reason()));
            }
            case Outcome.Wait wait ->
                    LOG.trace(
                            "{} waits {} ms: {}",
                            safe(request.url()),
                            wait.delay().toMillis(),
                            safe(wait.reason()));
            case Outcome.Fail fail -> {
                fail.counters().forEach(stats::inc);
                stats.countError(fail.errorKind());
                LOG.error("{} failed for good: {}", safe(request.url()), safe(fail.reason()));
            }
        }
    }

    /** The frontier failed a request for good; {@code status} of its last response, 0 for none. */
    void deadLetter(Request request, String reason, int status) {
        stats.inc(StatKeys.DEAD_LETTER_COUNT);
        LOG.debug("dead letter {}: {}", safe(request.url()), safe(reason));
        deadLetterFeed.failed(request, reason, status);
    }

    void scheduled(int produced, int queued) {
        stats.inc(StatKeys.REQUEST_SCHEDULED_COUNT, queued);
        stats.inc(StatKeys.DUPEFILTER_FILTERED, produced - queued);
    }

    /** The first request for a callback the spider does not have; each such request fails. */
    void callbackMissingFirst(String spider, String callback) {
        LOG.warn(
                "the spider '{}' has no callback '{}' (changed since its requests were queued?):"
                        + " they fail for good without being fetched, as {}{}; with a job dir,"
                        + " retry_failed (--retry-failed) queues them again once it is back",
                spider,
                callback,
                StatKeys.CALLBACK_MISSING,
                callback);
    }

    void callbackMissing(String spider, String callback, Request request) {
        stats.countError("callback/missing");
        LOG.error("spider {} has no callback '{}' for {}", spider, callback, safe(request.url()));
    }

    void callbackFailed(String callback, Response response, Throwable e) {
        stats.countError("callback", e);
        LOG.error(
                "callback {} failed on {}: {}",
                callback,
                safe(response.url()),
                safe(e.toString()),
                e);
    }

    /** An errback ran for a request that failed for good. */
    void errbackCalled(String errback, Failure failure) {
        stats.inc(StatKeys.ERRBACK_COUNT);
        LOG.debug(
                "errback {} called for {}: {}",
                errback,
                safe(failure.request().url()),
                safe(failure.kind()));
    }

    /** A request named an errback the spider does not have. */
    void errbackMissing(String spider, String errback, Request request) {
        stats.countError("errback/missing");
        LOG.error("spider {} has no errback '{}' for {}", spider, errback, safe(request.url()));
    }

    void errbackFailed(String errback, Request request, Throwable e) {
        stats.countError("errback", e);
        LOG.error(
                "errback {} failed on {}: {}", errback, safe(request.url()), safe(e.toString()), e);
    }

    void pipelineFailed(Object pipeline, String url, Exception e) {
        stats.countError("pipeline", e);
        LOG.error(
                "pipeline {} failed on an item of {}: {}",
                pipeline,
                safe(url),
                safe(e.toString()),
                e);
    }

    /** A transactional pipeline's {@code beforeCommit} or {@code committed} threw. */
    void pipelineHookFailed(Object pipeline, String hook, String url, Exception e) {
        stats.countError("pipeline", e);
        LOG.error(
                "pipeline {} failed in {} for the items of {}: {}",
                pipeline,
                hook,
                safe(url),
                safe(e.toString()),
                e);
    }

    /**
     * A pipeline dropped an item of {@code response}: it returned null, or threw ({@code failure},
     * logged as an error already by {@link #pipelineFailed}).
     */
    void itemDropped(Object pipeline, String url, Item item, @Nullable Exception failure) {
        stats.inc(StatKeys.ITEM_DROPPED_COUNT);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "dropped an item of {} by pipeline {} ({}): {}",
                    safe(url),
                    pipeline,
                    failure == null ? "it returned null" : safe(failure.toString()),
                    shortened(item));
        }
    }

    /** The items of the page at {@code url} that passed the pipelines, one debug line each. */
    void itemsScraped(String url, List<Item> items) {
        if (LOG.isDebugEnabled()) {
            for (Item item : items) {
                LOG.debug("scraped from {}: {}", safe(url), shortened(item));
            }
        }
    }

    /**
     * An item for a log line: its fields, cut after {@value #ITEM_TEXT_MAX} characters, credentials
     * of URLs in it masked.
     */
    static String shortened(Item item) {
        String text = item.fields().toString();
        if (text.length() > ITEM_TEXT_MAX) {
            text = text.substring(0, ITEM_TEXT_MAX) + "…";
        }
        return safe(text);
    }

    void unexpected(Request request, Throwable e) {
        stats.countError("engine", e);
        LOG.error("unexpected failure on {}: {}", safe(request.url()), safe(e.toString()), e);
    }

    /**
     * Text for a log line with the credentials of its URLs masked (#9). A thrown exception's own
     * stack trace is logged as it was thrown.
     */
    private static String safe(String text) {
        return Urls.redacted(text);
    }
}
