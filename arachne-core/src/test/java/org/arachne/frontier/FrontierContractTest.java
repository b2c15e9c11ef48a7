package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotOverride;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The definition of the {@link Frontier} contract: every frontier (memory, SQLite, Redis) passes it
 * by implementing {@link #open}. Time is a {@link ManualTicker} moved by the tests; the only real
 * waits are the ones that check that a blocked {@code take} is woken.
 */
@Timeout(30)
public abstract class FrontierContractTest {
    protected final ManualTicker ticker = new ManualTicker();
    private final List<Frontier> opened = new ArrayList<>();

    /** Opens a new, empty frontier of the kind under test. */
    protected abstract Frontier open(FrontierSetup setup);

    /**
     * Whether the frontier under test remembers fetched pages for recrawls (a durable one); one
     * that does not ignores the pages of {@code done} and queues none again.
     */
    protected boolean keepsPages() {
        return false;
    }

    @AfterEach
    void closeFrontiers() {
        opened.forEach(Frontier::close);
    }

    /** Slots per host, eight leases each, no delay, except the slots given their own rules. */
    protected FrontierSetup setup(Map<String, SlotOverride> slots) {
        SlotRules rules =
                new SlotRules(8, 0, Duration.ZERO, false, slots, UnaryOperator.identity());
        Throttle throttle =
                new Throttle(
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                        null,
                        new Random(7));
        return FrontierSetup.of(rules, throttle, ticker).withCrawl("contract");
    }

    private Frontier frontier(FrontierSetup setup) {
        Frontier f = open(setup);
        opened.add(f);
        return f;
    }

    private Frontier frontier() {
        return frontier(setup(Map.of()));
    }

    private Frontier frontier(String slot, SlotOverride rule) {
        return frontier(setup(Map.of(slot, rule)));
    }

    private static @Nullable Lease take(Frontier f) throws InterruptedException {
        return f.take(Duration.ZERO);
    }

    private static String takeUrl(Frontier f) throws InterruptedException {
        Lease lease = take(f);
        assertThat(lease).as("a lease is ready").isNotNull();
        return lease.request().url();
    }

    private static Ending done(Frontier f, Lease lease) {
        return f.done(lease, List.of(), List.of(), SlotSignals.NONE);
    }

    private static List<Request> gets(String... urls) {
        return java.util.Arrays.stream(urls).map(Request::get).toList();
    }

    // ordering and deduplication

    @Test
    void opening_ofANewFrontier_isFresh() {
        assertThat(frontier().opening()).isEqualTo(Opening.FRESH);
    }

    @Test
    void take_emptyFrontier_isFinishedAndReturnsNull() throws Exception {
        Frontier f = frontier();
        assertThat(f.isFinished()).isTrue();
        assertThat(take(f)).isNull();
    }

    @Test
    void take_keepsTheCallbackAndTheErrbackNames() throws Exception {
        Frontier f = frontier();
        Request request = Request.get("http://a.test/1", "parseBook").withErrback("onError");
        f.add(List.of(request));

        Lease lease = take(f);

        assertThat(lease).isNotNull();
        assertThat(lease.request().callback()).isEqualTo("parseBook");
        assertThat(lease.request().errback()).isEqualTo("onError");
    }

    @Test
    void take_higherPriorityFirst_thenFifoInBfs() throws Exception {
        Frontier f = frontier();
        f.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2"),
                        Request.get("http://a.test/urgent").withPriority(5)));
        assertThat(takeUrl(f)).isEqualTo("http://a.test/urgent");
        assertThat(takeUrl(f)).isEqualTo("http://a.test/1");
        assertThat(takeUrl(f)).isEqualTo("http://a.test/2");
    }

    @Test
    void take_dfs_takesDeepestNewestFirst() throws Exception {
        Frontier f = frontier(setup(Map.of()).withOrder(CrawlOrder.DFS));
        f.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2"),
                        Request.get("http://a.test/deep").withDepth(3)));
        assertThat(takeUrl(f)).isEqualTo("http://a.test/deep");
        assertThat(takeUrl(f)).isEqualTo("http://a.test/2");
        assertThat(takeUrl(f)).isEqualTo("http://a.test/1");
    }

    @Test
    void take_bfs_takesShallowerFirstAcrossSlots() throws Exception {
        Frontier f = frontier();
        f.add(
                List.of(
                        Request.get("http://a.test/deep").withDepth(2),
                        Request.get("http://b.test/shallow").withDepth(1),
                        Request.get("http://c.test/high").withDepth(5).withPriority(1)));
        assertThat(takeUrl(f)).isEqualTo("http://c.test/high");
        assertThat(takeUrl(f)).isEqualTo("http://b.test/shallow");
        assertThat(takeUrl(f)).isEqualTo("http://a.test/deep");
    }

    @Test
    void add_dropsDuplicatesByCanonicalUrl_unlessDontFilter() {
        Frontier f = frontier();
        int added =
                f.add(
                        List.of(
                                Request.get("http://a.test/p?b=2&a=1"),
                                Request.get("http://A.test:80/p?a=1&b=2#frag"),
                                Request.get("http://a.test/p?a=1&b=2").withDontFilter(true),
                                Request.get("http://a.test/other")));
        assertThat(added).isEqualTo(3);
        assertThat(f.queuedCount()).isEqualTo(3);
    }

    @Test
    void add_withoutDedup_keepsEveryRequest() {
        Frontier f = frontier(setup(Map.of()).withDedup(null));
        assertThat(f.add(gets("http://a.test/", "http://a.test/"))).isEqualTo(2);
    }

    @Test
    void done_queuesOnlyTheProducedRequestsNotSeenBefore() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/"));
        Lease lease = take(f);
        Ending ending =
                f.done(
                        lease,
                        gets("http://a.test/", "http://a.test/next", "http://a.test/next"),
                        List.of(),
                        SlotSignals.NONE);
        assertThat(ending).isEqualTo(Ending.accepted(1));
        assertThat(takeUrl(f)).isEqualTo("http://a.test/next");
        assertThat(take(f)).isNull();
    }

    // permits and gaps, with the clock moved by hand

    @Test
    void take_fullSlot_doesNotBlockOtherSlots() throws Exception {
        Frontier f = frontier("slow.test", new SlotOverride(1, null, null));
        f.add(
                List.of(
                        Request.get("http://slow.test/1").withPriority(9),
                        Request.get("http://slow.test/2").withPriority(9),
                        Request.get("http://fast.test/1")));
        Lease first = take(f);
        assertThat(first.slot()).isEqualTo("slow.test");
        assertThat(takeUrl(f)).isEqualTo("http://fast.test/1");
        assertThat(take(f)).as("slow.test is at its limit").isNull();
        done(f, first);
        assertThat(takeUrl(f)).isEqualTo("http://slow.test/2");
    }

    @Test
    void take_keepsTheSlotsDelayBetweenStarts() throws Exception {
        Frontier f = frontier("a.test", new SlotOverride(null, Duration.ofSeconds(2), false));
        f.add(gets("http://a.test/1", "http://a.test/2", "http://b.test/1"));
        Lease a1 = take(f);
        assertThat(a1.request().url()).isEqualTo("http://a.test/1");
        done(f, a1);
        assertThat(takeUrl(f))
                .as("a.test waits its delay; b.test is ready")
                .isEqualTo("http://b.test/1");
        ticker.advance(Duration.ofMillis(1999));
        assertThat(take(f)).isNull();
        ticker.advance(Duration.ofMillis(1));
        assertThat(takeUrl(f)).isEqualTo("http://a.test/2");
    }

    @Test
    void randomisedDelay_staysBetweenHalfAndOneAndAHalfTimesTheDelay() throws Exception {
        Frontier f = frontier("a.test", new SlotOverride(1, Duration.ofSeconds(1), true));
        for (int i = 0; i <= 30; i++) {
            f.add(gets("http://a.test/" + i));
        }
        java.util.Set<Long> gaps = new java.util.HashSet<>();
        Lease lease = take(f);
        for (int i = 0; i < 30; i++) {
            done(f, lease);
            long waited = 0;
            Lease next = null;
            while (next == null && waited <= 2000) {
                ticker.advance(Duration.ofMillis(10));
                waited += 10;
                next = take(f);
            }
            assertThat(waited).as("gap before start %d", i + 1).isBetween(500L, 1510L);
            gaps.add(waited);
            lease = next;
        }
        assertThat(gaps.size()).as("the gaps vary").isGreaterThan(5);
    }

    @Test
    void started_spacesTheNextStartFromTheSend_notFromTheTake() throws Exception {
        Frontier f = frontier("a.test", new SlotOverride(null, Duration.ofSeconds(2), false));
        f.add(gets("http://a.test/1", "http://a.test/2"));
        Lease first = take(f);
        ticker.advance(Duration.ofMillis(300)); // the lease's thread got to send late
        f.started(first);
        ticker.advance(Duration.ofMillis(1700));
        assertThat(take(f)).as("2 s after the take, 1.7 s after the send").isNull();
        ticker.advance(Duration.ofMillis(300));
        assertThat(takeUrl(f)).isEqualTo("http://a.test/2");
    }

    @Test
    void crawlDelaySignal_isAFloorFromTheLeasesStart_forTheWholeSlot() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/1", "http://a.test/2", "http://a.test/3"));
        Lease first = take(f);
        ticker.advance(Duration.ofMillis(500));
        f.done(
                first,
                List.of(),
                List.of(),
                SlotSignals.response(Duration.ofMillis(500), 200)
                        .withCrawlDelay(Duration.ofSeconds(3)));
        ticker.advance(Duration.ofMillis(2499));
        assertThat(take(f)).as("3 s from the first start").isNull();
        ticker.advance(Duration.ofMillis(1));
        Lease second = take(f);
        assertThat(second.request().url()).isEqualTo("http://a.test/2");
        ticker.advance(Duration.ofMillis(2999));
        assertThat(take(f)).as("the floor stays: 3 s between every two starts").isNull();
        ticker.advance(Duration.ofMillis(1));
        assertThat(takeUrl(f)).isEqualTo("http://a.test/3");
    }

    @Test
    void pauseSignal_holdsTheWholeSlot_notOthers() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/1", "http://a.test/2", "http://b.test/1"));
        Lease first = take(f);
        f.retry(
                first,
                first.request(),
                Duration.ofSeconds(5),
                "HTTP 429",
                SlotSignals.response(Duration.ofMillis(3), 429).withPause(Duration.ofSeconds(5)));
        assertThat(takeUrl(f)).isEqualTo("http://b.test/1");
        ticker.advance(Duration.ofMillis(4999));
        assertThat(take(f)).as("a.test is paused").isNull();
        ticker.advance(Duration.ofMillis(1));
        assertThat(take(f)).isNotNull();
    }

    @Test
    void connectionErrors_backOffTheSlot_untilAResponseComes() throws Exception {
        Frontier f = frontier();
        for (int i = 0; i < 6; i++) {
            f.add(gets("http://a.test/" + i));
        }
        Lease lease = take(f);
        f.retry(lease, lease.request(), Duration.ZERO, "connect", SlotSignals.connectionFailure());
        assertThat(take(f)).as("1 s × 0.5–1.5 after the failed start").isNull();
        ticker.advance(Duration.ofMillis(1500));
        lease = take(f);
        assertThat(lease).isNotNull();
        f.retry(lease, lease.request(), Duration.ZERO, "connect", SlotSignals.connectionFailure());
        ticker.advance(Duration.ofMillis(999));
        assertThat(take(f)).as("second error in a row: at least 2 × 0.5 s").isNull();
        ticker.advance(Duration.ofMillis(2001));
        lease = take(f);
        assertThat(lease).isNotNull();
        f.done(lease, List.of(), List.of(), SlotSignals.response(Duration.ofMillis(2), 200));
        ticker.advance(Duration.ofMillis(3001)); // the gap drawn at the last start
        Lease afterSuccess = take(f);
        assertThat(afterSuccess).isNotNull();
        done(f, afterSuccess);
        assertThat(take(f)).as("a response ended the backoff").isNotNull();
    }

    // leases

    @Test
    void endingALeaseTwice_isLeaseLost_andChangesNothing() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/", "http://a.test/2"));
        Lease lease = take(f);
        assertThat(f.fail(lease, "boom", SlotSignals.NONE).accepted()).isTrue();
        assertThat(
                        f.done(
                                lease,
                                gets("http://a.test/new"),
                                List.of(Item.of("n", 1)),
                                SlotSignals.NONE))
                .isEqualTo(Ending.LEASE_LOST);
        assertThat(f.retry(lease, lease.request(), Duration.ZERO, "again", SlotSignals.NONE))
                .isEqualTo(Ending.LEASE_LOST);
        assertThat(f.outbox().pending()).isZero();
        assertThat(f.queuedCount()).as("only a.test/2").isEqualTo(1);
        assertThat(f.leasedCount()).isZero();
    }

    @Test
    void leaseNotRenewedByItsDeadline_isQueuedAgain_andItsLateEndingIsRefused() throws Exception {
        Frontier f = frontier(setup(Map.of()).withLeaseDuration(Duration.ofSeconds(10)));
        f.add(gets("http://a.test/"));
        Lease lease = take(f);
        assertThat(lease.deadline()).isEqualTo(ticker.now().plusSeconds(10));
        ticker.advance(Duration.ofSeconds(10));
        Lease again = take(f);
        assertThat(again).as("the expired lease's request is leased again").isNotNull();
        assertThat(again.request()).isEqualTo(lease.request());
        assertThat(again.token()).isNotEqualTo(lease.token());
        assertThat(f.done(lease, List.of(), List.of(Item.of("n", 1)), SlotSignals.NONE))
                .isEqualTo(Ending.LEASE_LOST);
        assertThat(f.renew(lease)).isNull();
        assertThat(f.done(again, List.of(), List.of(Item.of("n", 2)), SlotSignals.NONE).accepted())
                .isTrue();
        List<CommittedItems> items = f.outbox().poll(10, Duration.ZERO);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).items()).containsExactly(Item.of("n", 2));
        assertThat(f.isFinished()).isTrue();
    }

    @Test
    void renew_movesTheDeadline_soTheLeaseOutlivesItsFirstDeadline() throws Exception {
        Frontier f = frontier(setup(Map.of()).withLeaseDuration(Duration.ofSeconds(10)));
        f.add(gets("http://a.test/"));
        Lease lease = take(f);
        ticker.advance(Duration.ofSeconds(8));
        Lease renewed = f.renew(lease);
        assertThat(renewed).isNotNull();
        assertThat(renewed.deadline()).isEqualTo(ticker.now().plusSeconds(10));
        ticker.advance(Duration.ofSeconds(8));
        assertThat(take(f)).as("still leased, not expired").isNull();
        assertThat(f.leasedCount()).isEqualTo(1);
        assertThat(done(f, renewed).accepted()).isTrue();
        assertThat(f.isFinished()).isTrue();
    }

    @Test
    void retry_queuesAgainAfterItsDelay_bypassingDedup() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/1"));
        Lease lease = take(f);
        f.retry(
                lease,
                lease.request().withMeta("retry_times", 1),
                Duration.ofSeconds(3),
                "503",
                SlotSignals.NONE);
        assertThat(f.isFinished()).isFalse();
        assertThat(f.queuedCount()).isEqualTo(1);
        assertThat(take(f)).isNull();
        ticker.advance(Duration.ofSeconds(3));
        Lease again = take(f);
        assertThat(again.request().meta("retry_times")).isEqualTo(1);
    }

    @Test
    void fail_endsTheRequestForGood() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/1"));
        Lease lease = take(f);
        assertThat(f.fail(lease, "gave up", SlotSignals.NONE).accepted()).isTrue();
        assertThat(f.isFinished()).isTrue();
        ticker.advance(Duration.ofMinutes(5));
        assertThat(take(f)).isNull();
    }

    // the item outbox

    @Test
    void done_commitsItsItemsToTheOutbox_inCommitOrder_untilAcknowledged() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/1", "http://b.test/1"));
        Lease a = take(f);
        Lease b = take(f);
        f.done(b, List.of(), List.of(Item.of("n", 1), Item.of("n", 2)), SlotSignals.NONE);
        f.done(a, List.of(), List.of(Item.of("n", 3)), SlotSignals.NONE);
        assertThat(f.outbox().ready()).isEqualTo(2);
        List<CommittedItems> batches = f.outbox().poll(10, Duration.ZERO);
        assertThat(batches)
                .extracting(c -> c.source().url())
                .containsExactly("http://b.test/1", "http://a.test/1");
        assertThat(batches.get(0).items()).containsExactly(Item.of("n", 1), Item.of("n", 2));
        assertThat(batches.get(0).sequence()).isLessThan(batches.get(1).sequence());
        assertThat(f.outbox().ready()).isZero();
        assertThat(f.outbox().pending()).as("taken, not acknowledged").isEqualTo(2);
        f.outbox().acknowledge(batches.get(0).sequence());
        assertThat(f.outbox().pending()).isEqualTo(1);
        f.outbox().acknowledge(batches.get(1).sequence());
        assertThat(f.outbox().pending()).isZero();
        assertThat(f.outbox().poll(10, Duration.ZERO)).isEmpty();
    }

    @Test
    void done_withoutItems_commitsNothingToTheOutbox() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/1"));
        done(f, take(f));
        assertThat(f.outbox().pending()).isZero();
    }

    // finishing and waking

    @Test
    void isFinished_onlyWhenNothingIsQueuedAndNoLeaseIsOut() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/"));
        assertThat(f.isFinished()).isFalse();
        Lease lease = take(f);
        assertThat(f.isFinished()).as("a lease is out").isFalse();
        f.done(lease, gets("http://a.test/next"), List.of(), SlotSignals.NONE);
        assertThat(f.isFinished()).isFalse();
        done(f, take(f));
        assertThat(f.isFinished()).isTrue();
        assertThat(f.queuedCount()).isZero();
        assertThat(f.leasedCount()).isZero();
    }

    @Test
    void awaitFinished_returnsWhenTheLastLeaseEnds() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/"));
        Lease lease = take(f);
        Thread.ofVirtual().start(() -> done(f, lease));
        assertThat(f.awaitFinished(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void wakeUp_makesAWaitingTakeReturnAtOnce() throws Exception {
        Frontier f = frontier("a.test", new SlotOverride(null, Duration.ofMinutes(10), false));
        f.add(gets("http://a.test/1", "http://a.test/2"));
        done(f, take(f)); // a.test now waits ten minutes
        CompletableFuture<@Nullable Lease> waiting = new CompletableFuture<>();
        Thread taker =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        waiting.complete(f.take(Duration.ofMinutes(10)));
                                    } catch (Throwable e) {
                                        waiting.completeExceptionally(e);
                                    }
                                });
        while (taker.getState() != Thread.State.WAITING
                && taker.getState() != Thread.State.TIMED_WAITING
                && !waiting.isDone()) {
            Thread.onSpinWait();
        }
        f.wakeUp();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(f.queuedCount()).as("nothing was taken").isEqualTo(1);
    }

    @Test
    void take_waitingForAFullSlot_returnsTheLeaseWhenAnotherEnds() throws Exception {
        Frontier f = frontier("a.test", new SlotOverride(1, null, null));
        f.add(gets("http://a.test/1", "http://a.test/2"));
        Lease first = take(f);
        CompletableFuture<@Nullable Lease> waiting = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(
                        () -> {
                            try {
                                waiting.complete(f.take(Duration.ofMinutes(10)));
                            } catch (Throwable e) {
                                waiting.completeExceptionally(e);
                            }
                        });
        done(f, first);
        Lease second = waiting.get(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second.request().url()).isEqualTo("http://a.test/2");
    }

    // the pages a durable frontier remembers for recrawls

    private static FetchedPage page(Lease lease, String etag, String body) {
        return new FetchedPage(
                lease.request(), etag, "Wed, 01 Jan 2025 12:00:00 GMT", Body.utf8(body));
    }

    @Test
    void done_withAFetchedPage_endsTheLeaseAsDone() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/"));
        Lease lease = take(f);
        Ending ending =
                f.done(
                        lease,
                        gets("http://a.test/next"),
                        List.of(),
                        SlotSignals.NONE,
                        page(lease, "\"v1\"", "<html>v1</html>"));
        assertThat(ending).isEqualTo(Ending.accepted(1));
        assertThat(f.done(lease, List.of(), List.of(), SlotSignals.NONE, null))
                .isEqualTo(Ending.LEASE_LOST);
        assertThat(takeUrl(f)).isEqualTo("http://a.test/next");
    }

    @Test
    void requeueFetchedBefore_queuesThePagesFetchedBefore_withTheirRecord() throws Exception {
        Frontier f = frontier();
        f.add(gets("http://a.test/old", "http://a.test/new"));
        Lease old = take(f);
        Instant oldFetched = ticker.now();
        f.done(old, List.of(), List.of(), SlotSignals.NONE, page(old, "\"v1\"", "old"));
        ticker.advance(Duration.ofDays(2));
        Lease recent = take(f);
        f.done(recent, List.of(), List.of(), SlotSignals.NONE, page(recent, null, "new"));
        assertThat(f.isFinished()).isTrue();

        int queued = f.requeueFetchedBefore(ticker.now().minus(Duration.ofDays(1)));

        if (!keepsPages()) {
            assertThat(queued).isZero();
            assertThat(f.isFinished()).isTrue();
            return;
        }
        assertThat(queued).isEqualTo(1);
        Lease again = take(f);
        assertThat(again.request().url()).isEqualTo("http://a.test/old");
        assertThat(PageRecord.of(again.request()))
                .isEqualTo(
                        new PageRecord(
                                oldFetched,
                                "\"v1\"",
                                "Wed, 01 Jan 2025 12:00:00 GMT",
                                FetchedPage.contentHash(Body.utf8("old"))));
        assertThat(take(f)).isNull();
    }

    @Test
    void requeueFetchedBefore_aRevalidatedPage_keepsItsHashAndTheValidatorsNotSentAgain()
            throws Exception {
        assumeTrue(keepsPages(), "a frontier that keeps no pages queues none again");
        Frontier f = frontier();
        f.add(gets("http://a.test/p"));
        Lease first = take(f);
        f.done(first, List.of(), List.of(), SlotSignals.NONE, page(first, "\"v1\"", "body"));
        ticker.advance(Duration.ofDays(2));
        assertThat(f.requeueFetchedBefore(ticker.now())).isEqualTo(1);
        Lease recrawl = take(f);
        Instant revalidatedAt = ticker.now();
        FetchedPage notModified =
                new FetchedPage(
                        recrawl.request().withMeta(PageRecord.META, null),
                        null,
                        "Thu, 02 Jan 2025 12:00:00 GMT",
                        null);
        f.done(recrawl, List.of(), List.of(), SlotSignals.NONE, notModified);
        ticker.advance(Duration.ofDays(2));

        assertThat(f.requeueFetchedBefore(ticker.now())).isEqualTo(1);
        assertThat(PageRecord.of(take(f).request()))
                .isEqualTo(
                        new PageRecord(
                                revalidatedAt,
                                "\"v1\"",
                                "Thu, 02 Jan 2025 12:00:00 GMT",
                                FetchedPage.contentHash(Body.utf8("body"))));
    }

    @Test
    void requeueFetchedBefore_withRequestsQueued_isRefused() {
        assumeTrue(keepsPages(), "a frontier that keeps no pages queues none again");
        Frontier f = frontier();
        f.add(gets("http://a.test/p"));
        assertThatThrownBy(() -> f.requeueFetchedBefore(ticker.now()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finished");
    }
}
