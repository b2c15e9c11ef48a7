package org.arachne.politeness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.arachne.http.Request;
import org.junit.jupiter.api.Test;

/** The throttle policies as pure functions of a slot's rule, state and signals. */
class ThrottleTest {
    private static final long NOW = 1_000_000_000L;
    private static final SlotRule PLAIN = new SlotRule(8, Duration.ZERO, false, false);

    private final Throttle throttle =
            new Throttle(
                    new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                    null,
                    new Random(11));

    private static Duration gap(Throttle.Gap gap) {
        return Duration.ofNanos(gap.nanos());
    }

    @Test
    void gap_isTheDownloadDelay_whenNothingElseApplies() {
        SlotRule rule = new SlotRule(8, Duration.ofMillis(300), false, false);
        Throttle.Gap gap = throttle.gapAfterStart(rule, SlotState.INITIAL);
        assertThat(gap(gap)).isEqualTo(Duration.ofMillis(300));
        assertThat(gap.reason()).isEqualTo("download_delay");
    }

    @Test
    void randomisedGap_staysWithinHalfToOneAndAHalf() {
        SlotRule rule = new SlotRule(8, Duration.ofMillis(400), true, false);
        for (int i = 0; i < 200; i++) {
            assertThat(gap(throttle.gapAfterStart(rule, SlotState.INITIAL)))
                    .isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
        }
    }

    /**
     * A frontier that picks slots in a Redis script (#11) computes the gap as the larger of the
     * rule's delay times {@code delayFactor()} and the stored {@code stateGap}: the same gap, and
     * the same reason on a tie, as {@code gapAfterStart}.
     */
    @Test
    void gapAfterStart_isTheLargerOfTheRulesDelayAndTheStateGap() {
        SlotState floored =
                new SlotState(Duration.ofSeconds(2).toNanos(), Long.MIN_VALUE, 0, 0, -1);
        SlotState backedOff =
                new SlotState(
                        Duration.ofSeconds(1).toNanos(),
                        Long.MIN_VALUE,
                        2,
                        Duration.ofSeconds(3).toNanos(),
                        -1);
        for (SlotState state : java.util.List.of(SlotState.INITIAL, floored, backedOff)) {
            for (Duration delay : java.util.List.of(Duration.ZERO, Duration.ofSeconds(2))) {
                SlotRule rule = new SlotRule(8, delay, false, true);
                Throttle.Gap whole = throttle.gapAfterStart(rule, state);
                Throttle.Gap fromState = throttle.stateGap(state);
                boolean stateWins = fromState.nanos() > delay.toNanos();
                assertThat(whole.nanos()).isEqualTo(Math.max(delay.toNanos(), fromState.nanos()));
                assertThat(whole.reason())
                        .isEqualTo(stateWins ? fromState.reason() : "download_slots");
            }
        }
        assertThat(throttle.stateGap(backedOff).reason()).isEqualTo("error_backoff");
        assertThat(throttle.stateGap(floored).reason()).isEqualTo("crawl_delay");
        assertThat(throttle.stateGap(SlotState.INITIAL))
                .isEqualTo(new Throttle.Gap(0, "download_delay"));
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.delayFactor()).isBetween(0.5, 1.5);
        }
    }

    @Test
    void crawlDelayFloor_winsOverASmallerDelay_andTheLargestFloorIsKept() {
        SlotRule rule = new SlotRule(8, Duration.ofMillis(100), true, false);
        SlotState state =
                throttle.afterEnding(
                        "a.test",
                        SlotState.INITIAL,
                        SlotSignals.NONE.withCrawlDelay(Duration.ofSeconds(2)),
                        NOW);
        state =
                throttle.afterEnding(
                        "a.test",
                        state,
                        SlotSignals.NONE.withCrawlDelay(Duration.ofSeconds(1)),
                        NOW);
        for (int i = 0; i < 50; i++) {
            Throttle.Gap gap = throttle.gapAfterStart(rule, state);
            assertThat(gap(gap)).isEqualTo(Duration.ofSeconds(2));
            assertThat(gap.reason()).isEqualTo("crawl_delay");
        }
        assertThat(state.minimumGapNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void errorBackoff_doublesPerErrorInARow_isCapped_andEndsWithAResponse() {
        SlotState state =
                throttle.afterEnding(
                        "a.test", SlotState.INITIAL, SlotSignals.connectionFailure(), NOW);
        assertThat(gap(throttle.gapAfterStart(PLAIN, state)))
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
        state = throttle.afterEnding("a.test", state, SlotSignals.connectionFailure(), NOW);
        state = throttle.afterEnding("a.test", state, SlotSignals.connectionFailure(), NOW);
        assertThat(state.errorStreak()).isEqualTo(3);
        Throttle.Gap third = throttle.gapAfterStart(PLAIN, state);
        assertThat(gap(third)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
        assertThat(third.reason()).isEqualTo("error_backoff");
        for (int i = 0; i < 10; i++) {
            state = throttle.afterEnding("a.test", state, SlotSignals.connectionFailure(), NOW);
        }
        assertThat(gap(throttle.gapAfterStart(PLAIN, state)))
                .isLessThanOrEqualTo(Duration.ofSeconds(8));
        state =
                throttle.afterEnding(
                        "a.test", state, SlotSignals.response(Duration.ofMillis(5), 200), NOW);
        assertThat(gap(throttle.gapAfterStart(PLAIN, state))).isZero();
        assertThat(state.errorStreak()).isZero();
    }

    @Test
    void pause_holdsUntilItsEnd_andALongerPauseInForceIsKept() {
        SlotState state =
                throttle.afterEnding(
                        "a.test",
                        SlotState.INITIAL,
                        SlotSignals.NONE.withPause(Duration.ofSeconds(5)),
                        NOW);
        state =
                throttle.afterEnding(
                        "a.test",
                        state,
                        SlotSignals.NONE.withPause(Duration.ofSeconds(1)),
                        NOW + Duration.ofSeconds(1).toNanos());
        assertThat(state.pausedUntilNanos()).isEqualTo(NOW + Duration.ofSeconds(5).toNanos());
    }

    @Test
    void autoThrottle_learnsFromResponses_andNeverDropsBelowTheDelay() {
        Throttle adaptive =
                new Throttle(
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                        new AutoThrottle(
                                Duration.ofSeconds(5),
                                Duration.ofMillis(100),
                                Duration.ofSeconds(60),
                                1.0,
                                false),
                        new Random(1));
        SlotRule rule = new SlotRule(8, Duration.ofMillis(100), false, false);
        Throttle.Gap first = adaptive.gapAfterStart(rule, SlotState.INITIAL);
        assertThat(gap(first)).isEqualTo(Duration.ofSeconds(5));
        assertThat(first.reason()).isEqualTo("autothrottle");
        SlotState state =
                adaptive.afterEnding(
                        "a.test",
                        SlotState.INITIAL,
                        SlotSignals.response(Duration.ofSeconds(1), 200),
                        NOW);
        assertThat(gap(adaptive.gapAfterStart(rule, state))).isEqualTo(Duration.ofSeconds(3));
    }

    /** {@code data:} requests share one slot that reaches no server: no gap at all (#9). */
    @Test
    void dataUrls_shareOneSlot_withNoGapWhateverTheDelaysAndAutoThrottle() {
        Map<String, String> dns = Map.of("a.test", "127.0.0.9");
        SlotRules rules =
                new SlotRules(
                        8,
                        2,
                        Duration.ofSeconds(10),
                        true,
                        Map.of(
                                SlotRules.DATA_SLOT,
                                new SlotOverride(1, Duration.ofSeconds(5), null)),
                        dns::get);
        Throttle adaptive =
                new Throttle(
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                        new AutoThrottle(
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(60),
                                1.0,
                                false),
                        new Random(1));

        String slot = rules.slotOf(Request.get("data:,x"));
        SlotState floored =
                adaptive.afterEnding(
                        slot,
                        SlotState.INITIAL,
                        SlotSignals.response(Duration.ofSeconds(1), 200)
                                .withCrawlDelay(Duration.ofSeconds(3)),
                        NOW);

        assertThat(slot).isEqualTo(SlotRules.DATA_SLOT);
        assertThat(rules.slotOf(Request.get("data:text/html,y"))).isEqualTo(slot);
        assertThat(adaptive.gapAfterStart(rules.ruleOf(slot), floored).nanos()).isZero();
        assertThat(rules.ruleOf(slot).concurrency()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void slots_arePerHost_orPerIpWhenLimited() {
        SlotRules byHost =
                new SlotRules(8, 0, Duration.ZERO, false, Map.of(), UnaryOperator.identity());
        assertThat(byHost.slotOf(Request.get("http://A.test:8080/x"))).isEqualTo("a.test");
        Map<String, String> dns = Map.of("a.test", "127.0.0.9", "b.test", "127.0.0.9");
        SlotRules byIp = new SlotRules(8, 2, Duration.ZERO, false, Map.of(), dns::get);
        assertThat(byIp.slotOf(Request.get("http://a.test/"))).isEqualTo("127.0.0.9");
        assertThat(byIp.slotOf(Request.get("http://b.test/"))).isEqualTo("127.0.0.9");
        assertThat(byIp.ruleOf("127.0.0.9").concurrency()).isEqualTo(2);
    }

    @Test
    void downloadSlots_overrideConcurrencyAndDelayOfNamedSlots() {
        SlotRules rules =
                new SlotRules(
                        8,
                        0,
                        Duration.ofMillis(100),
                        true,
                        Map.of("slow.test", new SlotOverride(1, Duration.ofSeconds(2), false)),
                        UnaryOperator.identity());
        SlotRule slow = rules.ruleOf("slow.test");
        assertThat(slow.concurrency()).isEqualTo(1);
        Throttle.Gap gap = throttle.gapAfterStart(slow, SlotState.INITIAL);
        assertThat(gap(gap)).isEqualTo(Duration.ofSeconds(2));
        assertThat(gap.reason()).isEqualTo("download_slots");
        SlotRule other = rules.ruleOf("other.test");
        assertThat(other.concurrency()).isEqualTo(8);
        assertThat(gap(throttle.gapAfterStart(other, SlotState.INITIAL)))
                .isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
    }

    @Test
    void backoff_isBaseTimesTwoToTheFailuresMinusOne_withJitter_capped() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        Random random = new Random(5);
        assertThat(backoff.after(0, random)).isZero();
        for (int i = 0; i < 50; i++) {
            assertThat(backoff.after(1, random))
                    .isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
            assertThat(backoff.after(3, random))
                    .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
            assertThat(backoff.after(40, random)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        }
    }
}
