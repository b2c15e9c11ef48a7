package org.arachne.engine;

import org.arachne.middleware.RecrawlStage;

/**
 * The keys of the engine's stats, as in Scrapy ({@code item_scraped_count}, {@code
 * downloader/response_status_count/200}, {@code error_count/download/timeout}). The stages name
 * their own keys beside them ({@link org.arachne.middleware.RobotsStage}, {@link
 * org.arachne.middleware.HttpErrorFilter}); keys that end in a value are built by the methods here.
 */
public final class StatKeys {
    private StatKeys() {}

    /** Items written to the feeds. */
    public static final String ITEM_SCRAPED_COUNT = "item_scraped_count";

    /** Items a pipeline dropped (returned null) or failed on. */
    public static final String ITEM_DROPPED_COUNT = "item_dropped_count";

    /** Responses received, of any status (robots.txt excluded). */
    public static final String RESPONSE_RECEIVED_COUNT = "response_received_count";

    /** Requests callbacks produced that were new and queued. */
    public static final String REQUEST_SCHEDULED_COUNT = "request_scheduled_count";

    /** Requests callbacks produced that had been seen before. */
    public static final String DUPEFILTER_FILTERED = "dupefilter/filtered";

    /** Requests outside {@code allowed_domains}. */
    public static final String OFFSITE_FILTERED = "offsite/filtered";

    /** Requests whose URL is longer than {@code url_length_limit} (Scrapy's name). */
    public static final String URL_LENGTH_FILTERED = "urllength/request_ignored_count";

    /** Requests deeper than {@code depth_limit}. */
    public static final String DEPTH_FILTERED = "depth/filtered";

    /** Errors of every kind; each kind also counts under {@link #error}. */
    public static final String ERROR_COUNT = "error_count";

    /**
     * Prefix, before a field's name, of the items a feed wrote without that field, having no place
     * for it (not a CSV column, not in {@code feed_export_fields}); once per feed and item.
     */
    public static final String FEED_FIELD_DROPPED = "feedexport/field_dropped/";

    /** Requests that failed for good. */
    public static final String DEAD_LETTER_COUNT = "dead_letter_count";

    /** Errbacks called: one per request that failed for good (#12). */
    public static final String ERRBACK_COUNT = "errback/count";

    /**
     * Failures whose errback emitted items or requests: their lease ends done with them, so they
     * are counted as errors but are no dead letters (#12).
     */
    public static final String ERRBACK_HANDLED = "errback/handled";

    /**
     * Prefix, before a callback's name, of the requests failed for good unfetched because the
     * spider has no callback of that name (one a changed spider no longer has, #10); each also
     * counts as the error {@code callback/missing}.
     */
    public static final String CALLBACK_MISSING = "callback_missing/";

    /** Wall time of the crawl, in milliseconds. */
    public static final String ELAPSED_MS = "elapsed_ms";

    public static final String DOWNLOADER_REQUEST_COUNT = "downloader/request_count";
    public static final String DOWNLOADER_RESPONSE_COUNT = "downloader/response_count";
    public static final String DOWNLOADER_RESPONSE_BYTES = "downloader/response_bytes";
    public static final String DOWNLOADER_EXCEPTION_COUNT = "downloader/exception_count";

    /** Requests tried again after a failure; by kind under {@link #retryReason}. */
    public static final String RETRY_COUNT = "retry/count";

    /** robots.txt requests sent; their statuses count under {@link #robotsResponseStatus}. */
    public static final String ROBOTSTXT_REQUEST_COUNT = "robotstxt/request_count";

    /** Connection errors and timeouts that raised a slot's error backoff. */
    public static final String POLITENESS_ERROR_BACKOFF_COUNT = "politeness/error_backoff_count";

    /** {@code Retry-After} answers that paused a whole slot. */
    public static final String POLITENESS_RETRY_AFTER_PAUSE_COUNT =
            "politeness/retry_after_pause_count";

    /** Lease endings the frontier refused because the lease had expired or ended. */
    public static final String FRONTIER_LEASE_LOST = "frontier/lease_lost";

    /** Frontier calls tried again after a transient failure. */
    public static final String FRONTIER_RETRIES = "frontier/retries";

    /** Runs that resumed this crawl from a kept frontier. */
    public static final String FRONTIER_RESUMED = "frontier/resumed";

    /** Pages of a finished job queued again by {@code recrawl_after}. */
    public static final String RECRAWL_QUEUED = "recrawl/queued";

    /** Recrawled pages the server answered {@code 304 Not Modified}: no items, no links. */
    public static final String RECRAWL_NOT_MODIFIED = RecrawlStage.NOT_MODIFIED;

    /** Recrawled pages sent whole with the body they had: no items unless {@code all}. */
    public static final String RECRAWL_UNCHANGED = RecrawlStage.UNCHANGED;

    /** Recrawled pages that changed: their items are emitted, their links followed. */
    public static final String RECRAWL_CHANGED = RecrawlStage.CHANGED;

    /** Dead letters queued again by {@code retry_failed} at the start of this run. */
    public static final String FRONTIER_DEAD_LETTERS_REQUEUED = "frontier/dead_letters_requeued";

    /** This run's number among the runs of its job dir (1 for the first); only with a job dir. */
    public static final String FRONTIER_RUN = "frontier/run";

    /**
     * Requests failed for good that a job dir keeps now, all runs' (those queued again left out).
     */
    public static final String FRONTIER_DEAD_LETTERS = "frontier/dead_letters";

    /** robots.txt files read for their {@code Sitemap:} lines. */
    public static final String SITEMAP_ROBOTSTXT = "sitemap/robotstxt";

    /** Sitemaps and sitemap indexes read. */
    public static final String SITEMAP_SITEMAPS = "sitemap/sitemaps";

    /** Page URLs a sitemap listed and the crawl followed. */
    public static final String SITEMAP_URLS = "sitemap/urls";

    /** Alternate-language URLs followed ({@code sitemap_alternate_links}). */
    public static final String SITEMAP_ALTERNATE_URLS = "sitemap/alternate_urls";

    /** Nested sitemaps not followed: no {@code sitemap_follow} pattern matched. */
    public static final String SITEMAP_FILTERED_FOLLOW = "sitemap/filtered/follow";

    /** Sitemap URLs no {@code sitemap_rules} pattern matched. */
    public static final String SITEMAP_FILTERED_NO_RULE = "sitemap/filtered/no_rule";

    /** Sitemap entries that are not valid URLs. */
    public static final String SITEMAP_SKIPPED_INVALID_URL = "sitemap/skipped/invalid_url";

    /** {@code error_count/<kind>}. */
    public static String error(String kind) {
        return ERROR_COUNT + "/" + kind;
    }

    /** {@code downloader/request_method_count/<method>}. */
    public static String requestMethod(String method) {
        return "downloader/request_method_count/" + method;
    }

    /** {@code downloader/response_status_count/<status>}. */
    public static String responseStatus(int status) {
        return "downloader/response_status_count/" + status;
    }

    /** {@code downloader/response_protocol/<HTTP/2|HTTP/1.1>}. */
    public static String responseProtocol(String protocol) {
        return "downloader/response_protocol/" + protocol;
    }

    /** {@code downloader/exception_type_count/<kind>}. */
    public static String exceptionType(String kind) {
        return "downloader/exception_type_count/" + kind;
    }

    /** {@code retry/reason_count/<kind>}. */
    public static String retryReason(String kind) {
        return "retry/reason_count/" + kind;
    }

    /**
     * {@code link/skipped/<not_http|invalid_url>}: a link a callback followed that is no request.
     */
    public static String linkSkipped(String reason) {
        return "link/skipped/" + reason;
    }

    /** {@code spider/<key>}: what a spider counts itself ({@code Output.count}). */
    public static String spider(String key) {
        return "spider/" + key;
    }

    /** {@code robotstxt/response_status_count/<status>}. */
    public static String robotsResponseStatus(int status) {
        return "robotstxt/response_status_count/" + status;
    }
}
