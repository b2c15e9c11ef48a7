package org.arachne.politeness;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the end of one lease tells about its slot, carried with the ending to the frontier, which
 * turns it into the slot's new numbers with {@link Throttle#afterEnding}. Immutable.
 *
 * @param latency the response's latency, or null when no response came (AutoThrottle learns from
 *     it, and any response ends the slot's error backoff)
 * @param status the response's HTTP status, or 0 without a response
 * @param connectionError whether the download failed to connect, timed out or was reset (the slot's
 *     error backoff grows)
 * @param crawlDelay the robots.txt {@code Crawl-delay} of the request's origin, zero when none (the
 *     slot's floor: the least gap between two starts)
 * @param pause how long the whole slot should wait before its next start (a {@code Retry-After}),
 *     zero for none
 * @param sent false when the request was never sent (it waited for its robots.txt, or the crawl was
 *     closing): a frontier may then give the lease's start back to the slot
 */
public record SlotSignals(
        @Nullable Duration latency,
        int status,
        boolean connectionError,
        Duration crawlDelay,
        Duration pause,
        boolean sent) {

    /** An ending that says nothing about the slot; its start counts as made. */
    public static final SlotSignals NONE =
            new SlotSignals(null, 0, false, Duration.ZERO, Duration.ZERO, true);

    /** An ending of a lease whose request was never sent. */
    public static final SlotSignals NOT_SENT =
            new SlotSignals(null, 0, false, Duration.ZERO, Duration.ZERO, false);

    public SlotSignals {
        Objects.requireNonNull(crawlDelay, "crawlDelay");
        Objects.requireNonNull(pause, "pause");
    }

    /** A response came, with this latency and status. */
    public static SlotSignals response(Duration latency, int status) {
        return new SlotSignals(latency, status, false, Duration.ZERO, Duration.ZERO, true);
    }

    /** The download could not connect, timed out or was reset. */
    public static SlotSignals connectionFailure() {
        return new SlotSignals(null, 0, true, Duration.ZERO, Duration.ZERO, true);
    }

    /** A copy that also reports the origin's robots.txt {@code Crawl-delay}. */
    public SlotSignals withCrawlDelay(Duration delay) {
        return new SlotSignals(latency, status, connectionError, delay, pause, sent);
    }

    /** A copy that also asks the whole slot to wait this long. */
    public SlotSignals withPause(Duration duration) {
        return new SlotSignals(latency, status, connectionError, crawlDelay, duration, sent);
    }
}
