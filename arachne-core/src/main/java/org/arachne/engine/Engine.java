package org.arachne.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.arachne.frontier.CrawlOrder;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.Lease;
import org.arachne.frontier.MemoryFrontier;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.middleware.OffsiteFilter;
import org.arachne.middleware.PrivateAddressFilter;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.middleware.RetryPolicy;
import org.arachne.middleware.RobotsMiddleware;
import org.arachne.politeness.HostResolver;
import org.arachne.politeness.PolitenessPolicy;
import org.arachne.spider.Callback;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one crawl: a dispatcher thread takes leases from the frontier (which enforces per-slot
 * politeness) under a global permit of {@code concurrent_requests}, and each lease is handled on
 * its own virtual thread: robots.txt, download, retry or redirect, callback, pipelines, and the one
 * commit that ends the lease. The crawl ends when the frontier says nothing is queued or leased, or
 * when a close condition, {@link #stop} or {@link #abort} ends it.
 */
final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Spider spider;
    private final Settings settings;
    private final List<ItemPipeline> pipelines;
    private final Stats stats = new Stats();
    private final FeedWriter feedWriter;
    private final FetchLog fetchLog;
    private final Downloader downloader;
    private final Frontier frontier;
    private final PolitenessPolicy politeness;
    private final @Nullable RobotsMiddleware robots;
    private final OffsiteFilter offsite;
    private final @Nullable PrivateAddressFilter privateAddresses;
    private final RetryPolicy retry;
    private final RedirectPolicy redirect;
    private final int depthLimit;
    private final Semaphore globalPermits;
    private final ConcurrentHashMap<String, Callback> callbacks = new ConcurrentHashMap<>();

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<CrawlResult.@Nullable Status> endStatus = new AtomicReference<>();
    private volatile String endReason = "finished";
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile @Nullable Thread dispatcher;

    Engine(
            Spider spider,
            Settings settings,
            List<Feed> feeds,
            List<ItemPipeline> pipelines,
            @Nullable Downloader customDownloader,
            @Nullable Path fetchedUrls) {
        this.spider = spider;
        this.settings = settings;
        this.pipelines = List.copyOf(pipelines);
        HostResolver resolver = new HostResolver(settings.getMap("dns_overrides"));
        this.downloader =
                customDownloader != null
                        ? customDownloader
                        : Downloaders.forSettings(settings, resolver);
        this.feedWriter = new FeedWriter(feeds, stats, this::checkCloseConditions);
        this.fetchLog = new FetchLog(fetchedUrls, stats);
        this.politeness =
                new PolitenessPolicy(
                        settings.getInt("concurrent_requests_per_domain"),
                        settings.getInt("concurrent_requests_per_ip"),
                        settings.getDuration("download_delay"),
                        settings.getBoolean("randomize_download_delay"),
                        resolver);
        this.frontier =
                new MemoryFrontier(
                        politeness,
                        feedWriter,
                        CrawlOrder.parse(settings.getString("crawl_order")),
                        settings.getBoolean("dedup"),
                        System::nanoTime);
        this.retry =
                new RetryPolicy(
                        settings.getBoolean("retry_enabled"),
                        settings.getInt("retry_times"),
                        settings.getIntList("retry_http_codes"),
                        settings.getDuration("retry_backoff_base"),
                        settings.getDuration("retry_backoff_max"));
        this.robots =
                settings.getBoolean("robotstxt_obey")
                        ? new RobotsMiddleware(
                                downloader,
                                settings.getString("user_agent"),
                                stats,
                                settings.getDuration("retry_backoff_base"),
                                settings.getInt("retry_times") + 1,
                                settings.getDuration("robotstxt_max_crawl_delay"),
                                System::nanoTime)
                        : null;
        List<String> allowed = new ArrayList<>(spider.allowedDomains());
        allowed.addAll(settings.getList("allowed_domains"));
        this.offsite = new OffsiteFilter(allowed);
        this.privateAddresses =
                settings.getBoolean("deny_private_addresses")
                        ? new PrivateAddressFilter(resolver)
                        : null;
        this.redirect =
                new RedirectPolicy(
                        settings.getBoolean("redirect_enabled"),
                        settings.getInt("redirect_max_times"),
                        settings.getBoolean("metarefresh_enabled"),
                        settings.getDuration("metarefresh_maxdelay"));
        this.depthLimit = settings.getInt("depth_limit");
        int concurrency = settings.getInt("concurrent_requests");
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "setting 'concurrent_requests' must be at least 1, got " + concurrency);
        }
        this.globalPermits = new Semaphore(concurrency);
    }

    Settings settings() {
        return settings;
    }

    Stats stats() {
        return stats;
    }

    long queued() {
        return frontier.queuedCount();
    }

    int inFlight() {
        return inFlight.get();
    }

    CrawlResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Crawler runs once; build another to crawl again");
        }
        long start = System.nanoTime();
        dispatcher = Thread.currentThread();
        try {
            if (open()) {
                startTimeout();
                seed();
                dispatch();
            }
        } finally {
            finish();
        }
        CrawlResult.Status status = endStatus.get();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        stats.inc("elapsed_ms", elapsed.toMillis());
        return new CrawlResult(
                status == null ? CrawlResult.Status.FINISHED : status,
                endReason,
                elapsed,
                stats.snapshot());
    }

    void stop() {
        end(CrawlResult.Status.STOPPED, "stopped on request");
    }

    void abort() {
        end(CrawlResult.Status.ABORTED, "aborted on request");
        Thread d = dispatcher;
        if (d != null) {
            d.interrupt();
        }
        workers.shutdownNow();
    }

    private void end(CrawlResult.Status status, String reason) {
        if (endStatus.compareAndSet(null, status)) {
            endReason = reason;
            LOG.info("closing: {}", reason);
        }
        frontier.wakeUp();
    }

    private boolean open() {
        try {
            feedWriter.open();
            fetchLog.open();
            for (ItemPipeline p : pipelines) {
                p.open();
            }
            spider.open();
            return true;
        } catch (Exception e) {
            countError("open", e);
            LOG.error("cannot start the crawl: {}", e.getMessage(), e);
            end(CrawlResult.Status.ABORTED, "cannot start: " + e.getMessage());
            return false;
        }
    }

    private void seed() {
        List<Request> seeds;
        try {
            seeds = spider.startRequests();
        } catch (RuntimeException e) {
            countError("start_requests", e);
            LOG.error("the spider's start requests failed: {}", e.toString(), e);
            return;
        }
        frontier.add(filter(seeds));
    }

    private void startTimeout() {
        Duration timeout = settings.getDuration("closespider_timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            return;
        }
        Thread.ofVirtual()
                .name("closespider-timeout")
                .start(
                        () -> {
                            try {
                                if (!ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                                    end(CrawlResult.Status.CLOSED, "closespider_timeout");
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
    }

    private void dispatch() {
        while (endStatus.get() == null) {
            try {
                globalPermits.acquire();
            } catch (InterruptedException e) {
                break;
            }
            Lease lease;
            try {
                lease = frontier.take(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                globalPermits.release();
                break;
            }
            if (lease == null) {
                globalPermits.release();
                if (frontier.isFinished()) {
                    end(CrawlResult.Status.FINISHED, "finished");
                }
                continue;
            }
            if (endStatus.get() != null) {
                frontier.retry(lease, lease.request(), Duration.ZERO, "crawl is closing");
                globalPermits.release();
                break;
            }
            inFlight.incrementAndGet();
            Lease taken = lease;
            workers.execute(
                    () -> {
                        try {
                            new LeaseHandler(taken).run();
                        } finally {
                            inFlight.decrementAndGet();
                            globalPermits.release();
                            checkCloseConditions();
                        }
                    });
        }
    }

    private void finish() {
        ended.countDown();
        workers.close(); // waits for in-flight leases (interrupted already on abort)
        Thread.interrupted(); // an abort may have interrupted this thread; the cleanup must run
        try {
            spider.close();
        } catch (Exception e) {
            countError("close", e);
            LOG.error("the spider's close() failed: {}", e.toString(), e);
        }
        for (ItemPipeline p : pipelines) {
            try {
                p.close();
            } catch (Exception e) {
                countError("pipeline", e);
                LOG.error("pipeline {} failed to close: {}", p, e.toString(), e);
            }
        }
        feedWriter.close();
        fetchLog.close();
        frontier.close();
        downloader.close();
    }

    private void checkCloseConditions() {
        int itemLimit = settings.getInt("closespider_itemcount");
        if (itemLimit > 0 && stats.get("item_scraped_count") >= itemLimit) {
            end(CrawlResult.Status.CLOSED, "closespider_itemcount");
        }
        int pageLimit = settings.getInt("closespider_pagecount");
        if (pageLimit > 0 && stats.get("response_received_count") >= pageLimit) {
            end(CrawlResult.Status.CLOSED, "closespider_pagecount");
        }
        int errorLimit = settings.getInt("closespider_errorcount");
        if (errorLimit > 0 && stats.get("error_count") >= errorLimit) {
            end(CrawlResult.Status.CLOSED, "closespider_errorcount");
        }
    }

    private void countError(String stage, Throwable e) {
        stats.inc("error_count");
        stats.inc("error_count/" + stage + "/" + e.getClass().getSimpleName());
    }

    /** Drops requests outside allowed_domains or deeper than depth_limit, counting them. */
    private List<Request> filter(List<Request> requests) {
        List<Request> kept = new ArrayList<>(requests.size());
        for (Request r : requests) {
            if (depthLimit > 0 && r.depth() > depthLimit) {
                stats.inc("depth/filtered");
            } else if (!offsite.allows(r)) {
                stats.inc("offsite/filtered");
            } else {
                kept.add(r);
            }
        }
        return kept;
    }

    /** Handles one lease from robots.txt to the commit, ending it exactly once. */
    private final class LeaseHandler {
        private final Lease lease;
        private final Request request;
        private boolean leaseEnded;

        LeaseHandler(Lease lease) {
            this.lease = lease;
            this.request = lease.request();
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
                countError("engine", e);
                LOG.error("unexpected failure on {}: {}", request.url(), e.toString(), e);
                if (!leaseEnded) {
                    failed("unexpected failure: " + e);
                }
            }
        }

        /** Fails the lease before any connection (robots.txt included) when its host is denied. */
        private boolean refused() {
            String refusal = privateAddresses == null ? null : privateAddresses.refusal(request);
            if (refusal == null) {
                return false;
            }
            downloadFailed(
                    new DownloadException(DownloadException.Kind.REFUSED, request.url(), refusal));
            return true;
        }

        /** Raises the slot's floor to the origin's Crawl-delay; returns that delay. */
        private Duration honourCrawlDelay() {
            Duration crawlDelay = robots == null ? Duration.ZERO : robots.crawlDelay(request);
            if (!crawlDelay.isZero()) {
                String slot = politeness.slotOf(request);
                politeness.raiseFloor(slot, crawlDelay);
                LOG.debug(
                        "slot {}: Crawl-delay {} ms from robots.txt", slot, crawlDelay.toMillis());
            }
            return crawlDelay;
        }

        private boolean robotsAllow() throws InterruptedException {
            if (robots == null) {
                return true;
            }
            switch (robots.check(request)) {
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
                    retryLater(request, robots.retryDelay(request), "robots.txt unavailable");
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
            try {
                response = downloader.fetch(request);
            } catch (DownloadException e) {
                downloadFailed(e);
                return;
            }
            stats.inc("response_received_count");
            fetchLog.fetched(response.url());
            stats.inc("downloader/response_count");
            stats.inc("downloader/response_status_count/" + response.status());
            stats.inc("downloader/response_bytes", response.body().length());
            handle(response);
        }

        private void downloadFailed(DownloadException e) {
            String kind = e.kind().statName();
            stats.inc("downloader/exception_count");
            stats.inc("downloader/exception_type_count/" + kind);
            LOG.debug("download failed: {}", e.getMessage());
            if (e.kind().retryable()) {
                retryOrFail(request, null, e.getMessage(), "download/" + kind);
            } else {
                stats.inc("error_count");
                stats.inc("error_count/download/" + kind);
                LOG.error("download failed for good: {}", e.getMessage());
                failed(e.getMessage());
            }
        }

        private void handle(Response response) {
            int status = response.status();
            RedirectPolicy.Decision redirection = redirect.decide(response);
            if (redirection != null) {
                switch (redirection) {
                    case RedirectPolicy.Follow follow -> {
                        stats.inc("redirect/count");
                        if (follow.metaRefresh()) {
                            stats.inc("redirect/meta_refresh");
                        }
                        commit(filter(List.of(follow.request())), List.of());
                    }
                    case RedirectPolicy.Stop stop -> {
                        stats.inc("error_count");
                        stats.inc("error_count/redirect/" + stop.kind());
                        LOG.error(
                                "not following redirect of {}: {}", request.url(), stop.message());
                        failed(stop.message());
                    }
                }
                return;
            }
            if (retry.retriesStatus(status)) {
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

        private boolean handlesStatus(int status) {
            Object list = request.meta("handle_httpstatus_list");
            return Boolean.TRUE.equals(request.meta("handle_httpstatus_all"))
                    || (list instanceof List<?> codes
                            && codes.stream()
                                    .anyMatch(
                                            c -> String.valueOf(status).equals(String.valueOf(c))));
        }

        private void parse(Response response) {
            String name = request.callbackName();
            Callback callback = callbacks.computeIfAbsent(name, n -> spider.callback(n));
            ResponseOutput out = new ResponseOutput(response, stats);
            if (callback == null) {
                stats.inc("error_count");
                stats.inc("error_count/callback/missing");
                LOG.error(
                        "spider {} has no callback '{}' for {}",
                        spider.name(),
                        name,
                        request.url());
            } else {
                try {
                    callback.parse(response, out);
                } catch (Exception | StackOverflowError e) {
                    countError("callback", e);
                    LOG.error(
                            "callback {} failed on {}: {}", name, response.url(), e.toString(), e);
                }
            }
            List<Item> items = runPipelines(out.items(), response);
            List<Request> produced = filter(out.requests());
            int queued = commit(produced, items);
            stats.inc("request_scheduled_count", queued);
            stats.inc("dupefilter/filtered", produced.size() - queued);
        }

        private List<Item> runPipelines(List<Item> items, Response response) {
            if (pipelines.isEmpty()) {
                return items;
            }
            List<Item> kept = new ArrayList<>(items.size());
            for (Item item : items) {
                Item current = item;
                for (ItemPipeline p : pipelines) {
                    try {
                        current = p.process(current);
                    } catch (Exception e) {
                        countError("pipeline", e);
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
            switch (retry.decide(failed, response, what)) {
                case RetryPolicy.Retry again -> {
                    stats.inc("retry/count");
                    stats.inc("retry/reason_count/" + errorKind);
                    LOG.debug(
                            "retrying {} in {} ms: {}",
                            failed.url(),
                            again.delay().toMillis(),
                            what);
                    retryLater(again.request(), again.delay(), what);
                }
                case RetryPolicy.GiveUp giveUp -> {
                    stats.inc("retry/max_reached");
                    stats.inc("error_count");
                    stats.inc("error_count/" + errorKind);
                    LOG.error("gave up on {}: {}", failed.url(), giveUp.reason());
                    failed(giveUp.reason());
                }
            }
        }

        private int commit(List<Request> produced, List<Item> items) {
            leaseEnded = true;
            return frontier.done(lease, produced, items);
        }

        private void retryLater(Request again, Duration delay, String reason) {
            leaseEnded = true;
            frontier.retry(lease, again, delay, reason);
        }

        private void failed(String reason) {
            leaseEnded = true;
            frontier.fail(lease, reason);
        }
    }
}
