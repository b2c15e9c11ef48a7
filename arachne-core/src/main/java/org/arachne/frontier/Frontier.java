package org.arachne.frontier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;
import org.jspecify.annotations.Nullable;

/**
 * The queue of requests still to crawl, and the owner of politeness state. One contract, three
 * implementations: memory (default), SQLite (job dir) and Redis (many workers); {@code
 * FrontierContractTest} is its definition.
 *
 * <ul>
 *   <li>Requests are deduplicated by {@link Fingerprint} unless {@code dontFilter}, and kept in one
 *       queue per politeness slot.
 *   <li>{@link #take} picks the best request among slots that are ready now and takes that slot's
 *       permit in one atomic step, so a waiting slot never blocks another and no slot exceeds its
 *       concurrency or starts two requests closer than its gap.
 *   <li>The frontier owns each slot's numbers (next start, Crawl-delay floor, pause, error streak,
 *       AutoThrottle delay): the {@link SlotSignals} of a lease's ending go in, {@link
 *       org.arachne.politeness.Throttle} computes the new numbers, the frontier stores and enforces
 *       them. It never calls back into engine code under its lock.
 *   <li>Every taken request is a {@link Lease}, ended once by {@link #done}, {@link #retry} or
 *       {@link #fail}, each answering {@link Ending}: accepted, or lease-lost when the lease had
 *       expired (its request is then queued again) or was ended before. {@code done} is one atomic
 *       commit of the produced requests, the items (into the {@link #outbox()}) and the end.
 *   <li>The crawl is finished when nothing is queued and no lease is out ({@link #isFinished}).
 *   <li>A durable frontier may remember the pages its leases fetched (a {@code done} with a {@link
 *       FetchedPage}) and queue them again for a recrawl ({@link #requeueFetchedBefore}); the
 *       others ignore both.
 * </ul>
 *
 * <p>Thread-safety: all methods may be called from any thread at any time. Errors of the frontier's
 * store are {@link FrontierException}s.
 */
public interface Frontier extends AutoCloseable {

    /** Whether this frontier starts a crawl or resumes one; the engine seeds only a fresh one. */
    Opening opening();

    /**
     * Queues requests that no lease produced (start requests). Duplicates of requests seen before
     * are dropped unless {@code dontFilter}.
     *
     * @return how many were queued
     */
    int add(List<Request> requests);

    /**
     * Takes the best ready request, waiting up to {@code maxWait} for one. Returns early when a
     * slot becomes ready, when the frontier finishes, and when {@link #wakeUp} is called.
     *
     * @return the lease, or null when {@code maxWait} passed, the frontier is finished or closed,
     *     or {@link #wakeUp} was called
     * @throws InterruptedException when the waiting thread is interrupted
     */
    @Nullable Lease take(Duration maxWait) throws InterruptedException;

    /**
     * Says that the leased request is being sent now. The frontier then spaces the slot's next
     * start from this moment rather than from the take, so the gap a server sees between two starts
     * holds even when a lease's thread got to send late. A frontier for which this costs too much
     * (a round trip) may ignore it.
     */
    default void started(Lease lease) {}

    /**
     * Ends a lease whose response was handled, as one atomic step: queues the {@code produced}
     * requests (deduplicated), appends the items to the {@link #outbox()}, applies the signals to
     * the slot and releases its permit.
     *
     * @return accepted with how many produced requests were queued, or {@link Ending#LEASE_LOST}
     *     (then nothing was queued nor appended)
     */
    Ending done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals);

    /**
     * {@link #done(Lease, List, List, SlotSignals) Done}, for a lease that fetched a page: a
     * frontier that remembers pages for recrawls (the job dir's) keeps its {@link PageRecord}, the
     * time of this ending on the crawl's clock included, in the same atomic step, so no kill loses
     * it. By default (a frontier that keeps no pages) the page is ignored.
     */
    default Ending done(
            Lease lease,
            List<Request> produced,
            List<Item> items,
            SlotSignals signals,
            @Nullable FetchedPage page) {
        return done(lease, produced, items, signals);
    }

    /**
     * Ends a lease by queueing {@code request} (the leased one, possibly changed) again, to be
     * taken no earlier than {@code delay} from now. Bypasses deduplication.
     */
    Ending retry(Lease lease, Request request, Duration delay, String reason, SlotSignals signals);

    /**
     * Ends a lease for good: the request is a dead letter, kept with the reason and the status of
     * {@code signals} where the frontier keeps dead letters ({@link DeadLetterStore}).
     */
    Ending fail(Lease lease, String reason, SlotSignals signals);

    /**
     * Extends a lease that is still out by the frontier's lease duration from now.
     *
     * @return the lease with its new deadline, or null when it was lost (expired or ended)
     */
    @Nullable Lease renew(Lease lease);

    /**
     * Queues again, in one atomic step, every page this frontier remembers as fetched before {@code
     * fetchedBefore}: its request (bypassing deduplication) with its {@link PageRecord} in meta
     * {@link PageRecord#META}, ranked as a new request of its depth and priority. Called by the
     * engine on a finished frontier ({@code recrawl_after}); a frontier that keeps no pages queues
     * none.
     *
     * @return how many were queued
     * @throws IllegalStateException from a frontier that keeps pages, when a request is queued or a
     *     lease is out
     */
    default int requeueFetchedBefore(Instant fetchedBefore) {
        return 0;
    }

    /** Items committed by done leases, for the feed writer. */
    ItemOutbox outbox();

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
     * Counters of the crawl that earlier runs saved with {@link #saveCounters}; empty for a fresh
     * frontier and for one that keeps nothing.
     */
    default Map<String, Long> restoredCounters() {
        return Map.of();
    }

    /**
     * Keeps the crawl's counters so that a resumed run carries them over; called by the engine as
     * the crawl goes and at its end. A frontier that keeps nothing ignores it.
     */
    default void saveCounters(Map<String, Long> counters) {}

    /**
     * Records how this run of the crawl ended: the engine's status ({@code FINISHED}, {@code
     * STOPPED}, ...) and its reason. Called once by the engine as the crawl ends, before {@link
     * #close}. A durable frontier keeps it for {@code arachne jobs}, so a run that never got here
     * (killed) is known by its missing end; a frontier that keeps nothing ignores it.
     */
    default void runEnded(String status, String reason) {}

    /**
     * Figures of the frontier's own, keyed like the crawl's stats (for example {@code
     * scheduler/spilled_to_disk}, {@code dupefilter/seen}); values, not increments.
     */
    default Map<String, Long> stats() {
        return Map.of();
    }

    /** Makes every thread waiting in {@link #take} return null at once. */
    void wakeUp();

    /** Releases resources. Queued requests of a memory frontier are lost. */
    @Override
    void close();
}
