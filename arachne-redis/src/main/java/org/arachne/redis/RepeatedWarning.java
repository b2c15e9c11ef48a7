package org.arachne.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a failure that repeats is told: at once, then once every interval, not once each (an outage
 * fails every lease's call). Thread-safe: of threads failing at once, one is told it is due.
 */
final class RepeatedWarning {
    private static final long NEVER = Long.MIN_VALUE;

    private final long intervalNanos;
    private final AtomicLong lastNanos = new AtomicLong(NEVER); // System.nanoTime of the last

    RepeatedWarning(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Whether to tell this failure; true at most once an interval. */
    boolean due() {
        long now = System.nanoTime();
        long last = lastNanos.get();
        return (last == NEVER || now - last >= intervalNanos) && lastNanos.compareAndSet(last, now);
    }
}
