package org.arachne.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.arachne.frontier.CrawlOrder;
import org.arachne.frontier.Dedup;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.Ticker;
import org.arachne.http.Downloader;
import org.arachne.http.HostResolver;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.middleware.CachedRobotsStore;
import org.arachne.middleware.HttpErrorFilter;
import org.arachne.middleware.OffsiteFilter;
import org.arachne.middleware.PrivateAddressFilter;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.middleware.RequestStage;
import org.arachne.middleware.ResponseStage;
import org.arachne.middleware.RetryPolicy;
import org.arachne.middleware.RobotsStage;
import org.arachne.politeness.AutoThrottle;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.Throttle;
import org.arachne.spider.Sitemaps;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * The collaborators of one crawl, built once from its settings and what the {@link Crawler.Builder}
 * was given: the downloader, the frontier with its politeness rules, the request and response
 * stages in their order, the callbacks and the feed writer. The engine runs the crawl with them.
 */
final class CrawlParts {
    private final Spider spider;
    private final Settings settings;
    private final Stats stats = new Stats();
    private final Ticker ticker;
    private final List<Feed> feeds;
    private final List<ItemPipeline> pipelines;
    private final Downloader downloader;
    private final Frontier frontier;
    private final Duration leaseDuration;
    private final FetchLog fetchLog;
    private final RequestFilter requestFilter;
    private final List<RequestStage> requestStages = new ArrayList<>();
    private final List<ResponseStage> responseStages = new ArrayList<>();
    private final CallbackRunner callbacks;
    private final CrawlEvents events;

    /** What a {@link Crawler.Builder} was given. */
    record Inputs(
            Spider spider,
            Settings settings,
            List<Feed> feeds,
            List<ItemPipeline> pipelines,
            List<RequestStage> requestStages,
            List<ResponseStage> responseStages,
            @Nullable Downloader downloader,
            @Nullable Path fetchedUrls,
            FrontierFactory frontier,
            Ticker ticker,
            RandomGenerator random) {}

    CrawlParts(Inputs in) {
        this.spider = in.spider();
        this.settings = in.settings();
        this.ticker = in.ticker();
        this.feeds = List.copyOf(in.feeds());
        this.pipelines = List.copyOf(in.pipelines());
        int concurrency = settings.getInt("concurrent_requests");
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "setting 'concurrent_requests' must be at least 1, got " + concurrency);
        }
        HostResolver resolver = new HostResolver(settings.getMap("dns_overrides"));
        this.downloader =
                in.downloader() != null
                        ? in.downloader()
                        : Downloaders.forSettings(settings, resolver);
        this.fetchLog = new FetchLog(in.fetchedUrls(), stats);
        this.events = new CrawlEvents(stats, fetchLog);
        Backoff backoff =
                new Backoff(
                        settings.getDuration("retry_backoff_base"),
                        settings.getDuration("retry_backoff_max"));
        FrontierSetup setup =
                FrontierSetup.of(slotRules(resolver), throttle(backoff, in.random()), ticker)
                        .withCrawl(spider.name())
                        .withOrder(CrawlOrder.parse(settings.getString("crawl_order")))
                        .withDedup(dedup())
                        .withMemoryQueueLimit(settings.getInt("scheduler_memory_queue_limit"));
        this.leaseDuration = setup.leaseDuration();
        this.frontier = in.frontier().open(setup);
        List<String> allowed = new ArrayList<>(spider.allowedDomains());
        allowed.addAll(settings.getList("allowed_domains"));
        this.requestFilter =
                new RequestFilter(
                        new OffsiteFilter(allowed), settings.getInt("depth_limit"), stats);

        if (settings.getBoolean("deny_private_addresses")) {
            requestStages.add(new PrivateAddressFilter(resolver));
        }
        RobotsStage robots =
                settings.getBoolean("robotstxt_obey")
                        ? new RobotsStage(
                                new CachedRobotsStore(ticker::nanos),
                                settings.getString("user_agent"),
                                settings.getDuration("robotstxt_max_crawl_delay"),
                                request -> frontier.add(List.of(request)),
                                ticker::nanos)
                        : null;
        if (robots != null) {
            requestStages.add(robots);
        }
        requestStages.addAll(in.requestStages());

        responseStages.add(
                new RedirectPolicy(
                        settings.getBoolean("redirect_enabled"),
                        settings.getInt("redirect_max_times"),
                        settings.getBoolean("metarefresh_enabled"),
                        settings.getDuration("metarefresh_maxdelay")));
        responseStages.add(
                new RetryPolicy(
                        settings.getBoolean("retry_enabled"),
                        settings.getInt("retry_times"),
                        settings.getIntList("retry_http_codes"),
                        backoff,
                        in.random(),
                        ticker));
        if (robots != null) {
            responseStages.add(robots);
        }
        responseStages.addAll(in.responseStages());
        responseStages.add(new HttpErrorFilter());

        SitemapReader sitemaps =
                new SitemapReader(spider.sitemaps(), stats, settings.getBytes("download_maxsize"));
        this.callbacks =
                new CallbackRunner(
                        spider,
                        Map.of(Sitemaps.CALLBACK, sitemaps::parse),
                        pipelines,
                        requestFilter,
                        stats,
                        events);
    }

    private SlotRules slotRules(HostResolver resolver) {
        return new SlotRules(
                settings.getInt("concurrent_requests_per_domain"),
                settings.getInt("concurrent_requests_per_ip"),
                settings.getDuration("download_delay"),
                settings.getBoolean("randomize_download_delay"),
                SlotOverrides.parse(settings.raw("download_slots")),
                resolver::resolve);
    }

    private Throttle throttle(Backoff errorBackoff, RandomGenerator random) {
        AutoThrottle autoThrottle =
                settings.getBoolean("autothrottle_enabled")
                        ? new AutoThrottle(
                                settings.getDuration("autothrottle_start_delay"),
                                settings.getDuration("download_delay"),
                                settings.getDuration("autothrottle_max_delay"),
                                settings.getDouble("autothrottle_target_concurrency"),
                                settings.getBoolean("autothrottle_debug"))
                        : null;
        return new Throttle(errorBackoff, autoThrottle, random);
    }

    private @Nullable Dedup dedup() {
        if (!settings.getBoolean("dedup")) {
            return null;
        }
        String kind = settings.getString("dupefilter");
        return switch (kind) {
            case "exact" -> Dedup.EXACT;
            case "bloom" ->
                    Dedup.bloom(
                            settings.getInt("dupefilter_expected_count"),
                            settings.getDouble("dupefilter_false_positive_rate"));
            default ->
                    throw new IllegalArgumentException(
                            "setting 'dupefilter' must be exact or bloom, got '" + kind + "'");
        };
    }

    /** The handler of one lease. */
    LeaseHandler handler(Lease lease, FrontierCalls calls) {
        return new LeaseHandler(
                new LeaseHandler.Flow(
                        frontier,
                        calls,
                        requestStages,
                        downloader,
                        responseStages,
                        callbacks,
                        requestFilter,
                        events),
                lease);
    }

    /** The feed writer of this crawl's feeds. */
    FeedWriter feedWriter(Runnable afterItems) {
        return new FeedWriter(feeds, stats, afterItems);
    }

    Spider spider() {
        return spider;
    }

    Settings settings() {
        return settings;
    }

    Stats stats() {
        return stats;
    }

    Ticker ticker() {
        return ticker;
    }

    List<ItemPipeline> pipelines() {
        return pipelines;
    }

    Downloader downloader() {
        return downloader;
    }

    Frontier frontier() {
        return frontier;
    }

    Duration leaseDuration() {
        return leaseDuration;
    }

    FetchLog fetchLog() {
        return fetchLog;
    }

    RequestFilter requestFilter() {
        return requestFilter;
    }
}
