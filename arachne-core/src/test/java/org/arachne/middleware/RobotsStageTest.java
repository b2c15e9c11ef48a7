package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import crawlercommons.robots.SimpleRobotRulesParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RobotsStageTest {
    private static final String ORIGIN = "http://a.test";
    private static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(5);

    private final ManualTicker ticker = new ManualTicker();
    private final RobotsStore store = new CachedRobotsStore(ticker::nanos);
    private final List<Request> queued = new ArrayList<>();
    private final RobotsStage stage =
            new RobotsStage(store, null, "Arachne/0.1", MAX_CRAWL_DELAY, queued::add, ticker);
    private final RecordingSlot slot = new RecordingSlot();

    private static RobotsStore.Known known(String robotsTxt, Duration crawlDelay) {
        return new RobotsStore.Known(
                new SimpleRobotRulesParser()
                        .parseContent(
                                ORIGIN + "/robots.txt",
                                robotsTxt.getBytes(StandardCharsets.UTF_8),
                                "text/plain",
                                List.of("arachne")),
                crawlDelay);
    }

    private StageResult<Request> onRequest(String url) {
        return stage.onRequest(Request.get(url), slot);
    }

    /** The robots.txt request the stage queues for the origin of a first request. */
    private Request robotsRequest() {
        onRequest(ORIGIN + "/page");
        return queued.getLast();
    }

    private static Response response(Request request, int status, String body) {
        return new Response(
                request,
                request.url(),
                status,
                Headers.of("Content-Type", "text/plain"),
                Body.utf8(body),
                Duration.ofMillis(3));
    }

    private static Duration waitOf(StageResult<Request> result) {
        assertThat(result).isInstanceOf(StageResult.End.class);
        Outcome outcome = ((StageResult.End<Request>) result).outcome();
        assertThat(outcome).isInstanceOf(Outcome.Wait.class);
        return ((Outcome.Wait) outcome).delay();
    }

    @ParameterizedTest
    @CsvSource({
        "Arachne/0.1, arachne",
        "'Arachne/0.1 (+http://a.test/bot)', arachne",
        "'Mozilla/5.0 (compatible; Foo/1.0)', mozilla",
        "' spaced ', spaced",
        "MyBot, mybot",
        "Bot;v2, bot",
        "'', *",
        "'   ', *",
    })
    void productToken_ofUserAgent(String userAgent, String token) {
        assertThat(RobotsStage.productToken(userAgent)).isEqualTo(token);
    }

    @Test
    void onRequest_knownAllowed_passesAndReportsTheCrawlDelay() {
        store.put(ORIGIN, known("User-agent: *\nDisallow: /private/\n", Duration.ofSeconds(2)));
        Request request = Request.get(ORIGIN + "/page");

        assertThat(stage.onRequest(request, slot)).isEqualTo(StageResult.next(request));
        assertThat(slot.crawlDelays).containsExactly(Duration.ofSeconds(2));
        assertThat(queued).isEmpty();
    }

    @Test
    void onRequest_knownAllowedWithoutCrawlDelay_reportsNothing() {
        store.put(ORIGIN, known("User-agent: *\nDisallow: /private/\n", Duration.ZERO));

        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.Next.class);
        assertThat(slot.crawlDelays).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "User-agent: *\\nDisallow: /private/\\n | /private/x",
                "User-agent: arachne\\nDisallow: /\\n\\nUser-agent: *\\nAllow: /\\n | /page",
            })
    void onRequest_knownForbidden_isDropped(String robotsTxt, String path) {
        store.put(ORIGIN, known(robotsTxt.replace("\\n", "\n"), Duration.ofSeconds(2)));

        assertThat(onRequest(ORIGIN + path))
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "forbidden by robots.txt",
                                        List.of("robotstxt/forbidden"))));
        assertThat(slot.crawlDelays).isEmpty();
    }

    @Test
    void onRequest_unknownOrigin_queuesItsRobotsTxtAndWaits() {
        Duration wait = waitOf(onRequest(ORIGIN + "/page"));

        assertThat(wait).isEqualTo(RobotsStage.FIRST_WAIT);
        assertThat(queued)
                .singleElement()
                .satisfies(
                        robots -> {
                            assertThat(robots.url()).isEqualTo(ORIGIN + "/robots.txt");
                            assertThat(robots.priority()).isEqualTo(RobotsStage.PRIORITY);
                            assertThat(robots.dontFilter()).isTrue();
                            assertThat(robots.meta(RobotsStage.ORIGIN_META)).isEqualTo(ORIGIN);
                            assertThat(RobotsStage.isRobotsRequest(robots)).isTrue();
                        });
        assertThat(store.get(ORIGIN)).isInstanceOf(RobotsStore.Pending.class);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 10",
        "5, 10",
        "10, 10",
        "50, 50",
        "300, 300",
        "999, 999",
        "1000, 1000",
        "60000, 1000"
    })
    void onRequest_pending_waitGrowsWithItsAgeToOneSecond(long ageMillis, long waitMillis) {
        onRequest(ORIGIN + "/first");
        ticker.advance(Duration.ofMillis(ageMillis));

        Duration wait = waitOf(onRequest(ORIGIN + "/second"));

        assertThat(wait).isEqualTo(Duration.ofMillis(waitMillis));
        assertThat(queued).as("queued once while pending").hasSize(1);
    }

    @Test
    void onRequest_stalePending_queuesTheRobotsTxtAgain() {
        onRequest(ORIGIN + "/first");
        ticker.advance(RobotsStage.STALE_PENDING.minusNanos(1));
        onRequest(ORIGIN + "/second");
        assertThat(queued).hasSize(1);

        ticker.advance(Duration.ofNanos(1));
        Duration wait = waitOf(onRequest(ORIGIN + "/third"));

        assertThat(queued).hasSize(2);
        assertThat(wait).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void onRequest_robotsRequestOfAnOriginWhoseRulesAreKnown_isNotSent() {
        Request robots = robotsRequest();
        stage.onResponse(response(robots, 200, "User-agent: *\nAllow: /\n"), slot);

        // queued again while it was pending, taken for lost (STALE_PENDING), and it came back
        assertThat(stage.onRequest(robots, slot))
                .isEqualTo(
                        StageResult.end(new Outcome.Drop("robots.txt known already", List.of())));
    }

    @Test
    void onRequest_gaveUp_fails() {
        store.put(ORIGIN, new RobotsStore.GaveUp("HTTP 500"));

        assertThat(onRequest(ORIGIN + "/page"))
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Fail(
                                        ORIGIN + "/robots.txt could not be fetched (HTTP 500)",
                                        "robotstxt/gave_up")));
        assertThat(queued).isEmpty();
    }

    @Test
    void onRequest_robotsTxtItself_passesWithoutWaiting() {
        Request plain = Request.get(ORIGIN + "/robots.txt");
        Request robots = robotsRequest();

        assertThat(stage.onRequest(plain, slot)).isEqualTo(StageResult.next(plain));
        assertThat(stage.onRequest(robots, slot)).isEqualTo(StageResult.next(robots));
        assertThat(queued).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"'', 0", "Crawl-delay: 2, 2000", "Crawl-delay: 0.5, 500", "Crawl-delay: 60, 5000"})
    void onResponse_robotsTxt_storesTheRulesWithTheCrawlDelayCapped(
            String crawlDelayLine, long expectedMillis) {
        Request robots = robotsRequest();

        StageResult<Response> result =
                stage.onResponse(
                        response(
                                robots,
                                200,
                                "User-agent: *\nDisallow: /private/\n" + crawlDelayLine + "\n"),
                        slot);

        assertThat(result)
                .isEqualTo(StageResult.end(new Outcome.Drop("robots.txt read", List.of())));
        Duration expected = Duration.ofMillis(expectedMillis);
        assertThat(store.get(ORIGIN))
                .isInstanceOfSatisfying(
                        RobotsStore.Known.class,
                        k -> {
                            assertThat(k.crawlDelay()).isEqualTo(expected);
                            assertThat(k.rules().isAllowed(ORIGIN + "/private/x")).isFalse();
                            assertThat(k.rules().isAllowed(ORIGIN + "/page")).isTrue();
                        });
        assertThat(slot.crawlDelays).isEqualTo(expected.isZero() ? List.of() : List.of(expected));
    }

    /**
     * RFC 9309 section 2.5: a crawler MUST parse at least the first 500 KiB. The robots.txt request
     * reads at most {@link RobotsStage#MAX_SIZE} (512 KiB), whatever {@code download_maxsize} says,
     * and is cut there instead of failing (#9: one over {@code download_maxsize} gave the site up).
     */
    @Test
    void onRequest_unknownOrigin_itsRobotsTxtReadsAtMost512KiBAndIsCutThere() {
        Request robots = robotsRequest();

        assertThat(RobotsStage.MAX_SIZE).isEqualTo(512 * 1024).isGreaterThanOrEqualTo(500 * 1024);
        assertThat(robots.meta(HttpClient5Downloader.MAXSIZE_META)).isEqualTo(RobotsStage.MAX_SIZE);
        assertThat(robots.meta(HttpClient5Downloader.TRUNCATE_META)).isEqualTo(true);
    }

    /** A rule cut at the size cap is dropped, not half read ({@code Disallow: /p} of /private). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // what was read (\n: a line break) | /private/x allowed | /page allowed
                "User-agent: *\\nDisallow: /p | true | true",
                "User-agent: *\\nDisallow: /private/\\nDisallow: /p | false | true",
                "User-agent: *\\r\\nDisallow: /private/\\r\\nDisallow: /p | false | true",
                "User-agent: *\\nDisallow: /private/\\n | false | true",
            })
    void onResponse_truncatedRobotsTxt_dropsTheCutLineAndCountsIt(
            String read, boolean privateAllowed, boolean pageAllowed) {
        Request robots = robotsRequest();
        Response cut =
                new Response(
                        robots,
                        robots.url(),
                        200,
                        Headers.of("Content-Type", "text/plain"),
                        Body.utf8(read.replace("\\n", "\n").replace("\\r", "\r")),
                        Duration.ofMillis(3),
                        "HTTP/1.1",
                        true);

        StageResult<Response> result = stage.onResponse(cut, slot);

        assertThat(result)
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "robots.txt read", List.of("robotstxt/truncated"))));
        assertThat(store.get(ORIGIN))
                .isInstanceOfSatisfying(
                        RobotsStore.Known.class,
                        k -> {
                            assertThat(k.rules().isAllowed(ORIGIN + "/private/x"))
                                    .isEqualTo(privateAllowed);
                            assertThat(k.rules().isAllowed(ORIGIN + "/page"))
                                    .isEqualTo(pageAllowed);
                        });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410, 451})
    void onResponse_clientError_allowsEverything(int status) {
        Request robots = robotsRequest();

        StageResult<Response> result =
                stage.onResponse(response(robots, status, "Disallow: /"), slot);

        assertThat(result).isInstanceOf(StageResult.End.class);
        assertThat(((StageResult.End<Response>) result).outcome()).isInstanceOf(Outcome.Drop.class);
        assertThat(store.get(ORIGIN))
                .isInstanceOfSatisfying(
                        RobotsStore.Known.class,
                        k -> assertThat(k.rules().isAllowed(ORIGIN + "/anything")).isTrue());
        assertThat(onRequest(ORIGIN + "/anything")).isInstanceOf(StageResult.Next.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503, 301, 304, 100})
    void onResponse_otherStatusReachingTheStage_givesTheOriginUp(int status) {
        Request robots = robotsRequest();

        StageResult<Response> result = stage.onResponse(response(robots, status, ""), slot);

        assertThat(result)
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Fail(
                                        ORIGIN
                                                + "/robots.txt unavailable (HTTP "
                                                + status
                                                + "); its requests fail",
                                        RobotsStage.UNAVAILABLE)));
        assertThat(store.get(ORIGIN)).isEqualTo(new RobotsStore.GaveUp("HTTP " + status));
        assertThat(onRequest(ORIGIN + "/page"))
                .isInstanceOfSatisfying(
                        StageResult.End.class,
                        end ->
                                assertThat(((Outcome.Fail) end.outcome()).errorKind())
                                        .isEqualTo("robotstxt/gave_up"));
    }

    @Test
    void onResponse_ofAnotherRequest_goesOn() {
        Response page = response(Request.get(ORIGIN + "/page"), 500, "");

        assertThat(stage.onResponse(page, slot)).isEqualTo(StageResult.next(page));
        assertThat(store.get(ORIGIN)).isNull();
    }

    @Test
    void failed_robotsRequest_givesTheOriginUpAsUnavailable() {
        Request robots = robotsRequest();
        Outcome.Fail failure =
                new Outcome.Fail(
                        "timeout: no answer", "download/timeout", List.of("retry/max_reached"));

        Outcome.Fail told = stage.failed(robots, failure);

        assertThat(told)
                .isEqualTo(
                        new Outcome.Fail(
                                ORIGIN
                                        + "/robots.txt unavailable (timeout: no answer); its"
                                        + " requests fail",
                                "robotstxt/unavailable",
                                List.of("retry/max_reached")));
        assertThat(store.get(ORIGIN)).isEqualTo(new RobotsStore.GaveUp("timeout: no answer"));
    }

    @Test
    void failed_robotsRequestAlreadyGivenUp_isLeftAsItIs() {
        Request robots = robotsRequest();
        StageResult<Response> gaveUp = stage.onResponse(response(robots, 500, ""), slot);
        Outcome.Fail failure = (Outcome.Fail) ((StageResult.End<Response>) gaveUp).outcome();

        assertThat(stage.failed(robots, failure)).isSameAs(failure);
        assertThat(store.get(ORIGIN)).isEqualTo(new RobotsStore.GaveUp("HTTP 500"));
    }

    @Test
    void failed_robotsRequestWhoseRulesWereRead_keepsTheRules() {
        Request robots = robotsRequest();
        stage.onResponse(response(robots, 200, "User-agent: *\nDisallow: /private/\n"), slot);
        Outcome.Fail failure = new Outcome.Fail("unexpected failure: commit", "engine");

        assertThat(stage.failed(robots, failure)).isSameAs(failure);
        assertThat(store.get(ORIGIN)).isInstanceOf(RobotsStore.Known.class);
    }

    @Test
    void failed_otherRequest_isTheFailureUnchanged() {
        Outcome.Fail failure = new Outcome.Fail("boom", "download/timeout");

        assertThat(stage.failed(Request.get(ORIGIN + "/page"), failure)).isSameAs(failure);
        assertThat(store.get(ORIGIN)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"redirect/loop", "redirect/max_times", "redirect/bad_location"})
    void failed_robotsRequestLostInItsRedirects_allowsEverything_asRfc9309Says(String kind) {
        Request robots = robotsRequest();

        Outcome.Fail told = stage.failed(robots, new Outcome.Fail("redirect loop", kind));

        assertThat(told.errorKind()).isEqualTo("robotstxt/unavailable");
        assertThat(told.reason()).contains("everything is allowed");
        assertThat(stage.onRequest(Request.get(ORIGIN + "/private/x"), slot))
                .as("the origin is not given up")
                .isInstanceOf(StageResult.Next.class);
    }
}
