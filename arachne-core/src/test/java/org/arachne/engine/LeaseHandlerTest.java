package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Fingerprint;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.Lease;
import org.arachne.http.Body;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Headers;
import org.arachne.http.HostResolver;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemContext;
import org.arachne.item.ItemPipeline;
import org.arachne.middleware.CachedRobotsStore;
import org.arachne.middleware.HttpErrorFilter;
import org.arachne.middleware.OffsiteFilter;
import org.arachne.middleware.PrivateAddressFilter;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.middleware.RequestStage;
import org.arachne.middleware.ResponseStage;
import org.arachne.middleware.RetryPolicy;
import org.arachne.middleware.RobotsStage;
import org.arachne.middleware.RobotsStore;
import org.arachne.middleware.StageResult;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotSignals;
import org.arachne.spider.Failure;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The flow of one lease, run in-process against a {@link RecordingFrontier}: every path (robots,
 * download errors, redirects, retries, HTTP errors, failing stages, callbacks and frontiers) ends
 * the lease exactly once, with the right ending and the right slot signals. The stages are the real
 * ones in the engine's order; time is a {@link ManualTicker}; the web is a {@link FakeWeb}.
 */
class LeaseHandlerTest {
    private static final String HOME = "http://a.test/";
    private static final String ROBOTS_B = "http://b.test/robots.txt";
    private static final Duration LATENCY = Duration.ofMillis(1);
    private static final Pattern LINK = Pattern.compile("href=\"([^\"]+)\"");

    /** Public literals for the test hosts, so no name is looked up; intranet.test is private. */
    private static final HostResolver RESOLVER =
            new HostResolver(
                    Map.of(
                            "a.test", "93.184.216.34",
                            "b.test", "93.184.216.35",
                            "elsewhere.test", "93.184.216.36",
                            "intranet.test", "10.1.2.3"));

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingFrontier frontier = new RecordingFrontier();
    private final Stats stats = new Stats();
    private final CrawlEvents events =
            new CrawlEvents(
                    stats, new FetchLog(null, stats), new DeadLetterFeed(null, stats, ticker));
    private final List<FrontierException> fatal = new CopyOnWriteArrayList<>();
    private final FrontierCalls calls = new FrontierCalls(stats, fatal::add);
    private final RobotsStore robots = new CachedRobotsStore(ticker::nanos);
    private final RobotsStage robotsStage =
            new RobotsStage(
                    robots,
                    null,
                    "Arachne/0.1",
                    Duration.ofSeconds(30),
                    request -> frontier.add(List.of(request)),
                    ticker);
    private final RetryPolicy retry =
            new RetryPolicy(
                    true,
                    2,
                    List.of(500, 502, 503, 504, 522, 524, 408, 429),
                    new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                    new Random(7),
                    ticker);
    private final RequestFilter requestFilter =
            new RequestFilter(new OffsiteFilter(List.of("a.test", "b.test")), 2, 2083, stats);
    private final FakeWeb web = new FakeWeb();
    private final LinkSpider spider = new LinkSpider();
    private final List<RequestStage> userRequestStages = new ArrayList<>();
    private final List<ResponseStage> userResponseStages = new ArrayList<>();
    private final List<ItemPipeline> pipelines = new ArrayList<>();
    private Downloader downloader = web;

    /** Emits one item per page and follows every href; a page saying "explode" then throws. */
    static final class LinkSpider implements Spider {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> bodies = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "links";
        }

        @Override
        public void parse(Response response, Output out) {
            calls.incrementAndGet();
            bodies.add(response.text());
            out.item(Item.of("url", response.url(), "status", response.status()));
            Matcher m = LINK.matcher(response.text());
            while (m.find()) {
                out.follow(m.group(1));
            }
            if (response.text().contains("explode")) {
                throw new IllegalStateException("broken page");
            }
        }

        final List<Failure> failures = new CopyOnWriteArrayList<>();

        /** Records the failure as an item and asks for a mirror of the page. */
        void onError(Failure failure, Output out) {
            failures.add(failure);
            out.item(Item.of("failed", failure.request().url(), "kind", failure.kind()));
            out.follow("http://a.test/mirror");
        }

        /** Records the failure, emits nothing. */
        void quietly(Failure failure, Output out) {
            failures.add(failure);
        }
    }

    /** What a scripted downloader does on every fetch. */
    @FunctionalInterface
    interface Fetch {
        Response fetch(Request request) throws DownloadException, InterruptedException;
    }

    private static Downloader downloader(Fetch fetch) {
        return new Downloader() {
            @Override
            public Response fetch(Request request) throws DownloadException, InterruptedException {
                return fetch.fetch(request);
            }

            @Override
            public void close() {}
        };
    }

    private static String page(String... links) {
        StringBuilder html = new StringBuilder("<html><body>");
        for (String link : links) {
            html.append("<a href=\"").append(link).append("\">x</a>");
        }
        return html.append("</body></html>").toString();
    }

    private static Response response(Request request, int status, Headers headers, String body) {
        return new Response(request, request.url(), status, headers, Body.utf8(body), LATENCY);
    }

    private static Response robotsTxt(Request request, String rules) {
        return response(request, 200, Headers.of("Content-Type", "text/plain"), rules);
    }

    private static SlotSignals ok(int status) {
        return SlotSignals.response(LATENCY, status);
    }

    @BeforeEach
    void robotsOfATestAllowEverything() {
        robots.put(
                "http://a.test",
                new RobotsStore.Known(
                        new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL),
                        Duration.ZERO));
    }

    private LeaseHandler.Flow flow() {
        List<RequestStage> requestStages =
                CrawlParts.requestStages(
                        new PrivateAddressFilter(RESOLVER), robotsStage, userRequestStages);
        List<ResponseStage> responseStages =
                CrawlParts.responseStages(
                        new RedirectPolicy(true, 20, true, Duration.ofSeconds(100)),
                        retry,
                        robotsStage,
                        userResponseStages);
        CallbackRunner callbacks =
                new CallbackRunner(spider, Map.of(), pipelines, requestFilter, true, stats, events);
        return new LeaseHandler.Flow(
                frontier,
                calls,
                requestStages,
                downloader,
                responseStages,
                callbacks,
                requestFilter,
                events,
                committed -> {});
    }

    /** Leases the request and runs its handler to the end. */
    private Lease run(Request request) {
        Lease lease = frontier.lease(request);
        new LeaseHandler(flow(), lease).run();
        return lease;
    }

    private Map<String, Long> stats() {
        return stats.snapshot();
    }

    // renewals

    @Test
    void renewal_whileTheLeaseEnds_isNoLoss_butOneThatFindsItGoneBefore_isAWarning() {
        web.page(HOME, page("/1"));
        Lease lease = frontier.lease(Request.get(HOME));
        LeaseHandler handler = new LeaseHandler(flow(), lease);
        Lease lost = frontier.lease(Request.get("http://a.test/lost"));
        LeaseHandler lostHandler = new LeaseHandler(flow(), lost);
        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger)
                        org.slf4j.LoggerFactory.getLogger(LeaseHandler.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            frontier.duringNextEnding(handler::renew); // the renewal thread, mid-commit
            handler.run();
            frontier.fail(lost, "gone", SlotSignals.NONE); // lost to another: its worker is late
            lostHandler.renew();
        } finally {
            log.detachAppender(logged);
        }

        frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(logged.list)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("was lost before it ended"))
                .containsExactly("the lease of http://a.test/lost was lost before it ended");
    }

    // a page

    @Test
    void done_okPage_withTheCallbacksItemsAndItsRequestsPastTheFilter() {
        web.page(HOME, page("/1", "/2", "http://elsewhere.test/x", "mailto:me@a.test"));

        Lease lease = run(Request.get(HOME));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).containsExactly(Item.of("url", HOME, "status", 200));
        assertThat(done.produced())
                .extracting(Request::url)
                .containsExactly("http://a.test/1", "http://a.test/2");
        assertThat(done.produced()).allSatisfy(r -> assertThat(r.depth()).isEqualTo(1));
        assertThat(done.signals()).isEqualTo(ok(200));
        assertThat(frontier.started).containsExactly(lease);
        assertThat(stats())
                .containsEntry(StatKeys.RESPONSE_RECEIVED_COUNT, 1L)
                .containsEntry(StatKeys.OFFSITE_FILTERED, 1L)
                .containsEntry(StatKeys.REQUEST_SCHEDULED_COUNT, 2L)
                .doesNotContainKey(StatKeys.ERROR_COUNT);
    }

    @Test
    void done_pageAtTheDepthLimit_producesNothingDeeper() {
        web.page("http://a.test/deep", page("/deeper"));

        Lease lease = run(Request.get("http://a.test/deep").withDepth(2));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).hasSize(1);
        assertThat(done.produced()).isEmpty();
        assertThat(stats()).containsEntry(StatKeys.DEPTH_FILTERED, 1L);
    }

    @Test
    void done_pipelineThatThrows_dropsOnlyThatItemAndCountsIt() {
        web.page(HOME, page("/1"));
        pipelines.add(
                item -> {
                    throw new IllegalStateException("pipeline bug");
                });

        Lease lease = run(Request.get(HOME));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).isEmpty();
        assertThat(done.produced()).extracting(Request::url).containsExactly("http://a.test/1");
        assertThat(stats())
                .containsEntry(StatKeys.ITEM_DROPPED_COUNT, 1L)
                .containsEntry(StatKeys.error("pipeline/IllegalStateException"), 1L);
    }

    // robots.txt

    @Test
    void done_robotsForbidden_withNothingAndNoDownload() {
        robots.put(
                "http://a.test",
                new RobotsStore.Known(
                        new SimpleRobotRulesParser()
                                .parseContent(
                                        "http://a.test/robots.txt",
                                        "User-agent: *\nDisallow: /private/\n"
                                                .getBytes(StandardCharsets.UTF_8),
                                        "text/plain",
                                        List.of("arachne")),
                        Duration.ZERO));

        Lease lease = run(Request.get("http://a.test/private/x"));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).isEmpty();
        assertThat(done.produced()).isEmpty();
        assertThat(done.signals()).isEqualTo(SlotSignals.NOT_SENT);
        assertThat(web.fetched).isEmpty();
        assertThat(frontier.started).isEmpty();
        assertThat(stats()).containsEntry("robotstxt/forbidden", 1L);
    }

    @Test
    void retry_robotsUnknown_waitsAndQueuesTheOriginsRobotsTxtOnce() {
        Lease first = run(Request.get("http://b.test/page"));

        var wait = frontier.endingOf(first, RecordingFrontier.Retry.class);
        assertThat(wait.request()).isEqualTo(first.request());
        assertThat(wait.delay()).isEqualTo(Duration.ofMillis(10));
        assertThat(wait.reason()).isEqualTo("waiting for http://b.test/robots.txt");
        assertThat(wait.signals()).isEqualTo(SlotSignals.NOT_SENT);
        assertThat(frontier.added).hasSize(1);
        Request robotsRequest = frontier.added.getFirst();
        assertThat(robotsRequest.url()).isEqualTo(ROBOTS_B);
        assertThat(robotsRequest.priority()).isEqualTo(1_000_000);
        assertThat(robotsRequest.dontFilter()).isTrue();
        assertThat(robotsRequest.meta(RobotsStage.ORIGIN_META)).isEqualTo("http://b.test");

        ticker.advance(Duration.ofMillis(300));
        Lease second = run(Request.get("http://b.test/other"));

        var secondWait = frontier.endingOf(second, RecordingFrontier.Retry.class);
        assertThat(secondWait.delay()).isEqualTo(Duration.ofMillis(300));
        assertThat(frontier.added).as("one robots.txt request per origin").hasSize(1);
        assertThat(web.fetched).isEmpty();
        assertThat(stats()).doesNotContainKey(StatKeys.RETRY_COUNT);
    }

    @Test
    void done_robotsResponse_storesTheRulesAndReportsTheCrawlDelay() {
        web.route(
                        ROBOTS_B,
                        r -> robotsTxt(r, "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n"))
                .page("http://b.test/page", page());
        run(Request.get("http://b.test/page"));
        Request robotsRequest = frontier.added.getFirst();

        Lease robotsLease = run(robotsRequest);

        var done = frontier.endingOf(robotsLease, RecordingFrontier.Done.class);
        assertThat(done.produced()).isEmpty();
        assertThat(done.items()).isEmpty();
        assertThat(done.signals()).isEqualTo(ok(200).withCrawlDelay(Duration.ofSeconds(3)));
        assertThat(robots.get("http://b.test")).isInstanceOf(RobotsStore.Known.class);
        assertThat(spider.calls).hasValue(0);
        assertThat(stats())
                .containsEntry(StatKeys.ROBOTSTXT_REQUEST_COUNT, 1L)
                .containsEntry(StatKeys.robotsResponseStatus(200), 1L)
                .doesNotContainKey(StatKeys.RESPONSE_RECEIVED_COUNT)
                .doesNotContainKey(StatKeys.DOWNLOADER_REQUEST_COUNT);

        Lease page = run(Request.get("http://b.test/page"));

        var pageDone = frontier.endingOf(page, RecordingFrontier.Done.class);
        assertThat(pageDone.items()).hasSize(1);
        assertThat(pageDone.signals()).isEqualTo(ok(200).withCrawlDelay(Duration.ofSeconds(3)));

        Lease forbidden = run(Request.get("http://b.test/private/x"));

        frontier.endingOf(forbidden, RecordingFrontier.Done.class);
        assertThat(web.count("http://b.test/private/x")).isZero();
        assertThat(stats()).containsEntry("robotstxt/forbidden", 1L);
    }

    @Test
    void done_robotsRedirect_isFollowedAsARobotsRequestOfTheSameOrigin() {
        web.route(ROBOTS_B, r -> FakeWeb.redirect(r, "/real-robots.txt"))
                .route("http://b.test/real-robots.txt", r -> robotsTxt(r, "User-agent: *\n"));
        run(Request.get("http://b.test/page"));

        Lease robotsLease = run(frontier.added.getFirst());

        var redirected = frontier.endingOf(robotsLease, RecordingFrontier.Done.class);
        assertThat(redirected.produced()).hasSize(1);
        Request target = redirected.produced().getFirst();
        assertThat(target.url()).isEqualTo("http://b.test/real-robots.txt");
        assertThat(target.meta(RobotsStage.ORIGIN_META)).isEqualTo("http://b.test");

        Lease targetLease = run(target);

        frontier.endingOf(targetLease, RecordingFrontier.Done.class);
        assertThat(robots.get("http://b.test")).isInstanceOf(RobotsStore.Known.class);
        assertThat(stats()).containsEntry("redirect/count", 1L);
    }

    @Test
    void fail_robotsTxtFailingForGood_givesUpTheOriginOnce() {
        web.route(ROBOTS_B, r -> response(r, 503, Headers.EMPTY, "down"));
        run(Request.get("http://b.test/page"));
        Request robotsRequest = frontier.added.getFirst();

        // the robots.txt goes through the retry stage like any request: two retries, then a failure
        List<Lease> leases = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            Lease lease = run(robotsRequest);
            leases.add(lease);
            if (frontier.endingOf(lease) instanceof RecordingFrontier.Retry again) {
                robotsRequest = again.request();
            }
        }

        assertThat(leases.subList(0, 2))
                .allSatisfy(l -> frontier.endingOf(l, RecordingFrontier.Retry.class));
        var fail = frontier.endingOf(leases.get(2), RecordingFrontier.Fail.class);
        assertThat(fail.reason())
                .isEqualTo(
                        "http://b.test/robots.txt unavailable (HTTP 503 (gave up after 2"
                                + " retries)); its requests fail");
        assertThat(fail.signals()).isEqualTo(ok(503));
        assertThat(robots.get("http://b.test")).isInstanceOf(RobotsStore.GaveUp.class);
        assertThat(stats())
                .containsEntry(StatKeys.error("robotstxt/unavailable"), 1L)
                .containsEntry("retry/max_reached", 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L)
                .doesNotContainKey(StatKeys.error("http_status/503"));

        Lease page = run(Request.get("http://b.test/page"));

        var pageFail = frontier.endingOf(page, RecordingFrontier.Fail.class);
        assertThat(pageFail.reason()).startsWith("http://b.test/robots.txt could not be fetched");
        assertThat(stats()).containsEntry(StatKeys.error("robotstxt/gave_up"), 1L);
        assertThat(web.count("http://b.test/page")).isZero();
    }

    @Test
    void fail_robotsTxtServerErrorNotRetried_givesUpWithTheStatusAsReason() {
        web.route(ROBOTS_B, r -> response(r, 501, Headers.EMPTY, "no"));
        run(Request.get("http://b.test/page"));

        Lease robotsLease = run(frontier.added.getFirst());

        var fail = frontier.endingOf(robotsLease, RecordingFrontier.Fail.class);
        assertThat(fail.reason())
                .isEqualTo("http://b.test/robots.txt unavailable (HTTP 501); its requests fail");
        assertThat(robots.get("http://b.test")).isEqualTo(new RobotsStore.GaveUp("HTTP 501"));
        assertThat(stats()).containsEntry(StatKeys.error("robotstxt/unavailable"), 1L);
    }

    @Test
    void fail_robotsRequestHittingAFailingStage_givesTheOriginUp() {
        // without this the origin stayed pending: its pages waited for a robots.txt that failed
        // again each time it was queued anew, and the crawl never finished
        userRequestStages.add(
                (request, slot) -> {
                    throw new IllegalStateException("stage bug");
                });
        run(Request.get("http://b.test/page"));

        Lease robotsLease = run(frontier.added.getFirst());

        var fail = frontier.endingOf(robotsLease, RecordingFrontier.Fail.class);
        assertThat(fail.reason())
                .isEqualTo(
                        "http://b.test/robots.txt unavailable (unexpected failure:"
                                + " java.lang.IllegalStateException: stage bug); its requests fail");
        assertThat(robots.get("http://b.test")).isInstanceOf(RobotsStore.GaveUp.class);
        assertThat(stats()).containsEntry(StatKeys.error("engine/IllegalStateException"), 1L);

        Lease page = run(Request.get("http://b.test/page"));

        assertThat(frontier.endingOf(page, RecordingFrontier.Fail.class).reason())
                .startsWith("http://b.test/robots.txt could not be fetched");
    }

    @Test
    void fail_robotsCommitThrowing_keepsTheRulesItRead() {
        web.route(ROBOTS_B, r -> robotsTxt(r, "User-agent: *\nDisallow: /private/\n"))
                .page("http://b.test/page", page());
        run(Request.get("http://b.test/page"));
        frontier.throwOnNextEnding(new IllegalStateException("store broke"));

        Lease robotsLease = run(frontier.added.getFirst());

        frontier.endingOf(robotsLease, RecordingFrontier.Fail.class);
        assertThat(robots.get("http://b.test")).isInstanceOf(RobotsStore.Known.class);
        frontier.endingOf(run(Request.get("http://b.test/page")), RecordingFrontier.Done.class);
    }

    // redirects

    @Test
    void done_redirect_producesTheTargetInsteadOfCallingBack() {
        web.route(HOME, r -> FakeWeb.redirect(r, "/moved"));

        Lease lease = run(Request.get(HOME));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).isEmpty();
        assertThat(done.produced()).hasSize(1);
        Request target = done.produced().getFirst();
        assertThat(target.url()).isEqualTo("http://a.test/moved");
        assertThat(target.meta(RedirectPolicy.REDIRECT_URLS)).isEqualTo(List.of(HOME));
        assertThat(done.signals()).isEqualTo(ok(302));
        assertThat(spider.calls).hasValue(0);
        assertThat(stats()).containsEntry("redirect/count", 1L);
    }

    @Test
    void done_redirectOffsite_producesNothingAndCountsTheFilter() {
        web.route(HOME, r -> FakeWeb.redirect(r, "http://elsewhere.test/"));

        Lease lease = run(Request.get(HOME));

        assertThat(frontier.endingOf(lease, RecordingFrontier.Done.class).produced()).isEmpty();
        assertThat(stats()).containsEntry(StatKeys.OFFSITE_FILTERED, 1L);
    }

    @Test
    void fail_redirectLoop() {
        web.route("http://a.test/loop", r -> FakeWeb.redirect(r, "/loop"));

        Lease lease = run(Request.get("http://a.test/loop"));

        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.reason()).contains("redirect loop");
        assertThat(fail.signals()).isEqualTo(ok(302));
        assertThat(stats())
                .containsEntry(StatKeys.error("redirect/loop"), 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L);
    }

    // retries

    @Test
    void retry_503WithRetryAfter_waitsAtLeastThatLongAndPausesTheSlot() {
        web.route(HOME, r -> response(r, 503, Headers.of("Retry-After", "30"), "busy"));

        Lease lease = run(Request.get(HOME));

        var again = frontier.endingOf(lease, RecordingFrontier.Retry.class);
        assertThat(again.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(again.request().meta(RetryPolicy.RETRY_TIMES)).isEqualTo(1);
        assertThat(again.signals()).isEqualTo(ok(503).withPause(Duration.ofSeconds(30)));
        assertThat(stats())
                .containsEntry(StatKeys.RETRY_COUNT, 1L)
                .containsEntry(StatKeys.retryReason("http_status/503"), 1L)
                .containsEntry(StatKeys.POLITENESS_RETRY_AFTER_PAUSE_COUNT, 1L);
    }

    @Test
    void fail_retriesUsedUp() {
        web.route(HOME, r -> response(r, 503, Headers.EMPTY, "busy"));

        Lease lease = run(Request.get(HOME).withMeta(RetryPolicy.RETRY_TIMES, 2));

        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.reason()).isEqualTo("HTTP 503 (gave up after 2 retries)");
        assertThat(fail.signals()).isEqualTo(ok(503));
        assertThat(spider.calls).hasValue(0);
        // Scrapy: RetryMiddleware passes the last response on, HttpErrorMiddleware ignores it
        assertThat(stats())
                .containsEntry("retry/max_reached", 1L)
                .containsEntry("httperror/response_ignored_count", 1L)
                .containsEntry("httperror/response_ignored_status_count/503", 1L)
                .containsEntry(StatKeys.error("http_status/503"), 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L);
    }

    @Test
    void done_retriesUsedUpOnAStatusTheRequestHandles_theCallbackGetsTheLastResponse() {
        web.route(HOME, r -> response(r, 503, Headers.EMPTY, "busy, come back later"));

        Lease lease =
                run(
                        Request.get(HOME)
                                .withMeta(RetryPolicy.RETRY_TIMES, 2)
                                .withMeta(HttpErrorFilter.HANDLE_LIST, List.of(503)));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).containsExactly(Item.of("url", HOME, "status", 503));
        assertThat(spider.bodies).containsExactly("busy, come back later");
        assertThat(done.signals()).isEqualTo(ok(503));
        assertThat(stats())
                .containsEntry("retry/max_reached", 1L)
                .doesNotContainKey("httperror/response_ignored_count")
                .doesNotContainKey(StatKeys.ERROR_COUNT)
                .doesNotContainKey(StatKeys.DEAD_LETTER_COUNT);
    }

    @Test
    void done_retryAfterOverTheMaximumOnAStatusTheRequestHandles_theCallbackGetsIt() {
        web.route(HOME, r -> response(r, 503, Headers.of("Retry-After", "3600"), "closed"));

        Lease lease = run(Request.get(HOME).withMeta(HttpErrorFilter.HANDLE_ALL, true));

        frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(spider.bodies).containsExactly("closed");
        assertThat(stats())
                .doesNotContainKey("retry/max_reached")
                .doesNotContainKey(StatKeys.ERROR_COUNT);
    }

    @Test
    void fail_retryAfterOverTheMaximum_saysWhyItWasNotRetried() {
        web.route(HOME, r -> response(r, 503, Headers.of("Retry-After", "3600"), "closed"));

        Lease lease = run(Request.get(HOME));

        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.reason())
                .isEqualTo("HTTP 503 (Retry-After 3600s is longer than retry_backoff_max)");
        assertThat(stats())
                .containsEntry(StatKeys.error("http_status/503"), 1L)
                .containsEntry("httperror/response_ignored_status_count/503", 1L)
                .doesNotContainKey("retry/max_reached");
    }

    @Test
    void done_leaseLostAfterTheRetriesWereUsedUp_countsNothing() {
        web.route(HOME, r -> response(r, 503, Headers.EMPTY, "busy"));
        frontier.answerNextEnding(Ending.LEASE_LOST);

        run(
                Request.get(HOME)
                        .withMeta(RetryPolicy.RETRY_TIMES, 2)
                        .withMeta(HttpErrorFilter.HANDLE_LIST, List.of(503)));

        assertThat(stats()).doesNotContainKey("retry/max_reached");
    }

    /** DNS is retried like Scrapy's DNSLookupError, but it is no connection error for the slot. */
    @ParameterizedTest
    @CsvSource({
        "TIMEOUT,          retry, true",
        "CONNECT,          retry, true",
        "CONNECTION_RESET, retry, true",
        "DNS,              retry, false",
        "PROTOCOL,         fail,  false",
        "OTHER,            retry, false",
        "TOO_LARGE,        fail,  false",
        "BAD_ENCODING,     fail,  false",
        "REFUSED,          fail,  false",
    })
    void downloadError_endsByItsKind(
            DownloadException.Kind kind, String ending, boolean connectionError) {
        downloader =
                downloader(
                        r -> {
                            throw new DownloadException(kind, r.url(), "scripted");
                        });

        Lease lease = run(Request.get(HOME));

        RecordingFrontier.Call call = frontier.endingOf(lease);
        String key = "download/" + kind.statName();
        assertThat(call.signals().connectionError()).isEqualTo(connectionError);
        assertThat(call.signals().latency()).isNull();
        assertThat(stats())
                .containsEntry(StatKeys.exceptionType(kind.statName()), 1L)
                .containsEntry(StatKeys.DOWNLOADER_EXCEPTION_COUNT, 1L);
        if (connectionError) {
            assertThat(stats()).containsEntry(StatKeys.POLITENESS_ERROR_BACKOFF_COUNT, 1L);
        } else {
            assertThat(stats()).doesNotContainKey(StatKeys.POLITENESS_ERROR_BACKOFF_COUNT);
        }
        if (ending.equals("retry")) {
            var again = (RecordingFrontier.Retry) call;
            assertThat(again.request().meta(RetryPolicy.RETRY_TIMES)).isEqualTo(1);
            assertThat(stats()).containsEntry(StatKeys.retryReason(key), 1L);
        } else {
            assertThat(call).isInstanceOf(RecordingFrontier.Fail.class);
            assertThat(stats())
                    .containsEntry(StatKeys.error(key), 1L)
                    .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L)
                    .doesNotContainKey(StatKeys.RETRY_COUNT);
        }
    }

    @Test
    void retry_downloadInterrupted_putsTheRequestBackAtOnce() {
        downloader =
                downloader(
                        r -> {
                            throw new InterruptedException("abort");
                        });

        Lease lease = run(Request.get(HOME));

        boolean interruptKept = Thread.interrupted(); // clears it for the next test
        assertThat(interruptKept).isTrue();
        var back = frontier.endingOf(lease, RecordingFrontier.Retry.class);
        assertThat(back.request()).isEqualTo(lease.request());
        assertThat(back.delay()).isZero();
        assertThat(back.reason()).startsWith("interrupted");
        assertThat(stats()).doesNotContainKey(StatKeys.ERROR_COUNT);
    }

    // HTTP errors

    @Test
    void done_notFound_isIgnoredWithoutCallingBack() {
        Lease lease = run(Request.get("http://a.test/missing"));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).isEmpty();
        assertThat(done.signals()).isEqualTo(ok(404));
        assertThat(spider.calls).hasValue(0);
        assertThat(stats())
                .containsEntry("httperror/response_ignored_count", 1L)
                .containsEntry("httperror/response_ignored_status_count/404", 1L);
    }

    @Test
    void done_notFoundInHandleHttpStatusList_reachesTheCallback() {
        Lease lease =
                run(
                        Request.get("http://a.test/missing")
                                .withMeta(HttpErrorFilter.HANDLE_LIST, List.of(404)));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items())
                .containsExactly(Item.of("url", "http://a.test/missing", "status", 404));
        assertThat(stats()).doesNotContainKey("httperror/response_ignored_count");
    }

    // request stages

    @Test
    void fail_privateAddress_refusedWithoutADownload() {
        Lease lease = run(Request.get("http://intranet.test/admin"));

        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.reason()).startsWith("deny_private_addresses: ");
        assertThat(fail.signals()).isEqualTo(SlotSignals.NOT_SENT);
        assertThat(web.fetched).isEmpty();
        assertThat(frontier.started).isEmpty();
        assertThat(stats())
                .containsEntry(StatKeys.error("download/refused"), 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L);
    }

    @Test
    void errback_ofARefusedRequest_isToldWhy_andItsOutputIsCommittedInsteadOfADeadLetter() {
        Lease lease = run(Request.get("http://intranet.test/admin").withErrback("onError"));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items())
                .containsExactly(
                        Item.of(
                                "failed",
                                "http://intranet.test/admin",
                                "kind",
                                "download/refused"));
        assertThat(done.produced())
                .extracting(Request::url)
                .containsExactly("http://a.test/mirror");
        assertThat(spider.failures)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.status()).isZero();
                            assertThat(f.response()).isNull();
                            assertThat(f.exception()).isNull();
                            assertThat(f.reason()).startsWith("deny_private_addresses: ");
                        });
        assertThat(stats())
                .containsEntry(StatKeys.error("download/refused"), 1L)
                .containsEntry(StatKeys.ERRBACK_HANDLED, 1L)
                .containsEntry(StatKeys.REQUEST_SCHEDULED_COUNT, 1L)
                .doesNotContainKey(StatKeys.DEAD_LETTER_COUNT);
    }

    @Test
    void errback_thatEmitsNothing_leavesTheFailureADeadLetter() {
        downloader =
                downloader(
                        request -> {
                            throw new DownloadException(
                                    DownloadException.Kind.TOO_LARGE, request.url(), "too big");
                        });

        Lease lease = run(Request.get("http://a.test/huge").withErrback("quietly"));

        assertThat(frontier.endingOf(lease, RecordingFrontier.Fail.class).reason())
                .contains("too big");
        assertThat(spider.failures)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.kind()).isEqualTo("download/too_large");
                            assertThat(f.exception()).isInstanceOf(DownloadException.class);
                        });
        assertThat(stats())
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L)
                .containsEntry(StatKeys.ERRBACK_COUNT, 1L)
                .doesNotContainKey(StatKeys.ERRBACK_HANDLED);
    }

    @Test
    void errback_ofAStatusTheCallbackDoesNotHandle_getsTheResponse() {
        web.route("http://a.test/gone", r -> FakeWeb.html(r, 410, "<html>gone</html>"));

        Lease lease = run(Request.get("http://a.test/gone").withErrback("quietly"));

        frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(spider.calls).hasValue(0);
        assertThat(spider.failures)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.kind()).isEqualTo("http_status/410");
                            assertThat(f.status()).isEqualTo(410);
                            assertThat(f.response()).isNotNull();
                        });
    }

    @Test
    void done_userRequestStageChangingAHeader_isWhatTheDownloaderSends() {
        List<String> sent = new CopyOnWriteArrayList<>();
        web.route(
                HOME,
                r -> {
                    sent.add(String.valueOf(r.headers().first("X-Token")));
                    return FakeWeb.html(r, 200, page());
                });
        userRequestStages.add(
                (request, slot) -> StageResult.next(request.withHeader("X-Token", "t1")));

        Lease lease = run(Request.get(HOME));

        frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(sent).containsExactly("t1");
    }

    @Test
    void fail_userRequestStageThatThrows_countedAndEndedOnce() {
        userRequestStages.add(
                (request, slot) -> {
                    throw new IllegalStateException("stage bug");
                });

        Lease lease = run(Request.get(HOME));

        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.reason()).contains("IllegalStateException: stage bug");
        assertThat(web.fetched).isEmpty();
        assertThat(stats())
                .containsEntry(StatKeys.error("engine/IllegalStateException"), 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L);
    }

    @Test
    void fail_userResponseStageThatThrows_endedOnceWithTheResponsesSignals() {
        web.page(HOME, page());
        userResponseStages.add(
                (response, slot) -> {
                    throw new IllegalStateException("stage bug");
                });

        Lease lease = run(Request.get(HOME));

        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.signals()).isEqualTo(ok(200));
        assertThat(spider.calls).hasValue(0);
        assertThat(stats()).containsEntry(StatKeys.error("engine/IllegalStateException"), 1L);
    }

    // callbacks and the frontier

    @Test
    void done_callbackThatThrows_keepsWhatItMadeBeforeAndCountsTheError() {
        web.page(HOME, page("/1") + "explode");

        Lease lease = run(Request.get(HOME));

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.items()).containsExactly(Item.of("url", HOME, "status", 200));
        assertThat(done.produced()).extracting(Request::url).containsExactly("http://a.test/1");
        assertThat(stats())
                .containsEntry(StatKeys.error("callback/IllegalStateException"), 1L)
                .doesNotContainKey(StatKeys.DEAD_LETTER_COUNT);
    }

    @Test
    void fail_frontierDoneThrowingOnce_endsTheLeaseOnceByTheCatchAll() {
        web.page(HOME, page("/1"));
        frontier.throwOnNextEnding(new IllegalStateException("store broke"));

        Lease lease = run(Request.get(HOME));

        assertThat(frontier.thrown).hasValue(1);
        var fail = frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(fail.reason()).contains("store broke");
        assertThat(fail.signals()).isEqualTo(ok(200));
        assertThat(stats())
                .containsEntry(StatKeys.error("engine/IllegalStateException"), 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L)
                .doesNotContainKey(StatKeys.REQUEST_SCHEDULED_COUNT);
    }

    @Test
    void leaseLeftOut_frontierThrowingOnDoneAndOnTheFail() {
        web.page(HOME, page());
        frontier.throwOnNextEnding(new IllegalStateException("store broke"));
        frontier.throwOnNextEnding(new IllegalStateException("still broken"));

        run(Request.get(HOME));

        // the lease stays out until it expires; the frontier then queues its request again
        assertThat(frontier.thrown).hasValue(2);
        assertThat(frontier.endings).isEmpty();
        assertThat(stats()).containsEntry(StatKeys.error("engine/IllegalStateException"), 2L);
    }

    @Test
    void leaseLeftOut_frontierFailingForGoodOnDone() {
        web.page(HOME, page());
        frontier.throwOnNextEnding(
                new FrontierException("disk gone", false, new RuntimeException()));

        Lease lease = run(Request.get(HOME));

        assertThat(fatal).singleElement().extracting(Throwable::getMessage).isEqualTo("disk gone");
        assertThat(frontier.endings).as("the lease stays out for a resumed run").isEmpty();
        assertThat(frontier.started).containsExactly(lease);
        assertThat(stats()).doesNotContainKey(StatKeys.ERROR_COUNT);
    }

    @Test
    void done_afterARenewal_endsTheRenewedLease() {
        web.page(HOME, page());
        Lease lease = frontier.lease(Request.get(HOME));
        LeaseHandler handler = new LeaseHandler(flow(), lease);

        handler.renew();
        handler.run();

        var done = frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(done.lease().deadline()).isEqualTo(lease.deadline().plusSeconds(60));
    }

    @Test
    void done_leaseLost_countedAndNothingCountedAsScheduledOrDuplicate() {
        web.page(HOME, page("/1", "/2"));
        frontier.answerNextEnding(Ending.LEASE_LOST);

        Lease lease = run(Request.get(HOME));

        frontier.endingOf(lease, RecordingFrontier.Done.class);
        assertThat(stats())
                .containsEntry(StatKeys.FRONTIER_LEASE_LOST, 1L)
                .doesNotContainKey(StatKeys.REQUEST_SCHEDULED_COUNT)
                .doesNotContainKey(StatKeys.DUPEFILTER_FILTERED);
    }

    @Test
    void done_transactionalPipeline_toldBeforeAndAfterTheCommit_withTheLeasedRequestsIds() {
        web.page(HOME, page());
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        pipelines.add(recording);
        // a stage that changes the URL sent: the ids stay those of the leased request
        userRequestStages.add((request, slot) -> StageResult.next(request.withUrl(HOME + "?sent")));
        web.page(HOME + "?sent", page());

        Lease lease = run(Request.get(HOME));

        frontier.endingOf(lease, RecordingFrontier.Done.class);
        ItemContext context = new ItemContext(Fingerprint.of(Request.get(HOME)).hex(), 0, HOME);
        assertThat(recording.processed).containsExactly(context);
        assertThat(recording.prepared).containsExactly(List.of(context));
        assertThat(recording.committed).containsExactly(List.of(context));
    }

    @Test
    void done_leaseLost_transactionalPipelineToldBeforeTheCommitButNotOfIt() {
        web.page(HOME, page());
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        pipelines.add(recording);
        frontier.answerNextEnding(Ending.LEASE_LOST);

        run(Request.get(HOME));

        assertThat(recording.prepared).hasSize(1);
        assertThat(recording.committed).isEmpty();
    }

    @Test
    void leaseLeftOut_frontierFailingForGoodOnDone_transactionalPipelineNotToldOfACommit() {
        web.page(HOME, page());
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        pipelines.add(recording);
        frontier.throwOnNextEnding(
                new FrontierException("disk gone", false, new RuntimeException()));

        run(Request.get(HOME));

        assertThat(recording.prepared).hasSize(1);
        assertThat(recording.committed).isEmpty();
    }

    @Test
    void fail_frontierDoneThrowing_transactionalPipelineNotToldOfACommit() {
        web.page(HOME, page());
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        pipelines.add(recording);
        frontier.throwOnNextEnding(new IllegalStateException("store broke"));

        Lease lease = run(Request.get(HOME));

        frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(recording.committed).isEmpty();
    }

    @Test
    void fail_leaseLost_countedWithoutADeadLetterOrAnError() {
        frontier.answerNextEnding(Ending.LEASE_LOST);

        Lease lease = run(Request.get("http://intranet.test/"));

        frontier.endingOf(lease, RecordingFrontier.Fail.class);
        assertThat(stats())
                .as("the request is queued again: its failure is not this lease's")
                .containsEntry(StatKeys.FRONTIER_LEASE_LOST, 1L)
                .doesNotContainKey(StatKeys.DEAD_LETTER_COUNT)
                .doesNotContainKey(StatKeys.ERROR_COUNT);
    }

    @Test
    void retry_leaseLost_countsNoRetry() {
        web.route(HOME, r -> FakeWeb.html(r, 503, "busy"));
        frontier.answerNextEnding(Ending.LEASE_LOST);

        Lease lease = run(Request.get(HOME));

        frontier.endingOf(lease, RecordingFrontier.Retry.class);
        assertThat(stats())
                .containsEntry(StatKeys.FRONTIER_LEASE_LOST, 1L)
                .doesNotContainKey(StatKeys.RETRY_COUNT);
    }
}
