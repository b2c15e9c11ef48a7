package org.arachne.politeness;

/**
 * The numbers of one slot that change as its leases end, as a frontier stores them: plain values,
 * so a database row or a Redis hash holds them, computed by {@link Throttle} and only stored and
 * enforced by the frontier. Times are on the frontier's clock, in nanoseconds.
 *
 * @param floorNanos the least gap between two starts (robots.txt {@code Crawl-delay}); the largest
 *     seen is kept
 * @param pausedUntilNanos no start before this time ({@code Retry-After}); {@link Long#MIN_VALUE}
 *     for none
 * @param errorStreak connection errors and timeouts in a row
 * @param errorBackoffNanos the gap after a start that the error streak asks for (drawn once per
 *     error, jitter included), zero without errors
 * @param throttleNanos AutoThrottle's current delay, or -1 before the slot's first response
 */
public record SlotState(
        long floorNanos,
        long pausedUntilNanos,
        int errorStreak,
        long errorBackoffNanos,
        long throttleNanos) {

    /** A slot nothing has been learned about. */
    public static final SlotState INITIAL = new SlotState(0, Long.MIN_VALUE, 0, 0, -1);

    /**
     * The least gap after a start that holds whatever the randomisation: the floor or the error
     * backoff. A frontier applies it again from the lease's start when the lease ends, so a floor
     * or an error learned during a lease also spaces the next start from that lease's start.
     */
    public long minimumGapNanos() {
        return Math.max(floorNanos, errorBackoffNanos);
    }
}
