package org.arachne.frontier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * The queue of requests still to crawl, and the owner of politeness state. One contract, three
 * implementations: memory (default), SQLite (job dir) and Redis (many workers).
 *
 * <ul>
 *   <li>Requests are deduplicated by {@link Fingerprint} unless {@code dontFilter}, and kept in one
 *       queue per politeness slot.
 *   <li>{@link #take} picks the best request among slots that are ready now and takes that slot's
 *       permit in one atomic step, so a waiting slot never blocks another and no slot exceeds its
 *       concurrency or starts two requests closer than its delay.
 *   <li>Every taken request is a {@link Lease}, ended exactly once by {@link #done}, {@link #retry}
 *       or {@link #fail}. {@code done} is one atomic commit of the produced requests, the items and
 *       the end of the lease.
 *   <li>The crawl is finished when nothing is queued and no lease is out ({@link #isFinished}).
 * </ul>
 *
 * <p>Thread-safety: all methods may be called from any thread at any time.
 */
public interface Frontier extends AutoCloseable {

    /**
     * Queues requests that no lease produced (start requests). Duplicates of requests seen before
     * are dropped unless {@code dontFilter}.
     *
     * @return how many were queued
     */
    int add(List<Request> requests);

    /**
     * Takes the best ready request, waiting up to {@code maxWait} for one. Wakes up early when a
     * slot becomes ready or the frontier finishes.
     *
     * @return the lease, or null when {@code maxWait} passed or the frontier is finished
     * @throws InterruptedException when the waiting thread is interrupted
     */
    @Nullable Lease take(Duration maxWait) throws InterruptedException;

    /**
     * Says that the leased request is being sent now. The frontier then spaces the slot's next
     * start (delay, Crawl-delay floor) from this moment rather than from the take, so the gap a
     * server sees between two starts holds even when a lease's thread got to send late. A frontier
     * for which this costs too much (a round trip) may ignore it.
     */
    default void started(Lease lease) {}

    /**
     * Ends a lease whose response was handled: queues the {@code produced} requests (deduplicated),
     * hands the items to the item sink, and releases the slot permit, as one step.
     *
     * @return how many of the produced requests were queued (the rest were duplicates)
     */
    int done(Lease lease, List<Request> produced, List<Item> items);

    /**
     * Ends a lease by queueing {@code request} (the leased one, possibly changed) again, to be
     * taken no earlier than {@code delay} from now. Bypasses deduplication.
     */
    void retry(Lease lease, Request request, Duration delay, String reason);

    /** Ends a lease for good: the request goes to the dead-letter sink with the reason. */
    void fail(Lease lease, String reason);

    /** True when no request is queued and no lease is out. */
    boolean isFinished();

    /**
     * Waits until {@link #isFinished()} or the timeout passes.
     *
     * @return whether the frontier is finished
     */
    boolean awaitFinished(Duration timeout) throws InterruptedException;

    /** Requests queued (including those waiting for a not-before time). */
    long queuedCount();

    /** Leases out. */
    int leasedCount();

    /**
     * Figures of the frontier's own, keyed like {@link org.arachne.engine.Stats} (for example
     * {@code scheduler/spilled_to_disk}, {@code dupefilter/seen}); values, not increments.
     */
    default Map<String, Long> stats() {
        return Map.of();
    }

    /** Wakes every thread waiting in {@link #take}, which then returns null. */
    void wakeUp();

    /** Releases resources. Queued requests of a memory frontier are lost. */
    @Override
    void close();

    /** The rules the frontier enforces per slot; computed by the politeness policies. */
    interface SlotPolicy {
        /**
         * One slot per host, no limit on concurrency, no delay: a frontier as a plain ordered and
         * deduplicated queue, for tools and benchmarks.
         */
        static SlotPolicy perHostUnlimited() {
            return new SlotPolicy() {
                @Override
                public String slotOf(Request request) {
                    return request.host();
                }

                @Override
                public int concurrency(String slot) {
                    return Integer.MAX_VALUE;
                }

                @Override
                public Duration delayAfterStart(String slot) {
                    return Duration.ZERO;
                }
            };
        }

        /** The slot of a request: its domain, or its IP address when slots are per IP. */
        String slotOf(Request request);

        /** How many leases of this slot may be out at once. */
        int concurrency(String slot);

        /**
         * The minimum gap between this start and the next start in the slot; may be randomised, so
         * it is asked once per start.
         */
        Duration delayAfterStart(String slot);

        /**
         * The least gap between starts in the slot as known now (for example a robots.txt {@code
         * Crawl-delay} learned during a lease). The frontier applies it again when a lease ends, so
         * a floor learned during a lease also spaces the next start from that lease's start.
         */
        default Duration minimumDelay(String slot) {
            return Duration.ZERO;
        }

        /**
         * How much longer the whole slot is paused (for example by a {@code Retry-After}); the
         * frontier starts none of its requests before then. Asked when a lease of the slot ends.
         */
        default Duration pauseRemaining(String slot) {
            return Duration.ZERO;
        }
    }

    /** Where a frontier hands what ended: items of done leases, and failed requests. */
    interface Sink {
        /** Drops items and failed requests: for tools and benchmarks that only need the queue. */
        Sink DISCARD =
                new Sink() {
                    @Override
                    public void items(List<Item> items) {}

                    @Override
                    public void deadLetter(Request request, String reason) {}
                };

        /** Items of one done lease, in the order the callback produced them. */
        void items(List<Item> items);

        /** A request that failed for good. */
        void deadLetter(Request request, String reason);
    }
}
