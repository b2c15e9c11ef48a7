package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.arachne.http.Request;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotOverride;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/** What the memory frontier does beyond the contract ({@link MemoryFrontierContractTest}). */
class MemoryFrontierTest {
    private final ManualTicker ticker = new ManualTicker();

    private static Throttle throttle() {
        return new Throttle(
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), null, new Random(3));
    }

    private static SlotRules rules(Map<String, SlotOverride> slots) {
        return new SlotRules(8, 0, Duration.ZERO, false, slots, UnaryOperator.identity());
    }

    @Test
    void started_withoutDelay_changesNothing() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(FrontierSetup.of(rules(Map.of()), throttle(), ticker));
        f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
        Lease first = f.take(Duration.ZERO);
        f.started(first);
        assertThat(f.take(Duration.ZERO).request().url()).isEqualTo("http://a.test/2");
    }

    @Test
    void take_onTheSystemClock_waitsForTheDelayInsteadOfReturningEarly() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(
                        FrontierSetup.of(
                                rules(
                                        Map.of(
                                                "a.test",
                                                new SlotOverride(
                                                        null, Duration.ofMillis(150), false))),
                                throttle(),
                                Ticker.system()));
        f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
        Lease first = f.take(Duration.ofSeconds(5));
        long start = System.nanoTime();
        Lease second = f.take(Duration.ofSeconds(5));
        long waited = System.nanoTime() - start;
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
    }

    @Test
    void idleSlot_keepsItsFloorWhenItComesBack_untilItsMemoryExpires() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(FrontierSetup.of(rules(Map.of()), throttle(), ticker));
        f.add(List.of(Request.get("http://a.test/1")));
        f.done(
                f.take(Duration.ZERO),
                List.of(),
                List.of(),
                SlotSignals.response(Duration.ofMillis(1), 200)
                        .withCrawlDelay(Duration.ofSeconds(5)));
        ticker.advance(Duration.ofSeconds(6)); // the slot is idle; its floor waits in the cache
        f.add(List.of(Request.get("http://a.test/2"), Request.get("http://a.test/3")));
        f.take(Duration.ZERO);
        assertThat(f.take(Duration.ZERO)).as("the 5 s floor came back with the slot").isNull();
        ticker.advance(Duration.ofSeconds(5));
        assertThat(f.take(Duration.ZERO)).isNotNull();
    }

    @Test
    void idleSlot_forgetsItsNumbersAfterItsMemoryExpires() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(FrontierSetup.of(rules(Map.of()), throttle(), ticker));
        f.add(List.of(Request.get("http://a.test/1")));
        f.done(
                f.take(Duration.ZERO),
                List.of(),
                List.of(),
                SlotSignals.response(Duration.ofMillis(1), 200)
                        .withCrawlDelay(Duration.ofSeconds(5)));
        ticker.advance(SlotSchedule.IDLE_SLOT_MEMORY.plusSeconds(1));
        f.add(List.of(Request.get("http://a.test/2"), Request.get("http://a.test/3")));
        f.take(Duration.ZERO);
        assertThat(f.take(Duration.ZERO)).as("a new slot, without a floor").isNotNull();
    }

    @Test
    void stats_countTheSignalThatSetEachDelay() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(
                        FrontierSetup.of(
                                rules(
                                        Map.of(
                                                "slots.test",
                                                new SlotOverride(
                                                        null, Duration.ofMillis(300), false))),
                                throttle(),
                                ticker));
        f.add(
                List.of(
                        Request.get("http://slots.test/1"),
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2")));
        Lease slots = f.take(Duration.ZERO);
        Lease a = f.take(Duration.ZERO);
        f.done(
                a,
                List.of(),
                List.of(),
                SlotSignals.response(Duration.ofMillis(1), 200)
                        .withCrawlDelay(Duration.ofSeconds(2)));
        f.done(slots, List.of(), List.of(), SlotSignals.NONE);
        ticker.advance(Duration.ofSeconds(2));
        f.take(Duration.ZERO);
        assertThat(f.stats())
                .containsEntry("politeness/delay_set_by/download_slots", 1L)
                .containsEntry("politeness/delay_set_by/crawl_delay", 1L)
                .doesNotContainKey("politeness/delay_set_by/download_delay");
    }

    @Test
    void leaseNeverSent_givesItsStartBack_soTheNextRequestNeedNotWaitForIt() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(
                        FrontierSetup.of(
                                rules(
                                        Map.of(
                                                "a.test",
                                                new SlotOverride(
                                                        null, Duration.ofSeconds(60), false))),
                                throttle(),
                                ticker));
        f.add(List.of(Request.get("http://a.test/page"), Request.get("http://a.test/robots.txt")));
        Lease waiting = f.take(Duration.ZERO); // waits for its robots.txt, say: nothing sent
        f.retry(waiting, waiting.request(), Duration.ofSeconds(1), "waiting", SlotSignals.NOT_SENT);
        assertThat(f.take(Duration.ZERO)).as("the start was given back").isNotNull();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(f.take(Duration.ZERO)).as("a sent request's start counts").isNull();
    }
}
