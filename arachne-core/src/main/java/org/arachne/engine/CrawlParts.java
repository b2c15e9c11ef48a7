package org.arachne.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;
import org.arachne.frontier.DeadLetterStore;
import org.arachne.frontier.Dedup;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.RobotsTxtStore;
import org.arachne.frontier.SqliteFrontier;
import org.arachne.frontier.Ticker;
import org.arachne.http.DataUrlDownloader;
import org.arachne.http.Downloader;
import org.arachne.http.HostResolver;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFormat;
import org.arachne.middleware.CachedRobotsStore;
import org.arachne.middleware.HttpErrorFilter;
import org.arachne.middleware.OffsiteFilter;
import org.arachne.middleware.PrivateAddressFilter;
import org.arachne.middleware.RecrawlStage;
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
import org.arachne.url.IpLiteral;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collaborators of one crawl, built once from its settings and what the {@link Crawler.Builder}
 * was given: the downloader, the frontier with its politeness rules, the request and response
 * stages in their order, the callbacks and the feed writer. The engine runs the crawl with them.
 */
final class CrawlParts {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlParts.class);

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
    private final DeadLetterFeed deadLetterFeed;
    private final RequestFilter requestFilter;
    private final List<RequestStage> requestStages;
    private final List<ResponseStage> responseStages;
    private final CallbackRunner callbacks;
    private final CrawlEvents events;
    private final LoginRunner loginRunner;

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
            @Nullable FrontierFactory frontier,
            Ticker ticker,
            RandomGenerator random) {}

    CrawlParts(Inputs in) {
        this.spider = in.spider();
        this.settings = in.settings();
        this.ticker = in.ticker();
        this.feeds = feedsWithFields(in.feeds(), settings, spider);
        this.pipelines = List.copyOf(in.pipelines());
        HostResolver resolver =
                new HostResolver(settings.get(Setting.DNS_OVERRIDES), ticker::nanos);
        // data: URLs are answered from themselves, whatever downloader fetches the others
        this.downloader =
                new DataUrlDownloader(
                        in.downloader() != null
                                ? in.downloader()
                                : Downloaders.forSettings(settings, resolver));
        this.fetchLog = new FetchLog(in.fetchedUrls(), stats);
        this.deadLetterFeed = new DeadLetterFeed(DeadLetterFeed.path(settings), stats, ticker);
        this.events = new CrawlEvents(stats, fetchLog, deadLetterFeed);
        Backoff backoff =
                new Backoff(
                        settings.get(Setting.RETRY_BACKOFF_BASE),
                        settings.get(Setting.RETRY_BACKOFF_MAX));
        FrontierSetup setup =
                FrontierSetup.of(slotRules(resolver), throttle(backoff, in.random()), ticker)
                        .withCrawl(spider.name())
                        .withOrder(settings.get(Setting.CRAWL_ORDER))
                        .withDedup(dedup())
                        .withMemoryQueueLimit(settings.get(Setting.SCHEDULER_MEMORY_QUEUE_LIMIT))
                        .withLeaseDuration(settings.get(Setting.LEASE_DURATION));
        this.leaseDuration = setup.leaseDuration();
        this.frontier = frontierFactory(in, settings).open(setup);
        if (settings.get(Setting.RECRAWL_AFTER).isPositive()
                && settings.get(Setting.JOB_DIR).isEmpty()
                && in.frontier() == null) {
            LOG.warn(
                    "recrawl_after is set without job_dir: without a job dir no page is kept to"
                            + " fetch again");
        }
        if (settings.get(Setting.RETRY_FAILED) && !(frontier instanceof DeadLetterStore)) {
            frontier.close();
            throw new IllegalArgumentException(
                    "retry_failed (--retry-failed) needs job_dir (--job-dir): the requests that"
                            + " failed for good in earlier runs are kept only in a job dir");
        }
        List<String> allowed = new ArrayList<>(spider.allowedDomains());
        allowed.addAll(settings.get(Setting.ALLOWED_DOMAINS));
        this.requestFilter =
                new RequestFilter(
                        new OffsiteFilter(allowed),
                        settings.get(Setting.DEPTH_LIMIT),
                        settings.get(Setting.URL_LENGTH_LIMIT),
                        stats);

        RobotsStage robots = settings.get(Setting.ROBOTSTXT_OBEY) ? robotsStage() : null;
        // before the user's stages: they see the conditional request, and never a 304 of it
        RecrawlStage recrawl = new RecrawlStage(settings.get(Setting.RECRAWL_ITEMS).equals("all"));
        this.requestStages =
                requestStages(
                        settings.get(Setting.DENY_PRIVATE_ADDRESSES)
                                ? new PrivateAddressFilter(resolver)
                                : null,
                        robots,
                        CrawlParts.<RequestStage>withRecrawl(recrawl, in.requestStages()));
        RedirectPolicy redirect =
                new RedirectPolicy(
                        settings.get(Setting.REDIRECT_ENABLED),
                        settings.get(Setting.REDIRECT_MAX_TIMES),
                        settings.get(Setting.METAREFRESH_ENABLED),
                        settings.get(Setting.METAREFRESH_MAXDELAY));
        this.loginRunner = new LoginRunner(downloader, redirect, stats);
        this.responseStages =
                responseStages(
                        redirect,
                        new RetryPolicy(
                                settings.get(Setting.RETRY_ENABLED),
                                settings.get(Setting.RETRY_TIMES),
                                settings.get(Setting.RETRY_HTTP_CODES),
                                backoff,
                                in.random(),
                                ticker),
                        robots,
                        CrawlParts.<ResponseStage>withRecrawl(recrawl, in.responseStages()));

        SitemapReader sitemaps =
                new SitemapReader(spider.sitemaps(), stats, settings.get(Setting.DOWNLOAD_MAXSIZE));
        this.callbacks =
                new CallbackRunner(
                        spider,
                        Map.of(Sitemaps.CALLBACK, sitemaps::parse),
                        pipelines,
                        requestFilter,
                        settings.get(Setting.REFERER_ENABLED),
                        stats,
                        events);
    }

    /**
     * The robots.txt stage, keeping what it learns in the frontier when the frontier keeps it
     * across runs (a job dir's), with the Crawl-delays kept by earlier runs handed to the frontier.
     */
    private RobotsStage robotsStage() {
        RobotsStage robots =
                new RobotsStage(
                        new CachedRobotsStore(ticker::nanos),
                        frontier instanceof RobotsTxtStore kept ? kept : null,
                        settings.get(Setting.USER_AGENT),
                        settings.get(Setting.ROBOTSTXT_MAX_CRAWL_DELAY),
                        request -> frontier.add(List.of(request)),
                        ticker);
        try {
            int delays = robots.applyKeptCrawlDelays();
            if (delays > 0) {
                LOG.info("{} origins keep the robots.txt Crawl-delay of an earlier run", delays);
            }
        } catch (RuntimeException e) {
            frontier.close();
            throw e;
        }
        return robots;
    }

    /**
     * The request stages in their order: the private-address guard (when on), robots.txt (when
     * obeyed), then the given ones (the crawl's recrawl stage, then the user's).
     */
    static List<RequestStage> requestStages(
            @Nullable PrivateAddressFilter privateAddresses,
            @Nullable RobotsStage robots,
            List<RequestStage> user) {
        List<RequestStage> stages = new ArrayList<>();
        if (privateAddresses != null) {
            stages.add(privateAddresses);
        }
        if (robots != null) {
            stages.add(robots);
        }
        stages.addAll(user);
        return List.copyOf(stages);
    }

    /**
     * The response stages in their order: redirect, retry, robots.txt (when obeyed), the given ones
     * (the crawl's recrawl stage, then the user's), then the HTTP error filter, so user stages see
     * error pages that retry gave up on, and the filter fails those the request does not handle.
     */
    static List<ResponseStage> responseStages(
            RedirectPolicy redirect,
            RetryPolicy retry,
            @Nullable RobotsStage robots,
            List<ResponseStage> user) {
        List<ResponseStage> stages = new ArrayList<>();
        stages.add(redirect);
        stages.add(retry);
        if (robots != null) {
            stages.add(robots);
        }
        stages.addAll(user);
        stages.add(new HttpErrorFilter(retry::gaveUp));
        return List.copyOf(stages);
    }

    /** A stage, then the user's stages. */
    private static <T> List<T> withRecrawl(T recrawl, List<T> user) {
        List<T> stages = new ArrayList<>();
        stages.add(recrawl);
        stages.addAll(user);
        return stages;
    }

    private SlotRules slotRules(HostResolver resolver) {
        boolean perIp = settings.get(Setting.CONCURRENT_REQUESTS_PER_IP) > 0;
        if (perIp) {
            // per domain, an IP address is the slot of the URLs written with it
            // (http://127.0.0.11/)
            for (String slot : settings.get(Setting.DOWNLOAD_SLOTS).keySet()) {
                if (!IpLiteral.isLiteral(slot)) {
                    LOG.warn(
                            "download_slots names {}, a host name, but slots are per IP address"
                                    + " (concurrent_requests_per_ip > 0): it never applies",
                            slot);
                }
            }
        }
        return new SlotRules(
                settings.get(Setting.CONCURRENT_REQUESTS_PER_DOMAIN),
                settings.get(Setting.CONCURRENT_REQUESTS_PER_IP),
                settings.get(Setting.DOWNLOAD_DELAY),
                settings.get(Setting.RANDOMIZE_DOWNLOAD_DELAY),
                settings.get(Setting.DOWNLOAD_SLOTS),
                resolver::resolve);
    }

    private Throttle throttle(Backoff errorBackoff, RandomGenerator random) {
        AutoThrottle autoThrottle =
                settings.get(Setting.AUTOTHROTTLE_ENABLED)
                        ? new AutoThrottle(
                                settings.get(Setting.AUTOTHROTTLE_START_DELAY),
                                settings.get(Setting.DOWNLOAD_DELAY),
                                settings.get(Setting.AUTOTHROTTLE_MAX_DELAY),
                                settings.get(Setting.AUTOTHROTTLE_TARGET_CONCURRENCY),
                                settings.get(Setting.AUTOTHROTTLE_DEBUG))
                        : null;
        return new Throttle(errorBackoff, autoThrottle, random);
    }

    private @Nullable Dedup dedup() {
        if (!settings.get(Setting.DEDUP)) {
            return null;
        }
        // the setting accepts only exact or bloom
        return settings.get(Setting.DUPEFILTER).equals("bloom")
                ? Dedup.bloom(
                        settings.get(Setting.DUPEFILTER_EXPECTED_COUNT),
                        settings.get(Setting.DUPEFILTER_FALSE_POSITIVE_RATE))
                : Dedup.EXACT;
    }

    /** The handler of one lease. */
    LeaseHandler handler(Lease lease, FrontierCalls calls, IntConsumer itemsCommitted) {
        return new LeaseHandler(
                new LeaseHandler.Flow(
                        frontier,
                        calls,
                        requestStages,
                        downloader,
                        responseStages,
                        callbacks,
                        requestFilter,
                        events,
                        itemsCommitted),
                lease);
    }

    /**
     * The feeds, each with the fields it writes: its own, else {@code feed_export_fields}, else for
     * CSV the fields the spider declares (a YAML spider's item blocks), so that items of different
     * shapes each fill their own columns (#9).
     */
    private static List<Feed> feedsWithFields(List<Feed> feeds, Settings settings, Spider spider) {
        List<String> chosen = settings.get(Setting.FEED_EXPORT_FIELDS);
        List<Feed> result = new ArrayList<>();
        for (Feed feed : feeds) {
            if (!feed.fields().isEmpty()) {
                result.add(feed);
            } else if (!chosen.isEmpty()) {
                result.add(feed.withFields(chosen));
            } else if (feed.format() == FeedFormat.CSV && !spider.itemFields().isEmpty()) {
                result.add(feed.withFields(spider.itemFields()));
            } else {
                result.add(feed);
            }
        }
        return List.copyOf(result);
    }

    /** The feed writer of this crawl's feeds. */
    FeedWriter feedWriter(FrontierCalls calls, Runnable afterItems, Consumer<String> onFailure) {
        return new FeedWriter(feeds, stats, calls, afterItems, onFailure);
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

    /** Sends the spider's login through the downloader, following redirects as the crawl does. */
    LoginRunner loginRunner() {
        return loginRunner;
    }

    /**
     * The frontier's factory: the one given to {@code Crawler.Builder.frontier}, else the job dir's
     * database when {@code job_dir} is set, else memory.
     */
    private static FrontierFactory frontierFactory(Inputs in, Settings settings) {
        Optional<Path> jobDir = settings.get(Setting.JOB_DIR);
        if (in.frontier() != null) {
            if (jobDir.isPresent()) {
                throw new IllegalArgumentException(
                        "job_dir is set and Crawler.Builder.frontier was given a frontier: set one"
                                + " of them");
            }
            return in.frontier();
        }
        return jobDir.map(SqliteFrontier::factory).orElse(FrontierFactory.MEMORY);
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

    DeadLetterFeed deadLetterFeed() {
        return deadLetterFeed;
    }

    RequestFilter requestFilter() {
        return requestFilter;
    }

    CrawlEvents events() {
        return events;
    }
}
