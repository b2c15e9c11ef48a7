package org.arachne.politeness;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The throttle policies as pure functions of a slot's rule, its {@link SlotState} and the {@link
 * SlotSignals} of a lease's ending: the frontier asks {@link #gapAfterStart} when it starts a
 * request and {@link #afterEnding} when a lease ends, and stores the answers. Nothing here keeps
 * per-slot state, so the same numbers can live in memory, in SQLite or in Redis.
 *
 * <p>The gap after a start is the largest of the slot's delay ({@code download_delay} or its {@code
 * download_slots} delay, randomised to 0.5–1.5 times when asked), AutoThrottle's delay, the
 * robots.txt {@code Crawl-delay} floor and the error backoff; a {@code Retry-After} pause holds the
 * whole slot on top of that.
 *
 * <p>Thread-safety: immutable; safe for concurrent use when its random source is.
 */
public final class Throttle {
    private final Backoff errorBackoff;
    private final @Nullable AutoThrottle autoThrottle;
    private final RandomGenerator random;

    /**
     * @param errorBackoff the slot's delay after connection errors in a row
     * @param autoThrottle the adaptive delay, or null when {@code autothrottle_enabled} is off
     * @param random draws the randomised delays and the backoff jitter
     */
    public Throttle(
            Backoff errorBackoff, @Nullable AutoThrottle autoThrottle, RandomGenerator random) {
        this.errorBackoff = Objects.requireNonNull(errorBackoff, "errorBackoff");
        this.autoThrottle = autoThrottle;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** No delays from any signal: for a frontier used as a plain queue by tools and benchmarks. */
    public static Throttle none() {
        return new Throttle(
                new Backoff(Duration.ZERO, Duration.ZERO), null, ThreadLocalRandom.current());
    }

    /**
     * The gap before the next start of a slot, and the signal that set it.
     *
     * @param nanos zero for none
     * @param reason {@code download_delay}, {@code download_slots}, {@code autothrottle}, {@code
     *     crawl_delay} or {@code error_backoff}
     */
    public record Gap(long nanos, String reason) {}

    /** The gap to keep after a start now; drawn anew at every start when it is randomised. */
    public Gap gapAfterStart(SlotRule rule, SlotState state) {
        if (rule.local()) {
            return new Gap(0, "download_delay"); // no server to be polite to
        }
        long delay = rule.delay().toNanos();
        if (delay > 0 && rule.randomizeDelay()) {
            delay = Math.round(delay * delayFactor());
        }
        Gap fromState = stateGap(state);
        return fromState.nanos() > delay
                ? fromState
                : new Gap(delay, rule.fromSlotSettings() ? "download_slots" : "download_delay");
    }

    /**
     * The part of {@link #gapAfterStart} that the slot's state sets: the largest of AutoThrottle's
     * delay, the Crawl-delay floor and the error backoff (zero, {@code download_delay}, when none
     * is set). A frontier that picks the slot where this code cannot run (a Redis script) stores it
     * with the state and takes, at each start, the larger of it and the rule's delay times {@link
     * #delayFactor}, which is what {@code gapAfterStart} computes.
     */
    public Gap stateGap(SlotState state) {
        long result = 0;
        String reason = "download_delay";
        if (autoThrottle != null) {
            long adaptive =
                    state.throttleNanos() < 0 ? autoThrottle.startNanos() : state.throttleNanos();
            if (adaptive > result) {
                result = adaptive;
                reason = "autothrottle";
            }
        }
        if (state.floorNanos() > result) {
            result = state.floorNanos();
            reason = "crawl_delay";
        }
        if (state.errorBackoffNanos() > result) {
            result = state.errorBackoffNanos();
            reason = "error_backoff";
        }
        return new Gap(result, reason);
    }

    /**
     * The factor a randomised delay is multiplied by at one start, between 0.5 and 1.5, drawn from
     * this throttle's random source.
     */
    public double delayFactor() {
        return 0.5 + random.nextDouble();
    }

    /**
     * The slot's state after a lease ended with these signals at {@code nowNanos}: a response ends
     * the error backoff and teaches AutoThrottle its latency; a connection error grows the backoff;
     * a {@code Crawl-delay} raises the floor (the largest is kept, so one IP slot shared by several
     * hosts honours the strictest); a pause holds the slot until its end (a longer pause already in
     * force is kept).
     */
    public SlotState afterEnding(String slot, SlotState state, SlotSignals signals, long nowNanos) {
        long floor = Math.max(state.floorNanos(), signals.crawlDelay().toNanos());
        long pausedUntil = state.pausedUntilNanos();
        if (signals.pause().isPositive()) {
            pausedUntil = Math.max(pausedUntil, nowNanos + signals.pause().toNanos());
        }
        int streak = state.errorStreak();
        long backoff = state.errorBackoffNanos();
        long throttle = state.throttleNanos();
        if (signals.latency() != null) {
            streak = 0;
            backoff = 0;
            if (autoThrottle != null) {
                throttle = autoThrottle.next(slot, throttle, signals.latency(), signals.status());
            }
        } else if (signals.connectionError()) {
            streak++;
            backoff = errorBackoff.after(streak, random).toNanos();
        }
        return new SlotState(floor, pausedUntil, streak, backoff, throttle);
    }
}
