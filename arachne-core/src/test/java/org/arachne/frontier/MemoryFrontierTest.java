package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;

class MemoryFrontierTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Map<String, Integer> limits = new HashMap<>();
    private final Map<String, Duration> delays = new HashMap<>();
    private final List<Item> sunk = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();

    private final Frontier.SlotPolicy policy =
            new Frontier.SlotPolicy() {
                @Override
                public String slotOf(Request request) {
                    return request.host();
                }

                @Override
                public int concurrency(String slot) {
                    return limits.getOrDefault(slot, 8);
                }

                @Override
                public Duration delayAfterStart(String slot) {
                    return delays.getOrDefault(slot, Duration.ZERO);
                }
            };

    private final Frontier.Sink sink =
            new Frontier.Sink() {
                @Override
                public void items(List<Item> items) {
                    sunk.addAll(items);
                }

                @Override
                public void deadLetter(Request request, String reason) {
                    deadLetters.add(request.url() + " " + reason);
                }
            };

    private MemoryFrontier frontier(CrawlOrder order) {
        return new MemoryFrontier(policy, sink, MemoryFrontier.Options.inMemory(order), now::get);
    }

    private static Lease take(Frontier f) throws InterruptedException {
        return f.take(Duration.ZERO);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void take_emptyFrontier_isFinishedAndReturnsNull() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        assertThat(f.isFinished()).isTrue();
        assertThat(take(f)).isNull();
    }

    @Test
    void take_higherPriorityFirst_thenFifoInBfs() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2"),
                        Request.get("http://a.test/urgent").withPriority(5)));
        assertThat(take(f).request().url()).isEqualTo("http://a.test/urgent");
        assertThat(take(f).request().url()).isEqualTo("http://a.test/1");
        assertThat(take(f).request().url()).isEqualTo("http://a.test/2");
    }

    @Test
    void take_dfs_takesDeepestNewestFirst() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.DFS);
        f.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2"),
                        Request.get("http://a.test/deep").withDepth(3)));
        assertThat(take(f).request().url()).isEqualTo("http://a.test/deep");
        assertThat(take(f).request().url()).isEqualTo("http://a.test/2");
        assertThat(take(f).request().url()).isEqualTo("http://a.test/1");
    }

    @Test
    void add_dropsDuplicatesByCanonicalUrl_unlessDontFilter() {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
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
    void take_fullSlot_doesNotBlockOtherSlots() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        limits.put("slow.test", 1);
        f.add(
                List.of(
                        Request.get("http://slow.test/1").withPriority(9),
                        Request.get("http://slow.test/2").withPriority(9),
                        Request.get("http://fast.test/1")));
        Lease first = take(f);
        assertThat(first.slot()).isEqualTo("slow.test");
        Lease second = take(f);
        assertThat(second.request().url()).isEqualTo("http://fast.test/1");
        assertThat(take(f)).as("slow.test is at its limit").isNull();
        f.done(first, List.of(), List.of());
        assertThat(take(f).request().url()).isEqualTo("http://slow.test/2");
    }

    @Test
    void take_respectsDelayBetweenStartsOfOneSlot() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        delays.put("a.test", Duration.ofSeconds(2));
        f.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2"),
                        Request.get("http://b.test/1")));
        Lease a1 = take(f);
        assertThat(a1.request().url()).isEqualTo("http://a.test/1");
        f.done(a1, List.of(), List.of());
        assertThat(take(f).request().url())
                .as("a.test waits its delay; b.test is ready")
                .isEqualTo("http://b.test/1");
        advance(Duration.ofMillis(1999));
        assertThat(take(f)).isNull();
        advance(Duration.ofMillis(1));
        assertThat(take(f).request().url()).isEqualTo("http://a.test/2");
    }

    @Test
    void started_spacesTheNextStartFromTheSend_notFromTheTake() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        delays.put("a.test", Duration.ofSeconds(2));
        f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
        Lease first = take(f);
        advance(Duration.ofMillis(300)); // the lease's thread got to send late
        f.started(first);
        advance(Duration.ofMillis(1700));
        assertThat(take(f)).as("2 s after the take, 1.7 s after the send").isNull();
        advance(Duration.ofMillis(300));
        assertThat(take(f).request().url()).isEqualTo("http://a.test/2");
    }

    @Test
    void started_withoutDelay_changesNothing() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
        Lease first = take(f);
        f.started(first);
        assertThat(take(f).request().url()).isEqualTo("http://a.test/2");
    }

    @Test
    void take_waitsForTheDelayInsteadOfReturningEarly() throws Exception {
        AtomicLong realClock = new AtomicLong();
        MemoryFrontier f =
                new MemoryFrontier(
                        policy,
                        sink,
                        MemoryFrontier.Options.inMemory(CrawlOrder.BFS),
                        System::nanoTime);
        delays.put("a.test", Duration.ofMillis(150));
        f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
        Lease first = f.take(Duration.ofSeconds(5));
        long start = System.nanoTime();
        Lease second = f.take(Duration.ofSeconds(5));
        realClock.set(System.nanoTime() - start);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(Duration.ofNanos(realClock.get()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(140));
    }

    @Test
    void retry_queuesAgainAfterItsDelay_bypassingDedup() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(List.of(Request.get("http://a.test/1")));
        Lease lease = take(f);
        f.retry(lease, lease.request().withMeta("retry_times", 1), Duration.ofSeconds(3), "503");
        assertThat(f.isFinished()).isFalse();
        assertThat(take(f)).isNull();
        advance(Duration.ofSeconds(3));
        Lease again = take(f);
        assertThat(again.request().meta("retry_times")).isEqualTo(1);
    }

    @Test
    void done_queuesProducedAndHandsItemsBeforeFinishing() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(List.of(Request.get("http://a.test/")));
        Lease lease = take(f);
        int queued =
                f.done(
                        lease,
                        List.of(Request.get("http://a.test/"), Request.get("http://a.test/next")),
                        List.of(Item.of("title", "x")));
        assertThat(queued).as("the start page is a duplicate").isEqualTo(1);
        assertThat(sunk).containsExactly(Item.of("title", "x"));
        Lease next = take(f);
        f.done(next, List.of(), List.of());
        assertThat(f.isFinished()).isTrue();
    }

    @Test
    void leaseEndedTwice_isRefused() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(List.of(Request.get("http://a.test/")));
        Lease lease = take(f);
        f.fail(lease, "boom");
        assertThat(deadLetters).containsExactly("http://a.test/ boom");
        assertThatThrownBy(() -> f.done(lease, List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ended");
    }

    @Test
    void priorityHonouredAcrossReadySlots() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(
                List.of(
                        Request.get("http://a.test/low"),
                        Request.get("http://b.test/high").withPriority(3),
                        Request.get("http://c.test/mid").withPriority(1)));
        assertThat(take(f).request().url()).isEqualTo("http://b.test/high");
        assertThat(take(f).request().url()).isEqualTo("http://c.test/mid");
        assertThat(take(f).request().url()).isEqualTo("http://a.test/low");
    }

    @Test
    void awaitFinished_returnsWhenLastLeaseEnds() throws Exception {
        MemoryFrontier f = frontier(CrawlOrder.BFS);
        f.add(List.of(Request.get("http://a.test/")));
        Lease lease = take(f);
        Thread.ofVirtual().start(() -> f.done(lease, List.of(), List.of()));
        assertThat(f.awaitFinished(Duration.ofSeconds(5))).isTrue();
    }
}
