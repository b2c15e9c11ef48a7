package org.arachne.politeness;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapy's AutoThrottle, as a function of a slot's current delay and one response: the delay
 * follows latency ÷ target concurrency, moving halfway towards it on every response, never below
 * {@code download_delay}, never above {@code autothrottle_max_delay}, starting at {@code
 * autothrottle_start_delay}; a response that is not a 200 never lowers it (errors are often fast,
 * and must not speed the crawl up). Holds no per-slot state: the frontier stores each slot's delay
 * in its {@link SlotState}.
 */
public final class AutoThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(AutoThrottle.class);

    private final long startNanos;
    private final long minNanos;
    private final long maxNanos;
    private final double targetConcurrency;
    private final boolean debug;

    /**
     * @param minDelay {@code download_delay}
     * @param debug log every change of delay at info level ({@code autothrottle_debug})
     * @throws IllegalArgumentException when the target concurrency is not positive
     */
    public AutoThrottle(
            Duration startDelay,
            Duration minDelay,
            Duration maxDelay,
            double targetConcurrency,
            boolean debug) {
        if (!(targetConcurrency > 0)) {
            throw new IllegalArgumentException(
                    "setting 'autothrottle_target_concurrency' must be above 0, got "
                            + targetConcurrency);
        }
        this.minNanos = minDelay.toNanos();
        this.maxNanos = Math.max(maxDelay.toNanos(), minNanos);
        this.startNanos = Math.min(Math.max(startDelay.toNanos(), minNanos), maxNanos);
        this.targetConcurrency = targetConcurrency;
        this.debug = debug;
    }

    /** The delay of a slot that has had no response yet. */
    public long startNanos() {
        return startNanos;
    }

    /**
     * The slot's delay after a response.
     *
     * @param currentNanos the slot's delay now, or -1 before its first response
     */
    public long next(String slot, long currentNanos, Duration latency, int status) {
        long old = currentNanos < 0 ? startNanos : currentNanos;
        long target = Math.round(latency.toNanos() / targetConcurrency);
        long next = Math.max(target, (old + target) / 2);
        next = Math.min(Math.max(minNanos, next), maxNanos);
        if (status != 200 && next <= old) {
            return old;
        }
        if (debug) {
            LOG.info(
                    "slot {}: delay {} ms ({} {} ms) latency {} ms, status {}",
                    slot,
                    next / 1_000_000,
                    next >= old ? "+" : "-",
                    Math.abs(next - old) / 1_000_000,
                    latency.toMillis(),
                    status);
        }
        return next;
    }
}
