package org.arachne.politeness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.arachne.http.HostResolver;
import org.arachne.http.Request;
import org.junit.jupiter.api.Test;

/** The per-slot throttle signals, with the clock moved by hand. */
class PolitenessPolicyTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private PolitenessPolicy policy(Duration delay, boolean randomize) {
        return new PolitenessPolicy(
                8,
                0,
                delay,
                randomize,
                new HostResolver(Map.of()),
                Duration.ofSeconds(1),
                Duration.ofSeconds(8),
                Map.of(),
                null,
                reason -> {},
                now::get);
    }

    @Test
    void delay_isTheDownloadDelay_whenNothingElseApplies() {
        PolitenessPolicy p = policy(Duration.ofMillis(300), false);
        assertThat(p.delayAfterStart("a.test")).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void randomisedDelay_staysWithinHalfToOneAndAHalf() {
        PolitenessPolicy p = policy(Duration.ofMillis(400), true);
        for (int i = 0; i < 200; i++) {
            assertThat(p.delayAfterStart("a.test"))
                    .isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
        }
    }

    @Test
    void crawlDelayFloor_winsOverASmallerDelay_andTheLargestFloorIsKept() {
        PolitenessPolicy p = policy(Duration.ofMillis(100), true);
        p.raiseFloor("a.test", Duration.ofSeconds(2));
        p.raiseFloor("a.test", Duration.ofSeconds(1));
        for (int i = 0; i < 50; i++) {
            assertThat(p.delayAfterStart("a.test")).isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(p.minimumDelay("a.test")).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.minimumDelay("b.test")).isZero();
    }

    @Test
    void errorBackoff_doublesPerErrorInARow_isCapped_andEndsWithASuccess() {
        PolitenessPolicy p = policy(Duration.ZERO, false);
        p.recordError("a.test");
        assertThat(p.delayAfterStart("a.test"))
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
        p.recordError("a.test");
        p.recordError("a.test");
        assertThat(p.delayAfterStart("a.test"))
                .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
        for (int i = 0; i < 10; i++) {
            p.recordError("a.test");
        }
        assertThat(p.delayAfterStart("a.test")).isLessThanOrEqualTo(Duration.ofSeconds(8));
        assertThat(p.delayAfterStart("b.test")).as("other slots are not affected").isZero();
        p.recordResponse("a.test", Duration.ofMillis(5), 200);
        assertThat(p.delayAfterStart("a.test")).isZero();
    }

    @Test
    void retryAfterPause_coversTheWholeSlot_untilItsEnd() {
        PolitenessPolicy p = policy(Duration.ZERO, false);
        p.pause("a.test", Duration.ofSeconds(5));
        p.pause("a.test", Duration.ofSeconds(1)); // a shorter pause does not shorten it
        assertThat(p.pauseRemaining("a.test")).isEqualTo(Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(p.pauseRemaining("a.test")).isEqualTo(Duration.ofSeconds(2));
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(p.pauseRemaining("a.test")).isZero();
        assertThat(p.pauseRemaining("b.test")).isZero();
    }

    @Test
    void slots_arePerHost_orPerIpWhenLimited() {
        PolitenessPolicy byHost = policy(Duration.ZERO, false);
        assertThat(byHost.slotOf(Request.get("http://A.test:8080/x"))).isEqualTo("a.test");
        PolitenessPolicy byIp =
                new PolitenessPolicy(
                        8,
                        2,
                        Duration.ZERO,
                        false,
                        new HostResolver(Map.of("a.test", "127.0.0.9", "b.test", "127.0.0.9")),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(8),
                        Map.of(),
                        null,
                        reason -> {},
                        now::get);
        assertThat(byIp.slotOf(Request.get("http://a.test/"))).isEqualTo("127.0.0.9");
        assertThat(byIp.slotOf(Request.get("http://b.test/"))).isEqualTo("127.0.0.9");
        assertThat(byIp.concurrency("127.0.0.9")).isEqualTo(2);
    }

    @Test
    void downloadSlots_overrideConcurrencyAndDelayOfNamedSlots() {
        PolitenessPolicy p =
                new PolitenessPolicy(
                        8,
                        0,
                        Duration.ofMillis(100),
                        true,
                        new HostResolver(Map.of()),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(8),
                        Map.of("slow.test", new SlotOverride(1, Duration.ofSeconds(2), false)),
                        null,
                        reason -> {},
                        now::get);
        assertThat(p.concurrency("slow.test")).isEqualTo(1);
        assertThat(p.delayAfterStart("slow.test")).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.concurrency("other.test")).isEqualTo(8);
        assertThat(p.delayAfterStart("other.test"))
                .isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
    }

    @Test
    void everyStartWithADelay_saysWhichSignalSetIt() {
        java.util.List<String> reasons = new java.util.ArrayList<>();
        PolitenessPolicy p =
                new PolitenessPolicy(
                        8,
                        0,
                        Duration.ofMillis(100),
                        false,
                        new HostResolver(Map.of()),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(8),
                        Map.of("slots.test", new SlotOverride(null, Duration.ofMillis(300), false)),
                        null,
                        reasons::add,
                        now::get);
        p.delayAfterStart("a.test");
        p.delayAfterStart("slots.test");
        p.raiseFloor("a.test", Duration.ofSeconds(2));
        p.delayAfterStart("a.test");
        for (int i = 0; i < 5; i++) {
            p.recordError("a.test");
        }
        p.delayAfterStart("a.test");
        assertThat(reasons)
                .containsExactly(
                        "download_delay", "download_slots", "crawl_delay", "error_backoff");
    }
}
