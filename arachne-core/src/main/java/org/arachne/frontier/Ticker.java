package org.arachne.frontier;

import java.time.Instant;

/**
 * The crawl's time: a monotonic nanosecond clock for delays and waits, and the wall clock for lease
 * deadlines (which a shared frontier compares across machines) and HTTP dates. Injected so that
 * tests move time instead of waiting, as Caffeine's {@code Ticker} does.
 */
public interface Ticker {
    /** Monotonic nanoseconds, comparable only with other readings of this ticker. */
    long nanos();

    /** The wall-clock time now. */
    Instant now();

    /** The system's clocks: {@link System#nanoTime()} and {@link Instant#now()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** The system's clocks. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }
}
