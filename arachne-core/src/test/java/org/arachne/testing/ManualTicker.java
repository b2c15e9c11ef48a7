package org.arachne.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.arachne.frontier.Ticker;

/** A ticker whose time moves only when a test says so; both clocks move together. */
public final class ManualTicker implements Ticker {
    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return ORIGIN.plusNanos(nanos.get());
    }

    /** Moves time forward. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
