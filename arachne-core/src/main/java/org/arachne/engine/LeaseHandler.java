package org.arachne.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.Lease;
import org.arachne.http.DownloadException;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemPipeline;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.middleware.RetryPolicy;
import org.arachne.politeness.SlotSignals;
import org.arachne.spider.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow of one lease, from the private-address check and robots.txt through the download, retry
 * or redirect, the callback and the pipelines, to the one call that ends the lease with the signals
 * its slot learned. Every path ends the lease exactly once; failures are counted and logged with
 * the URL. The lease is marked ended only once the frontier answered, so a failing ending is tried
 * again by the catch-all instead of leaving the lease out.
 */
final class LeaseHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseHandler.class);

    private final CrawlParts parts;
    private final FrontierCalls calls;
    private final Frontier frontier;
    private final Stats stats;
    private final Request request;
    private volatile Lease lease;
    private SlotSignals signals = SlotSignals.NONE;
    private boolean leaseEnded;

    LeaseHandler(CrawlParts parts, FrontierCalls calls, Lease lease) {
        this.parts = parts;
        this.calls = calls;
        this.frontier = parts.frontier();
        this.stats = parts.stats();
        this.lease = lease;
        this.request = lease.request();
    }

    /** Extends the lease while the handler works; called from the engine's renewal thread. */
    void renew() {
        Lease current = lease;
        Lease renewed =
                calls.call("renew the lease of " + request.url(), () -> frontier.renew(current));
        if (renewed != null) {
            lease = renewed;
        } else {
            stats.inc("frontier/lease_lost");
            LOG.warn("the lease of {} was lost before it ended", request.url());
        }
    }

    void run() {
        try {
            if (!refused() && robotsAllow()) {
                download();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!leaseEnded) {
                retryLater(request, Duration.ZERO, "interrupted: the crawl is aborting");
            }
        } catch (RuntimeException | Error e) {
            stats.countError("engine", e);
            LOG.error("unexpected failure on {}: {}", request.url(), e.toString(), e);
            if (!leaseEnded) {
                try {
                    failed("unexpected failure: " + e);
                } catch (RuntimeException again) {
                    // the lease stays out until it expires; the frontier then queues it again
                    stats.countError("engine", again);
                    LOG.error(
                            "cannot end the lease of {}: {}",
                            request.url(),
                            again.toString(),
                            again);
                }
            }
        }
    }

    /** Fails the lease before any connection (robots.txt included) when its host is denied. */
    private boolean refused() {
        String refusal =
                parts.privateAddresses() == null ? null : parts.privateAddresses().refusal(request);
        if (refusal == null) {
            return false;
        }
        downloadFailed(
                new DownloadException(DownloadException.Kind.REFUSED, request.url(), refusal));
        return true;
    }

    /** Tells the slot the origin's Crawl-delay (its floor); returns that delay. */
    private Duration honourCrawlDelay() {
        Duration crawlDelay =
                parts.robots() == null ? Duration.ZERO : parts.robots().crawlDelay(request);
        if (!crawlDelay.isZero()) {
            signals = signals.withCrawlDelay(crawlDelay);
            LOG.debug(
                    "slot {}: Crawl-delay {} ms from robots.txt",
                    lease.slot(),
                    crawlDelay.toMillis());
        }
        return crawlDelay;
    }

    private boolean robotsAllow() throws InterruptedException {
        if (parts.robots() == null) {
            return true;
        }
        switch (parts.robots().check(request)) {
            case ALLOWED:
                return true;
            case DISALLOWED:
                LOG.debug("forbidden by robots.txt: {}", request.url());
                commit(List.of(), List.of());
                return false;
            case REQUEUE:
                // the lease's start went to robots.txt: the request waits its Crawl-delay
                retryLater(request, honourCrawlDelay(), "robots.txt fetched first");
                return false;
            case UNAVAILABLE:
                retryLater(request, parts.robots().retryDelay(request), "robots.txt unavailable");
                return false;
            case GAVE_UP:
            default:
                stats.inc("robotstxt/gave_up_request_count");
                failed("robots.txt of its host could not be fetched");
                return false;
        }
    }

    private void download() throws InterruptedException {
        stats.inc("downloader/request_count");
        stats.inc("downloader/request_method_count/" + request.method());
        Response response;
        frontier.started(lease);
        try {
            response = parts.downloader().fetch(request);
        } catch (DownloadException e) {
            downloadFailed(e);
            return;
        }
        signals = SlotSignals.response(response.latency(), response.status());
        honourCrawlDelay();
        stats.inc("response_received_count");
        parts.fetchLog().fetched(response.url());
        stats.inc("downloader/response_count");
        stats.inc("downloader/response_status_count/" + response.status());
        stats.inc("downloader/response_protocol/" + response.protocol());
        stats.inc("downloader/response_bytes", response.body().length());
        handle(response);
    }

    private void downloadFailed(DownloadException e) {
        String kind = e.kind().statName();
        if (e.kind() == DownloadException.Kind.CONNECT
                || e.kind() == DownloadException.Kind.TIMEOUT
                || e.kind() == DownloadException.Kind.CONNECTION_RESET) {
            signals = SlotSignals.connectionFailure();
            stats.inc("politeness/error_backoff_count");
            LOG.debug("slot {}: {} raises its error backoff", lease.slot(), kind);
        }
        stats.inc("downloader/exception_count");
        stats.inc("downloader/exception_type_count/" + kind);
        LOG.debug("download failed: {}", e.getMessage());
        if (e.kind().retryable()) {
            retryOrFail(request, null, e.getMessage(), "download/" + kind);
        } else {
            stats.countError("download/" + kind);
            LOG.error("download failed for good: {}", e.getMessage());
            failed(e.getMessage());
        }
    }

    private void handle(Response response) {
        int status = response.status();
        RedirectPolicy.Decision redirection = parts.redirect().decide(response);
        if (redirection != null) {
            switch (redirection) {
                case RedirectPolicy.Follow follow -> {
                    stats.inc("redirect/count");
                    if (follow.metaRefresh()) {
                        stats.inc("redirect/meta_refresh");
                    }
                    commit(parts.requestFilter().apply(List.of(follow.request())), List.of());
                }
                case RedirectPolicy.Stop stop -> {
                    stats.countError("redirect/" + stop.kind());
                    LOG.error("not following redirect of {}: {}", request.url(), stop.message());
                    failed(stop.message());
                }
            }
            return;
        }
        if (parts.retry().retriesStatus(status)) {
            pauseSlotForRetryAfter(response);
            retryOrFail(request, response, "HTTP " + status, "http_status/" + status);
            return;
        }
        if ((status < 200 || status >= 300) && !handlesStatus(status)) {
            stats.inc("httperror/response_ignored_count");
            stats.inc("httperror/response_ignored_status_count/" + status);
            LOG.info("ignoring response {}: HTTP status not handled", response);
            commit(List.of(), List.of());
            return;
        }
        parse(response);
    }

    /**
     * A 429 or 503 with {@code Retry-After} throttles the site, not one URL: the whole slot waits
     * (up to {@code retry_backoff_max}; a longer wait fails the request instead).
     */
    private void pauseSlotForRetryAfter(Response response) {
        int status = response.status();
        Duration retryAfter = parts.retry().retryAfter(response);
        if ((status == 429 || status == 503)
                && retryAfter != null
                && !retryAfter.isZero()
                && retryAfter.compareTo(parts.retry().maxBackoff()) <= 0) {
            signals = signals.withPause(retryAfter);
            stats.inc("politeness/retry_after_pause_count");
            LOG.debug(
                    "slot {}: paused {} ms by Retry-After of {}",
                    lease.slot(),
                    retryAfter.toMillis(),
                    request.url());
        }
    }

    private boolean handlesStatus(int status) {
        Object list = request.meta("handle_httpstatus_list");
        return Boolean.TRUE.equals(request.meta("handle_httpstatus_all"))
                || (list instanceof List<?> codes
                        && codes.stream()
                                .anyMatch(c -> String.valueOf(status).equals(String.valueOf(c))));
    }

    private void parse(Response response) {
        String name = request.callbackName();
        Callback callback =
                parts.callbacks().computeIfAbsent(name, n -> parts.spider().callback(n));
        ResponseOutput out = new ResponseOutput(response, stats);
        if (callback == null) {
            stats.countError("callback/missing");
            LOG.error(
                    "spider {} has no callback '{}' for {}",
                    parts.spider().name(),
                    name,
                    request.url());
        } else {
            try {
                callback.parse(response, out);
            } catch (Exception | StackOverflowError e) {
                stats.countError("callback", e);
                LOG.error("callback {} failed on {}: {}", name, response.url(), e.toString(), e);
            }
        }
        List<Item> items = runPipelines(out.items(), response);
        List<Request> produced = parts.requestFilter().apply(out.requests());
        int queued = commit(produced, items);
        stats.inc("request_scheduled_count", queued);
        stats.inc("dupefilter/filtered", produced.size() - queued);
    }

    private List<Item> runPipelines(List<Item> items, Response response) {
        if (parts.pipelines().isEmpty()) {
            return items;
        }
        List<Item> kept = new ArrayList<>(items.size());
        for (Item item : items) {
            Item current = item;
            for (ItemPipeline p : parts.pipelines()) {
                try {
                    current = p.process(current);
                } catch (Exception e) {
                    stats.countError("pipeline", e);
                    LOG.error(
                            "pipeline {} failed on an item of {}: {}",
                            p,
                            response.url(),
                            e.toString(),
                            e);
                    current = null;
                }
                if (current == null) {
                    stats.inc("item_dropped_count");
                    break;
                }
            }
            if (current != null) {
                kept.add(current);
            }
        }
        return kept;
    }

    private void retryOrFail(
            Request failed, @Nullable Response response, String what, String errorKind) {
        switch (parts.retry().decide(failed, response, what)) {
            case RetryPolicy.Retry again -> {
                stats.inc("retry/count");
                stats.inc("retry/reason_count/" + errorKind);
                LOG.debug("retrying {} in {} ms: {}", failed.url(), again.delay().toMillis(), what);
                retryLater(again.request(), again.delay(), what);
            }
            case RetryPolicy.GiveUp giveUp -> {
                stats.inc("retry/max_reached");
                stats.countError(errorKind);
                LOG.error("gave up on {}: {}", failed.url(), giveUp.reason());
                failed(giveUp.reason());
            }
        }
    }

    private int commit(List<Request> produced, List<Item> items) {
        Ending ending =
                calls.end(
                        "commit " + request.url(),
                        () -> frontier.done(lease, produced, items, signals));
        leaseEnded = true;
        return ending.queued();
    }

    private void retryLater(Request again, Duration delay, String reason) {
        calls.end(
                "put back " + request.url(),
                () -> frontier.retry(lease, again, delay, reason, signals));
        leaseEnded = true;
    }

    private void failed(String reason) {
        Ending ending =
                calls.end("fail " + request.url(), () -> frontier.fail(lease, reason, signals));
        leaseEnded = true;
        if (ending.accepted()) {
            stats.inc("dead_letter_count");
            LOG.debug("dead letter {}: {}", request.url(), reason);
        }
    }
}
