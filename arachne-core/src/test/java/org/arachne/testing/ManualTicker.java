package org.arachne.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import org.arachne.frontier.Ticker;

/**
 * A ticker whose time moves only when a test says so; both clocks move together. A {@linkplain
 * #jumpingWhenIdle() jumping} one also moves itself to the moment an idle frontier waits for, so a
 * whole crawl with long delays runs at once while its delays hold on this clock. Work in flight
 * takes no time on it: a download or a callback happens at one instant.
 */
public final class ManualTicker implements Ticker {
    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final boolean jumpWhenIdle;

    /** A ticker that moves only by {@link #advance}. */
    public ManualTicker() {
        this(false);
    }

    private ManualTicker(boolean jumpWhenIdle) {
        this.jumpWhenIdle = jumpWhenIdle;
    }

    /** A ticker that also jumps to whatever moment an idle frontier waits for. */
    public static ManualTicker jumpingWhenIdle() {
        return new ManualTicker(true);
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return ORIGIN.plusNanos(nanos.get());
    }

    @Override
    public void idle(Condition condition, long waitNanos) throws InterruptedException {
        if (jumpWhenIdle) {
            nanos.addAndGet(waitNanos);
        } else {
            condition.awaitNanos(waitNanos);
        }
    }

    /** Moves time forward. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
