package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.CrawlOrder;
import org.arachne.frontier.Ending;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.Opening;
import org.arachne.frontier.RobotsTxtRecord;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotOverride;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Redis frontier adds to the contract: several frontiers (workers) on one crawl share its
 * slots' permits and delays, its leases and its seen set. The frontiers here share one {@code
 * ManualTicker} as the crawl's clock, as workers share the server's.
 */
@Timeout(30)
class RedisFrontierTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static RedisClient client;

    private final ManualTicker ticker = new ManualTicker();
    private final List<RedisFrontier> opened = new ArrayList<>();

    @BeforeAll
    static void connect() {
        client = RedisFrontier.newClient();
    }

    @AfterAll
    static void disconnect() {
        RedisFrontier.shutdown(client);
    }

    @BeforeEach
    void emptyServer() {
        REDIS.flushAll();
    }

    @AfterEach
    void closeFrontiers() {
        opened.forEach(RedisFrontier::close);
    }

    private FrontierSetup setup(Map<String, SlotOverride> slots) {
        SlotRules rules =
                new SlotRules(8, 0, Duration.ZERO, false, slots, UnaryOperator.identity());
        Throttle throttle =
                new Throttle(
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                        null,
                        new Random(7));
        return FrontierSetup.of(rules, throttle, ticker).withCrawl("books");
    }

    private RedisFrontier worker(FrontierSetup setup, String name) {
        RedisFrontier f =
                RedisFrontier.open(
                        client,
                        REDIS.uri(),
                        setup,
                        RedisFrontierOptions.defaults()
                                .withClock(RedisFrontierOptions.Clock.TICKER)
                                .withWorker(name));
        opened.add(f);
        return f;
    }

    private static List<Request> gets(String... urls) {
        return java.util.Arrays.stream(urls).map(Request::get).toList();
    }

    private static Ending done(RedisFrontier f, Lease lease) {
        return f.done(lease, List.of(), List.of(), SlotSignals.NONE);
    }

    @Test
    void twoWorkers_shareTheSlotsPermits_concurrencyOneHoldsAcrossBoth() throws Exception {
        FrontierSetup setup = setup(Map.of("a.test", new SlotOverride(1, null, null)));
        RedisFrontier one = worker(setup, "one");
        RedisFrontier two = worker(setup, "two");
        one.add(gets("http://a.test/1", "http://a.test/2", "http://b.test/1"));

        Lease first = one.take(Duration.ZERO);
        assertThat(first.slot()).isEqualTo("a.test");
        Lease other = two.take(Duration.ZERO);
        assertThat(other.request().url())
                .as("a.test's only permit is out, to the other worker")
                .isEqualTo("http://b.test/1");
        assertThat(two.take(Duration.ZERO)).isNull();
        assertThat(one.take(Duration.ZERO)).isNull();

        done(one, first);
        assertThat(two.take(Duration.ZERO).request().url()).isEqualTo("http://a.test/2");
    }

    /**
     * Two readers of the crawl's stream (a misuse: one reader per stream): the one that finds the
     * batches it has not given acknowledged and trimmed by the other goes on after them, rather
     * than asking for them for ever (its feed writer drained while it counted them ready).
     */
    @Test
    void streamReader_whoseBatchesAnotherReaderTrimmed_goesOnAfterThem() throws Exception {
        FrontierSetup setup = setup(Map.of());
        RedisFrontier producer = worker(setup, "producer");
        RedisFrontier slow = worker(setup, "slow");
        RedisFrontier fast = worker(setup, "fast");
        producer.add(gets("http://a.test/1", "http://a.test/2"));
        for (int i = 0; i < 2; i++) {
            Lease lease = producer.take(Duration.ZERO);
            producer.done(lease, List.of(), List.of(Item.of("n", i)), SlotSignals.NONE);
        }
        // a poll that waits looks at the stream for batches other workers committed
        List<CommittedItems> read = fast.outbox().poll(10, Duration.ofMillis(500));
        assertThat(read).hasSize(2);
        fast.outbox().acknowledge(read.getLast().sequence(), Map.of());

        assertThat(slow.outbox().poll(10, Duration.ofMillis(500))).isEmpty();
        assertThat(slow.outbox().ready()).as("nothing left to give").isZero();
    }

    @Test
    void twoWorkers_shareTheSlotsDelay() throws Exception {
        FrontierSetup setup =
                setup(Map.of("a.test", new SlotOverride(null, Duration.ofSeconds(2), false)));
        RedisFrontier one = worker(setup, "one");
        RedisFrontier two = worker(setup, "two");
        one.add(gets("http://a.test/1", "http://a.test/2"));

        done(one, one.take(Duration.ZERO));
        ticker.advance(Duration.ofMillis(1999));
        assertThat(two.take(Duration.ZERO)).as("2 s after the other worker's start").isNull();
        ticker.advance(Duration.ofMillis(1));
        assertThat(two.take(Duration.ZERO).request().url()).isEqualTo("http://a.test/2");
    }

    /**
     * Both workers' leases of one slot fail to connect: the second ending finds the slot changed
     * since its take (the first error), computes its state again from the slot's current one, and
     * so the streak is two errors, not one.
     */
    @Test
    void twoWorkers_errorStreak_countsBothErrors_thoughTheSlotChangedUnderTheSecond()
            throws Exception {
        FrontierSetup setup = setup(Map.of("a.test", new SlotOverride(2, null, null)));
        RedisFrontier one = worker(setup, "one");
        RedisFrontier two = worker(setup, "two");
        one.add(gets("http://a.test/1", "http://a.test/2", "http://a.test/3"));
        Lease first = one.take(Duration.ZERO);
        Lease second = two.take(Duration.ZERO);

        one.retry(
                first, first.request(), Duration.ZERO, "connect", SlotSignals.connectionFailure());
        two.retry(
                second,
                second.request(),
                Duration.ZERO,
                "connect",
                SlotSignals.connectionFailure());

        assertThat(two.stats()).containsEntry("redis/state_conflicts", 1L);
        ticker.advance(Duration.ofMillis(999));
        assertThat(one.take(Duration.ZERO))
                .as("two errors in a row: at least 2 s x 0.5 after the starts")
                .isNull();
        ticker.advance(Duration.ofSeconds(2));
        assertThat(one.take(Duration.ZERO)).isNotNull();
    }

    /** On the server's clock (the default), deadlines are Redis's time plus the lease's length. */
    @Test
    void serverClock_deadlinesAndDelaysRunOnRedisTime() throws Exception {
        FrontierSetup setup =
                setup(Map.of("a.test", new SlotOverride(null, Duration.ofMinutes(1), false)));
        RedisFrontier f =
                RedisFrontier.open(client, REDIS.uri(), setup, RedisFrontierOptions.defaults());
        opened.add(f);
        f.add(gets("http://a.test/1", "http://a.test/2"));
        java.time.Instant before = java.time.Instant.now();
        Lease lease = f.take(Duration.ZERO);
        java.time.Instant after = java.time.Instant.now();

        // the server runs on this machine: its clock is this one's
        assertThat(lease.deadline())
                .isBetween(
                        before.plus(FrontierSetup.DEFAULT_LEASE_DURATION).minusSeconds(1),
                        after.plus(FrontierSetup.DEFAULT_LEASE_DURATION).plusSeconds(1));
        ticker.advance(Duration.ofHours(1)); // the ticker is not the crawl's clock here
        done(f, lease);
        assertThat(f.take(Duration.ZERO)).as("a minute on Redis's clock").isNull();
    }

    @Test
    void leaseNotRenewed_expires_andItsRequestIsTakenByTheOtherWorker() throws Exception {
        FrontierSetup setup = setup(Map.of()).withLeaseDuration(Duration.ofSeconds(10));
        RedisFrontier dying = worker(setup, "dying");
        RedisFrontier living = worker(setup, "living");
        dying.add(gets("http://a.test/"));
        Lease lost = dying.take(Duration.ZERO);
        ticker.advance(Duration.ofSeconds(5));
        assertThat(living.take(Duration.ZERO)).as("still leased").isNull();

        ticker.advance(Duration.ofSeconds(5));
        Lease again = living.take(Duration.ZERO);

        assertThat(again).isNotNull();
        assertThat(again.request()).isEqualTo(lost.request());
        assertThat(again.token()).isNotEqualTo(lost.token());
        assertThat(living.stats()).containsEntry("frontier/leases_expired", 1L);
        assertThat(done(living, again).accepted()).isTrue();
        assertThat(living.isFinished()).isTrue();
    }

    @Test
    void lateDone_ofAnExpiredLease_isLeaseLost_andStoresNothing() throws Exception {
        FrontierSetup setup = setup(Map.of()).withLeaseDuration(Duration.ofSeconds(10));
        RedisFrontier dying = worker(setup, "dying");
        RedisFrontier living = worker(setup, "living");
        dying.add(gets("http://a.test/"));
        Lease lost = dying.take(Duration.ZERO);
        ticker.advance(Duration.ofSeconds(10));
        Lease again = living.take(Duration.ZERO);

        Ending late =
                dying.done(
                        lost,
                        gets("http://a.test/produced-late"),
                        List.of(Item.of("n", 1)),
                        SlotSignals.NONE);

        assertThat(late).isEqualTo(Ending.LEASE_LOST);
        assertThat(dying.renew(lost)).isNull();
        assertThat(living.outbox().pending()).as("no item stored").isZero();
        assertThat(living.queuedCount()).as("no produced request queued").isZero();
        assertThat(living.add(gets("http://a.test/produced-late")))
                .as("nor recorded as seen")
                .isEqualTo(1);
        living.done(again, List.of(), List.of(Item.of("n", 2)), SlotSignals.NONE);
        List<CommittedItems> items = living.outbox().poll(10, Duration.ZERO);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).items()).containsExactly(Item.of("n", 2));
    }

    @Test
    void opening_isFreshForTheFirstWorkerOnly_andSeedingTwiceQueuesOnce() throws Exception {
        FrontierSetup setup = setup(Map.of());
        RedisFrontier first = worker(setup, "first");
        RedisFrontier second = worker(setup, "second");
        assertThat(first.opening()).isEqualTo(Opening.FRESH);
        assertThat(second.opening()).isEqualTo(Opening.RESUMED);

        List<Request> seeds =
                List.of(
                        Request.get("http://a.test/1").withDontFilter(true),
                        Request.get("http://a.test/2"));
        assertThat(first.add(seeds)).isEqualTo(2);
        // a resumed engine adds its start requests again without dontFilter
        assertThat(second.add(seeds.stream().map(r -> r.withDontFilter(false)).toList())).isZero();
        assertThat(second.queuedCount()).isEqualTo(2);
    }

    @Test
    void opening_withAnotherCrawlOrder_isRefused() {
        worker(setup(Map.of()), "bfs");
        assertThatThrownBy(() -> worker(setup(Map.of()).withOrder(CrawlOrder.DFS), "dfs"))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining("crawl 'books'")
                .hasMessageContaining("crawl_order bfs")
                .satisfies(
                        e ->
                                assertThat(((FrontierException) e).kind())
                                        .isEqualTo(FrontierException.Kind.REFUSED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a}b", "a:b", "a{b", "", "two words", "crawl\n", "ünï"})
    void crawlName_thatCouldEscapeItsKeyPrefix_isRefused_namingIt(String name) {
        assertThatThrownBy(() -> worker(setup(Map.of()).withCrawl(name), "w"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crawl name '" + name + "'");
    }

    @Test
    void crawlName_ofLettersDigitsDotsDashesAndUnderscores_isTaken() {
        assertThat(worker(setup(Map.of()).withCrawl("Books-2026.v1_x"), "w").opening())
                .isEqualTo(Opening.FRESH);
        assertThatThrownBy(() -> worker(setup(Map.of()).withCrawl("x".repeat(101)), "w"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** What one worker's robots.txt fetch found is read by another for what is left of its day. */
    @Test
    void robotsTxt_keptByOneWorker_isReadByAnother_untilItsDayIsOver() throws Exception {
        RedisFrontier one = worker(setup(Map.of()), "one");
        RedisFrontier two = worker(setup(Map.of()), "two");
        RobotsTxtRecord rules =
                new RobotsTxtRecord(
                        "http://a.test:8080",
                        ticker.now(),
                        RobotsTxtRecord.Kind.RULES,
                        Body.utf8("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n"),
                        "text/plain; charset=utf-8",
                        Duration.ofSeconds(2));
        RobotsTxtRecord allowAll = RobotsTxtRecord.allowAll("http://b.test", ticker.now());

        one.keepRobotsTxt(rules);
        one.keepRobotsTxt(allowAll);
        one.keepRobotsTxt(
                RobotsTxtRecord.allowAll(
                        "http://old.test", ticker.now().minus(Duration.ofDays(2))));

        assertThat(two.robotsTxt("http://a.test:8080")).isEqualTo(rules);
        assertThat(two.robotsTxt("http://b.test")).isEqualTo(allowAll);
        assertThat(two.robotsTxt("http://old.test")).as("its day was over").isNull();
        assertThat(two.robotsTxt("http://c.test")).isNull();
        assertThat(two.robotsTxtWithCrawlDelay()).isEmpty();
    }

    /**
     * The round trips of one page: a take and a done (a started too when the slot has a delay); the
     * feed writer takes this worker's own items without one. Counted, not timed.
     */
    @Test
    void onePage_costsATakeAndADone_andTheItemsNoMore() throws Exception {
        RedisFrontier f = worker(setup(Map.of()), "w");
        f.add(gets("http://a.test/0"));
        long before = f.roundTrips();
        int pages = 50;
        for (int i = 0; i < pages; i++) {
            Lease lease = f.take(Duration.ZERO);
            f.started(lease);
            f.done(
                    lease,
                    gets("http://a.test/" + (i + 1), "http://a.test/0"),
                    List.of(Item.of("page", i)),
                    SlotSignals.response(Duration.ofMillis(5), 200));
            List<CommittedItems> batches = f.outbox().poll(64, Duration.ZERO);
            f.outbox().acknowledge(batches.getLast().sequence(), Map.of());
        }
        long perPage = (f.roundTrips() - before - pages) / pages; // less the acknowledgements
        assertThat(perPage).isEqualTo(2);
    }
}
