package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.frontier.RobotsTxtRecord;
import org.arachne.frontier.RobotsTxtStore;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.testing.ManualTicker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The robots.txt stage over a {@link RobotsTxtStore}, each "run" a new stage and in-process store
 * over the same kept records, on one clock: what a fetch found is kept and used by the next run for
 * what is left of its 24 hours on the wall clock, read for that run's robot name and cap; what is
 * pending or given up is never kept.
 */
class RobotsStageKeptTest {
    private static final String ORIGIN = "http://a.test";
    private static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(5);

    private final ManualTicker ticker = new ManualTicker();
    private final KeptRecords kept = new KeptRecords();
    private final List<Request> queued = new ArrayList<>();
    private final RecordingSlot slot = new RecordingSlot();
    private RobotsStore store = new CachedRobotsStore(ticker::nanos);
    private RobotsStage stage = stage("Arachne/0.1", MAX_CRAWL_DELAY);

    /** Records kept in memory, and the floors given, for stage tests. */
    static final class KeptRecords implements RobotsTxtStore {
        final Map<String, RobotsTxtRecord> records = new LinkedHashMap<>();
        final Map<String, Duration> floors = new LinkedHashMap<>();
        int reads;

        @Override
        public @Nullable RobotsTxtRecord robotsTxt(String origin) {
            reads++;
            return records.get(origin);
        }

        @Override
        public List<RobotsTxtRecord> robotsTxtWithCrawlDelay() {
            return records.values().stream().filter(r -> r.crawlDelay().isPositive()).toList();
        }

        @Override
        public void keepRobotsTxt(RobotsTxtRecord record) {
            records.put(record.origin(), record);
        }

        @Override
        public void crawlDelayFromFirstRequest(String origin, Duration crawlDelay) {
            floors.put(origin, crawlDelay);
        }
    }

    private RobotsStage stage(String userAgent, Duration maxCrawlDelay) {
        return new RobotsStage(store, kept, userAgent, maxCrawlDelay, queued::add, ticker);
    }

    /** The next run: a new in-process store and stage over the same kept records. */
    private void nextRun(String userAgent, Duration maxCrawlDelay) {
        store = new CachedRobotsStore(ticker::nanos);
        stage = stage(userAgent, maxCrawlDelay);
        queued.clear();
    }

    private void nextRun() {
        nextRun("Arachne/0.1", MAX_CRAWL_DELAY);
    }

    private StageResult<Request> onRequest(String url) {
        return stage.onRequest(Request.get(url), slot);
    }

    /** The first run: a request of the origin queues its robots.txt, which answers this. */
    private void fetchedOnce(int status, String body) {
        onRequest(ORIGIN + "/page");
        Request robots = queued.getLast();
        stage.onResponse(
                new Response(
                        robots,
                        robots.url(),
                        status,
                        Headers.of("Content-Type", "text/plain"),
                        Body.utf8(body),
                        Duration.ofMillis(3)),
                slot);
    }

    @Test
    void onResponse_robotsTxt_isKeptAsFetched_withItsTimeAndTheCrawlDelayAsked() {
        String text = "User-agent: *\nDisallow: /private/\nCrawl-delay: 60\n";

        fetchedOnce(200, text);

        assertThat(kept.records)
                .containsExactly(
                        Map.entry(
                                ORIGIN,
                                new RobotsTxtRecord(
                                        ORIGIN,
                                        ticker.now(),
                                        RobotsTxtRecord.Kind.RULES,
                                        Body.utf8(text),
                                        "text/plain",
                                        Duration.ofSeconds(60))));
    }

    @Test
    void onRequest_nextRun_usesTheKeptRulesWithoutFetching_countedOnce() {
        fetchedOnce(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n");
        ticker.advance(Duration.ofHours(23));
        nextRun();
        slot.crawlDelays.clear();

        StageResult<Request> first = onRequest(ORIGIN + "/page");
        StageResult<Request> forbidden = onRequest(ORIGIN + "/private/x");
        StageResult<Request> second = onRequest(ORIGIN + "/other");

        assertThat(first)
                .isEqualTo(
                        StageResult.next(
                                Request.get(ORIGIN + "/page"), List.of("robotstxt/restored")));
        assertThat(forbidden)
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "forbidden by robots.txt",
                                        List.of("robotstxt/forbidden"))));
        assertThat(second).isEqualTo(StageResult.next(Request.get(ORIGIN + "/other")));
        assertThat(queued).as("no robots.txt fetched").isEmpty();
        assertThat(slot.crawlDelays).containsOnly(Duration.ofSeconds(2));
    }

    @Test
    void onRequest_forbiddenFirstRequestOfTheNextRun_countsTheRestoreToo() {
        fetchedOnce(200, "User-agent: *\nDisallow: /private/\n");
        nextRun();

        assertThat(onRequest(ORIGIN + "/private/x"))
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "forbidden by robots.txt",
                                        List.of("robotstxt/restored", "robotstxt/forbidden"))));
    }

    @Test
    void onRequest_keptRecordOf24HoursAgo_isFetchedAgain() {
        fetchedOnce(200, "User-agent: *\nDisallow: /\n");
        ticker.advance(RobotsTxtRecord.LIFETIME);
        nextRun();

        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.End.class);
        assertThat(queued)
                .singleElement()
                .satisfies(r -> assertThat(r.url()).endsWith("/robots.txt"));
    }

    @Test
    void onRequest_restoredRecord_expiresWhenItsFetchIs24HoursOld_notADayAfterTheRestore() {
        fetchedOnce(200, "User-agent: *\nDisallow: /private/\n");
        ticker.advance(Duration.ofHours(20));
        nextRun();
        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.Next.class);

        ticker.advance(Duration.ofHours(4));

        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.End.class);
        assertThat(queued).hasSize(1);
    }

    @Test
    void onRequest_keptRecordFromAfterNow_theClockWasSetBack_isFetchedAgain() {
        kept.keepRobotsTxt(
                RobotsTxtRecord.allowAll(ORIGIN, ticker.now().plus(Duration.ofMinutes(5))));

        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.End.class);
        assertThat(queued).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 410, 403})
    void onResponse_clientError_isKeptAsAllowAll_andTheNextRunAllowsEverything(int status) {
        fetchedOnce(status, "Disallow: /");
        assertThat(kept.records.get(ORIGIN))
                .isEqualTo(RobotsTxtRecord.allowAll(ORIGIN, ticker.now()));
        nextRun();

        assertThat(onRequest(ORIGIN + "/anything")).isInstanceOf(StageResult.Next.class);
        assertThat(queued).isEmpty();
    }

    @Test
    void failed_robotsTxtLostInItsRedirects_isKeptAsAllowAll() {
        onRequest(ORIGIN + "/page");
        stage.failed(queued.getLast(), new Outcome.Fail("redirect loop", "redirect/loop"));

        assertThat(kept.records.get(ORIGIN))
                .isEqualTo(RobotsTxtRecord.allowAll(ORIGIN, ticker.now()));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 429})
    void onResponse_givingTheOriginUp_isNotKept_theNextRunAsksAgain(int status) {
        fetchedOnce(status, "");
        assertThat(kept.records).isEmpty();
        nextRun();

        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.End.class);
        assertThat(queued).hasSize(1);
    }

    @Test
    void failed_robotsTxtDownload_isNotKept() {
        onRequest(ORIGIN + "/page");
        stage.failed(queued.getLast(), new Outcome.Fail("timeout: no answer", "download/timeout"));

        assertThat(kept.records).isEmpty();
    }

    @Test
    void onRequest_pending_isNotKept() {
        onRequest(ORIGIN + "/page");

        assertThat(store.get(ORIGIN)).isInstanceOf(RobotsStore.Pending.class);
        assertThat(kept.records).isEmpty();
    }

    @Test
    void onRequest_robotsRequestLeftByAKilledRun_whoseFetchWasKept_isNotSentAgain() {
        onRequest(ORIGIN + "/page");
        Request robots = queued.getLast();
        stage.onResponse(
                new Response(
                        robots,
                        robots.url(),
                        200,
                        Headers.of("Content-Type", "text/plain"),
                        Body.utf8("User-agent: *\nDisallow: /private/\n"),
                        Duration.ofMillis(3)),
                slot);
        // killed here: the fetch was kept, the lease never ended, so its request is queued again
        nextRun();

        assertThat(stage.onRequest(robots, slot))
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "robots.txt known already",
                                        List.of("robotstxt/restored"))));
        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.Next.class);
        assertThat(queued).isEmpty();
    }

    @Test
    void onRequest_robotsRequestLeftByAKilledRun_nothingKept_isSent_andTheOriginWaitsForIt() {
        onRequest(ORIGIN + "/page");
        Request robots = queued.getLast();
        nextRun(); // killed while it was pending: nothing kept, its request queued again

        assertThat(stage.onRequest(robots, slot)).isEqualTo(StageResult.next(robots));
        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.End.class);
        assertThat(queued).as("no second robots.txt queued").isEmpty();
    }

    @Test
    void onRequest_knownOrigin_readsNothingKept() {
        fetchedOnce(200, "User-agent: *\nAllow: /\n");
        int reads = kept.reads;

        onRequest(ORIGIN + "/a");
        onRequest(ORIGIN + "/b");

        assertThat(kept.reads).isEqualTo(reads);
    }

    @Test
    void onRequest_nextRunWithAnotherUserAgentAndCap_readsTheKeptFileForThem() {
        fetchedOnce(
                200,
                "User-agent: *\nDisallow: /private/\nCrawl-delay: 4\n\n"
                        + "User-agent: otherbot\nDisallow: /\nCrawl-delay: 30\n");
        nextRun("OtherBot/2.0", Duration.ofSeconds(10));

        assertThat(onRequest(ORIGIN + "/page")).isInstanceOf(StageResult.End.class);
        assertThat(queued).as("no fetch: the kept file is read for otherbot").isEmpty();
        assertThat(stage.applyKeptCrawlDelays()).isEqualTo(1);
        assertThat(kept.floors).containsExactly(Map.entry(ORIGIN, Duration.ofSeconds(10)));
    }

    @Test
    void applyKeptCrawlDelays_givesTheFrontierTheDelaysOfYoungRecords_cappedForThisRun() {
        kept.keepRobotsTxt(record("http://slow.test", "Crawl-delay: 60\n", Duration.ofSeconds(60)));
        kept.keepRobotsTxt(record("http://mild.test", "Crawl-delay: 2\n", Duration.ofSeconds(2)));
        kept.keepRobotsTxt(record("http://none.test", "Disallow:\n", Duration.ZERO));
        ticker.advance(Duration.ofHours(25));
        kept.keepRobotsTxt(record("http://young.test", "Crawl-delay: 3\n", Duration.ofSeconds(3)));
        kept.keepRobotsTxt(record("http://fresh.test", "Crawl-delay: 9\n", Duration.ofSeconds(9)));

        assertThat(stage.applyKeptCrawlDelays()).isEqualTo(2);
        assertThat(kept.floors)
                .as("the old ones are fetched again, and say again what they ask")
                .containsOnly(
                        Map.entry("http://young.test", Duration.ofSeconds(3)),
                        Map.entry("http://fresh.test", MAX_CRAWL_DELAY));
    }

    /**
     * Two workers share the kept records (a Redis frontier), each with a store of its own: the
     * other worker took this one's robots.txt request and kept what it found, so this one's pending
     * origin is read from the kept records at its next request instead of waiting (#11).
     */
    @Test
    void onRequest_pendingOrigin_whoseRobotsTxtAnotherWorkerKept_usesItAtOnce() {
        assertThat(onRequest(ORIGIN + "/page"))
                .isInstanceOfSatisfying(
                        StageResult.End.class,
                        end -> assertThat(end.outcome()).isInstanceOf(Outcome.Wait.class));
        Request robots = queued.getLast();
        RobotsStage other =
                new RobotsStage(
                        new CachedRobotsStore(ticker::nanos),
                        kept,
                        "Arachne/0.1",
                        MAX_CRAWL_DELAY,
                        queued::add,
                        ticker);
        other.onResponse(
                new Response(
                        robots,
                        robots.url(),
                        200,
                        Headers.of("Content-Type", "text/plain"),
                        Body.utf8("User-agent: *\nDisallow: /private/\n"),
                        Duration.ofMillis(3)),
                slot);

        assertThat(onRequest(ORIGIN + "/page"))
                .isEqualTo(
                        StageResult.next(
                                Request.get(ORIGIN + "/page"), List.of("robotstxt/restored")));
        assertThat(onRequest(ORIGIN + "/private/x"))
                .isInstanceOfSatisfying(
                        StageResult.End.class,
                        end -> assertThat(end.outcome()).isInstanceOf(Outcome.Drop.class));
        assertThat(queued).as("no second robots.txt request").hasSize(1);
    }

    @Test
    void applyKeptCrawlDelays_withoutAKeptStore_doesNothing() {
        RobotsStage alone =
                new RobotsStage(store, null, "Arachne/0.1", MAX_CRAWL_DELAY, queued::add, ticker);

        assertThat(alone.applyKeptCrawlDelays()).isZero();
    }

    private RobotsTxtRecord record(String origin, String text, Duration crawlDelay) {
        return new RobotsTxtRecord(
                origin,
                ticker.now(),
                RobotsTxtRecord.Kind.RULES,
                Body.utf8("User-agent: *\n" + text),
                null,
                crawlDelay);
    }
}
