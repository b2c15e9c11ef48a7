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
import org.arachne.frontier.SeenSet;
import org.arachne.http.Downloader;
import org.arachne.http.HostResolver;
import org.arachne.http.Request;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.middleware.OffsiteFilter;
import org.arachne.middleware.PrivateAddressFilter;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.middleware.RetryPolicy;
import org.arachne.middleware.RobotsMiddleware;
import org.arachne.politeness.AutoThrottle;
import org.arachne.politeness.PolitenessPolicy;
import org.arachne.spider.Callback;
import org.arachne.spider.Sitemaps;
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
    private final RequestFilter requestFilter;
    private final @Nullable PrivateAddressFilter privateAddresses;
    private final RetryPolicy retry;
    private final RedirectPolicy redirect;
    private final Semaphore globalPermits;
    private final LeaseHandler.Parts parts;

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
                        resolver,
                        settings.getDuration("retry_backoff_base"),
                        settings.getDuration("retry_backoff_max"),
                        SlotOverrides.parse(settings.raw("download_slots")),
                        settings.getBoolean("autothrottle_enabled")
                                ? new AutoThrottle(
                                        settings.getDuration("autothrottle_start_delay"),
                                        settings.getDuration("download_delay"),
                                        settings.getDuration("autothrottle_max_delay"),
                                        settings.getDouble("autothrottle_target_concurrency"),
                                        settings.getBoolean("autothrottle_debug"))
                                : null,
                        reason -> stats.inc("politeness/delay_set_by/" + reason),
                        System::nanoTime);
        this.frontier =
                new MemoryFrontier(
                        politeness,
                        feedWriter,
                        new MemoryFrontier.Options(
                                CrawlOrder.parse(settings.getString("crawl_order")),
                                seenSet(settings),
                                settings.getInt("scheduler_memory_queue_limit"),
                                null),
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
        this.requestFilter =
                new RequestFilter(
                        new OffsiteFilter(allowed), settings.getInt("depth_limit"), stats);
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
        int concurrency = settings.getInt("concurrent_requests");
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "setting 'concurrent_requests' must be at least 1, got " + concurrency);
        }
        this.globalPermits = new Semaphore(concurrency);
        ConcurrentHashMap<String, Callback> callbacks = new ConcurrentHashMap<>();
        SitemapReader sitemaps =
                new SitemapReader(spider.sitemaps(), stats, settings.getBytes("download_maxsize"));
        callbacks.put(Sitemaps.CALLBACK, sitemaps::parse);
        this.parts =
                new LeaseHandler.Parts(
                        spider,
                        stats,
                        frontier,
                        downloader,
                        fetchLog,
                        robots,
                        privateAddresses,
                        politeness,
                        retry,
                        redirect,
                        requestFilter,
                        this.pipelines,
                        callbacks);
    }

    private static @Nullable SeenSet seenSet(Settings settings) {
        if (!settings.getBoolean("dedup")) {
            return null;
        }
        String kind = settings.getString("dupefilter");
        return switch (kind) {
            case "exact" -> SeenSet.exact();
            case "bloom" ->
                    SeenSet.bloom(
                            settings.getInt("dupefilter_expected_count"),
                            settings.getDouble("dupefilter_false_positive_rate"));
            default ->
                    throw new IllegalArgumentException(
                            "setting 'dupefilter' must be exact or bloom, got '" + kind + "'");
        };
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
            stats.countError("open", e);
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
            stats.countError("start_requests", e);
            LOG.error("the spider's start requests failed: {}", e.toString(), e);
            return;
        }
        frontier.add(requestFilter.apply(seeds));
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
                            new LeaseHandler(parts, taken).run();
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
            stats.countError("close", e);
            LOG.error("the spider's close() failed: {}", e.toString(), e);
        }
        for (ItemPipeline p : pipelines) {
            try {
                p.close();
            } catch (Exception e) {
                stats.countError("pipeline", e);
                LOG.error("pipeline {} failed to close: {}", p, e.toString(), e);
            }
        }
        feedWriter.close();
        fetchLog.close();
        frontier.stats().forEach(stats::set);
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
}
