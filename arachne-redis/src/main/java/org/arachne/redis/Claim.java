package org.arachne.redis;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.arachne.frontier.FrontierException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key of the crawl that this process holds while it renews it ({@code control/claim.lua}): the
 * crawl's stream has one reader ({@code claim:export}) and a worker's name one process ({@code
 * claim:worker:<name>}, also held by an export of that worker's stream). A holder that dies loses
 * its claim {@link #LASTS} after its last renewal; renewals come every third of that, on a thread
 * of their own, and may carry the worker's entry for {@code arachne status}.
 *
 * <p>A renewal that fails because Redis cannot be reached is logged and tried again at the next
 * one; a claim found in another's hands (this one expired meanwhile) is lost: {@code onLost} is
 * told once and the renewals end.
 */
final class Claim implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Claim.class);

    /** How long a claim lasts without a renewal. */
    static final Duration LASTS = Duration.ofSeconds(6);

    private final RedisCrawl crawl;
    private final String key;
    private final String holder;
    private final @Nullable String worker;
    private final @Nullable Supplier<String> entry;
    private final Consumer<String> onLost;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final ScheduledExecutorService renewals =
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("arachne-claim").factory());

    private Claim(
            RedisCrawl crawl,
            String key,
            @Nullable String worker,
            @Nullable Supplier<String> entry,
            Consumer<String> onLost) {
        this.crawl = crawl;
        this.key = key;
        this.holder =
                WorkerRegistration.host()
                        + ":"
                        + ProcessHandle.current().pid()
                        + ":"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.worker = worker;
        this.entry = entry;
        this.onLost = onLost;
    }

    /**
     * Takes the claim {@code key}, waiting up to {@code wait} for another holder's to end or
     * expire, and renews it until {@link #close}.
     *
     * @param what what it guards, for the message when it is held: {@code worker name 'w1'}
     * @param worker the worker whose entry the renewals write, or null
     * @param entry the entry as JSON, asked for at each renewal; null with no worker
     * @throws FrontierException of kind {@code IN_USE} when another process holds it still, naming
     *     that process; another kind when Redis cannot be reached
     */
    static Claim take(
            RedisCrawl crawl,
            String key,
            String what,
            Duration wait,
            @Nullable String worker,
            @Nullable Supplier<String> entry,
            Consumer<String> onLost)
            throws InterruptedException {
        Claim claim = new Claim(crawl, key, worker, entry, onLost);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Object> reply = claim.call("hold");
            if (RedisCrawl.number(reply.get(0)) == 1) {
                long period = LASTS.toMillis() / 3;
                claim.renewals.scheduleWithFixedDelay(
                        claim::renew, period, period, TimeUnit.MILLISECONDS);
                return claim;
            }
            long lastsMillis = Math.max(1, RedisCrawl.number(reply.get(2)));
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                claim.renewals.shutdownNow();
                throw new FrontierException(
                        crawl.where()
                                + ": "
                                + what
                                + " of crawl '"
                                + crawl.crawl()
                                + "' is in use by "
                                + describe(String.valueOf(reply.get(1)))
                                + String.format(
                                        Locale.ROOT,
                                        " (its claim lasts %.1f s more unless renewed)",
                                        lastsMillis / 1000.0),
                        FrontierException.Kind.IN_USE,
                        false,
                        null);
            }
            awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(lastsMillis + 20)));
        }
    }

    /** {@code process 1234 on host-a} from a holder {@code host-a:1234:<random>}. */
    static String describe(String holder) {
        String[] parts = holder.split(":", -1);
        return parts.length >= 2 ? "process " + parts[1] + " on " + parts[0] : holder;
    }

    private void renew() {
        if (lost.get() || released.get()) {
            return;
        }
        try {
            List<Object> reply = call("hold");
            if (RedisCrawl.number(reply.get(0)) == 0 && lost.compareAndSet(false, true)) {
                renewals.shutdown();
                onLost.accept(
                        "lost its claim on "
                                + key.substring(key.lastIndexOf(':') + 1)
                                + " of crawl '"
                                + crawl.crawl()
                                + "' to "
                                + describe(String.valueOf(reply.get(1))));
            }
        } catch (FrontierException e) {
            log.warn("crawl {}: cannot renew {}: {}", crawl.crawl(), key, e.getMessage());
        }
    }

    /** Whether another process took this claim (after it expired unrenewed). */
    boolean lost() {
        return lost.get();
    }

    /**
     * Ends the renewals and gives the claim up, writing the worker's last entry first; a failure is
     * logged (the claim then expires by itself).
     */
    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        renewals.shutdownNow();
        try {
            renewals.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lost.get()) {
            return;
        }
        try {
            call("release");
        } catch (FrontierException e) {
            log.warn(
                    "crawl {}: cannot give up {} (it expires in {} s): {}",
                    crawl.crawl(),
                    key,
                    LASTS.toSeconds(),
                    e.getMessage());
        }
    }

    private List<Object> call(String mode) {
        String millis = Long.toString(LASTS.toMillis());
        if (worker == null || entry == null) {
            return crawl.eval(RedisCrawl.Control.CLAIM, "hold " + key, key, holder, millis, mode);
        }
        return crawl.eval(
                RedisCrawl.Control.CLAIM,
                "hold " + key,
                key,
                holder,
                millis,
                mode,
                worker,
                entry.get());
    }

    /** Waits until a deadline (a claim's expiry), not polling: nothing else can end it sooner. */
    private static void awaitNanos(long nanos) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Condition never = lock.newCondition();
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (left > 0) {
                left = never.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
