package org.arachne.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
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
 * capped backoff (50 ms doubling to 5 s, so about two minutes in all, with a warning every few
 * attempts, never a tight loop); any other failure, or a transient one that outlasts the attempts,
 * stops the crawl cleanly through {@code onFatal}. Counts {@code frontier/retries} and {@code
 * frontier/lease_lost}.
 */
final class FrontierCalls {
    private static final Logger LOG = LoggerFactory.getLogger(FrontierCalls.class);

    /** Attempts at a call whose failures are transient: about two minutes of backoff. */
    static final int MAX_ATTEMPTS = 30;

    private static final int WARN_EVERY_ATTEMPTS = 4;
    private static final Backoff BACKOFF =
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

    private final Stats stats;
    private final Consumer<FrontierException> onFatal;

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
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (FrontierException e) {
                if (!e.isTransient() || attempt >= MAX_ATTEMPTS) {
                    onFatal.accept(e);
                    return null;
                }
                stats.inc(StatKeys.FRONTIER_RETRIES);
                if (attempt % WARN_EVERY_ATTEMPTS == 1) {
                    LOG.warn(
                            "the frontier could not {} ({}); trying again (attempt {} of {})",
                            what,
                            e.getMessage(),
                            attempt,
                            MAX_ATTEMPTS);
                }
                LockSupport.parkNanos(
                        BACKOFF.after(attempt, ThreadLocalRandom.current()).toNanos());
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while the frontier failed");
                }
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
        LOG.warn(
                "the frontier could not {} ({}); its request is queued again",
                what,
                e.getMessage());
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
}
