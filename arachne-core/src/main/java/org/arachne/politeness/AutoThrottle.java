package org.arachne.politeness;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapy's AutoThrottle, per slot: the delay follows latency ÷ target concurrency, moving halfway
 * towards it on every response, never below {@code download_delay}, never above {@code
 * autothrottle_max_delay}, starting at {@code autothrottle_start_delay}; a response that is not a
 * 200 never lowers it (errors are often fast, and must not speed the crawl up).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AutoThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(AutoThrottle.class);

    private final long startNanos;
    private final long minNanos;
    private final long maxNanos;
    private final double targetConcurrency;
    private final boolean debug;
    private final ConcurrentHashMap<String, Long> delays = new ConcurrentHashMap<>();

    /**
     * @param minDelay {@code download_delay}
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

    /** The slot's current delay: its start delay until a response has been seen. */
    public Duration delay(String slot) {
        return Duration.ofNanos(delays.getOrDefault(slot, startNanos));
    }

    /** Adjusts the slot's delay to a response's latency and status. */
    public void observe(String slot, Duration latency, int status) {
        delays.compute(
                slot,
                (key, current) -> {
                    long old = current == null ? startNanos : current;
                    long target = Math.round(latency.toNanos() / targetConcurrency);
                    long next = Math.max(target, (old + target) / 2);
                    next = Math.min(Math.max(minNanos, next), maxNanos);
                    if (status != 200 && next <= old) {
                        return old;
                    }
                    if (debug) {
                        LOG.info(
                                "slot {}: delay {} ms ({} {} ms) latency {} ms, status {}",
                                key,
                                next / 1_000_000,
                                next >= old ? "+" : "-",
                                Math.abs(next - old) / 1_000_000,
                                latency.toMillis(),
                                status);
                    }
                    return next;
                });
    }
}
