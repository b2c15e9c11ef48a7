package org.arachne.frontier;

import java.time.Instant;
import java.util.concurrent.locks.Condition;

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

    /**
     * Waits while the crawl has nothing to do: until {@code condition} is signalled or this clock
     * has moved {@code nanos} on, whichever comes first. A frontier calls it, holding the
     * condition's lock, when no lease is out and its next work is {@code nanos} ahead (a slot's
     * next start, a retry's not-before time), so nothing but time can change what it would do. The
     * system clock waits; a clock that a test moves may move itself there instead, so that a
     * crawl's delays take no real time.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    default void idle(Condition condition, long nanos) throws InterruptedException {
        condition.awaitNanos(nanos);
    }

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
