package org.arachne.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.arachne.frontier.Ending;
import org.arachne.frontier.FrontierException;
import org.arachne.politeness.Backoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one policy for {@link FrontierException}: a transient failure is tried again with
 * capped backoff (50 ms doubling to 5 s, never a tight loop) for up to {@link #GIVE_UP_AFTER}; any
 * other failure, or a transient one that lasts longer, stops the crawl cleanly through {@code
 * onFatal}. Counts {@code frontier/retries} and {@code frontier/lease_lost}.
 *
 * <p>The log tells an outage once for all the calls it holds up, however many threads wait (a crawl
 * of 64 leases has 64 endings waiting when Redis stops): a warning when the first call fails, one
 * every {@link #WARN_EVERY} while calls go on failing, and a line when a call succeeds again (#11).
 */
final class FrontierCalls {
    private static final Logger LOG = LoggerFactory.getLogger(FrontierCalls.class);

    /** How long a call whose failures are transient is tried again. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

    /** How often an outage that lasts is told again. */
    static final Duration WARN_EVERY = Duration.ofSeconds(5);

    private static final Backoff BACKOFF =
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

    private final Stats stats;
    private final Consumer<FrontierException> onFatal;
    private final Outage outage = new Outage();

    FrontierCalls(Stats stats, Consumer<FrontierException> onFatal) {
        this.stats = stats;
        this.onFatal = onFatal;
    }

    /** A frontier call that may wait. */
    @FunctionalInterface
    interface Call<T> {
        @Nullable T run() throws InterruptedException;
    }

    /**
     * Runs a frontier call, trying transient failures again.
     *
     * @return its result; null when it failed for good (the crawl is then stopping)
     * @throws InterruptedException when interrupted while the call or a backoff waits
     */
    <T> @Nullable T waiting(String what, Call<T> call) throws InterruptedException {
        long failingSince = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.run();
                if (attempt > 1) {
                    outage.succeeded(); // a call that failed went through: the store is back
                }
                return result;
            } catch (FrontierException e) {
                if (attempt == 1) {
                    failingSince = System.nanoTime();
                }
                if (!e.isTransient()
                        || System.nanoTime() - failingSince >= GIVE_UP_AFTER.toNanos()) {
                    onFatal.accept(e);
                    return null;
                }
                stats.inc(StatKeys.FRONTIER_RETRIES);
                long during = outage.failed(what, e);
                outage.awaitBack(
                        during, BACKOFF.after(attempt, ThreadLocalRandom.current()).toNanos());
            }
        }
    }

    /**
     * Runs a frontier call that must not be abandoned on an interrupt (an ending, a save); an
     * interrupt during a backoff gives up and is kept on the thread.
     */
    <T> @Nullable T call(String what, Supplier<T> call) {
        try {
            return waiting(what, call::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The same policy for a failure thrown outside these calls (a stage that queues a request
     * itself, as the robots.txt stage does): a transient one is counted and logged, and the caller
     * puts its lease back; any other stops the crawl.
     */
    void failed(String what, FrontierException e) {
        if (!e.isTransient()) {
            onFatal.accept(e);
            return;
        }
        stats.inc(StatKeys.FRONTIER_RETRIES);
        outage.failed(what + "; its request is queued again", e);
    }

    /** Runs a frontier call that returns nothing. */
    void run(String what, Runnable call) {
        call(
                what,
                () -> {
                    call.run();
                    return Boolean.TRUE;
                });
    }

    /**
     * Ends a lease; a lease found lost is counted and logged.
     *
     * @return the frontier's answer, or {@link Ending#LEASE_LOST} when it failed for good (the
     *     lease then stays out: a durable frontier leases the request again when it resumes)
     */
    Ending end(String what, Supplier<Ending> ending) {
        Ending result = call(what, ending);
        if (result == null) {
            return Ending.LEASE_LOST;
        }
        if (!result.accepted()) {
            stats.inc(StatKeys.FRONTIER_LEASE_LOST);
            LOG.warn("{}: the lease had expired or ended; this ending was not stored", what);
        }
        return result;
    }

    /**
     * Transient failures of the frontier's store, told once for every thread: a warning when the
     * first call fails, one every {@link #WARN_EVERY} while calls go on failing (with how many
     * attempts failed), and a line when a call that failed goes through, which also ends the
     * backoff of every call waiting to try again. Warnings are never closer than {@link
     * #WARN_EVERY}, even when the store comes and goes.
     */
    private static final class Outage {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition back = lock.newCondition();
        private volatile boolean failing;
        // guarded by lock
        private long startedNanos;
        private long warnedNanos;
        private boolean warned; // ever
        private boolean told; // this outage
        private long failedAttempts;
        private long outages; // ended so far

        /** Counts a failed attempt; returns the outage it belongs to, for {@link #awaitBack}. */
        long failed(String what, FrontierException e) {
            lock.lock();
            try {
                long now = System.nanoTime();
                failedAttempts++;
                if (!failing) {
                    failing = true;
                    told = false;
                    startedNanos = now;
                }
                if (warned && now - warnedNanos < WARN_EVERY.toNanos()) {
                    return outages;
                }
                warned = true;
                warnedNanos = now;
                if (!told) {
                    told = true;
                    LOG.warn(
                            "the frontier could not {} ({}); trying again with backoff up to {} s,"
                                    + " this and every call that fails meanwhile (told every {} s)",
                            what,
                            e.getMessage(),
                            BACKOFF.max().toSeconds(),
                            WARN_EVERY.toSeconds());
                } else {
                    LOG.warn(
                            "the frontier is still failing after {} s ({} attempts failed); the"
                                    + " last could not {} ({})",
                            seconds(now - startedNanos),
                            failedAttempts,
                            what,
                            e.getMessage());
                }
                return outages;
            } finally {
                lock.unlock();
            }
        }

        void succeeded() {
            if (!failing) {
                return; // the common case: no lock
            }
            lock.lock();
            try {
                if (!failing) {
                    return;
                }
                failing = false;
                outages++;
                if (told) {
                    LOG.info(
                            "the frontier works again after {} s ({} attempts had failed)",
                            seconds(System.nanoTime() - startedNanos),
                            failedAttempts);
                }
                failedAttempts = 0;
                back.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits a backoff, or less when the outage a call failed in ends meanwhile (a failed call
         * went through); at least the backoff's base, so a store that comes and goes is never tried
         * in a tight loop.
         */
        void awaitBack(long during, long nanos) throws InterruptedException {
            long start = System.nanoTime();
            long minimum = Math.min(nanos, BACKOFF.base().toNanos());
            lock.lockInterruptibly();
            try {
                while (true) {
                    long until = outages == during ? nanos : minimum;
                    long elapsed = System.nanoTime() - start;
                    if (elapsed >= until) {
                        return;
                    }
                    back.awaitNanos(until - elapsed);
                }
            } finally {
                lock.unlock();
            }
        }

        private static String seconds(long nanos) {
            return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
        }
    }
}
