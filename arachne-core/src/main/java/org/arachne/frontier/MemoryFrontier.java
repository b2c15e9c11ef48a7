package org.arachne.frontier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotRule;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.SlotState;
import org.arachne.politeness.Throttle;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default frontier: one process, one lock. Requests wait in one {@link SlotQueue} per slot;
 * slots that may start a request now are kept in a set ordered by their best request, and slots
 * that wait for their gap in a set ordered by the time they may start, so {@link #take} costs O(log
 * slots) and a waiting slot never blocks a ready one.
 *
 * <p>Memory is bounded: past {@link FrontierSetup#memoryQueueLimit} queued requests, all but the
 * next few of each slot go to spill files on disk, in an order-preserving way (see {@link
 * SlotQueue}), and come back as they are needed; the files are deleted as they are read and at
 * {@link #close}. A slot with nothing queued and nothing in flight leaves the slot index; its
 * politeness numbers wait in a bounded cache for {@link #IDLE_SLOT_MEMORY} in case it comes back.
 *
 * <p>Time comes from the setup's {@link Ticker}, so tests can move it; {@link #take} with a zero
 * wait never blocks. Leases expire after the setup's lease duration unless renewed; an expired
 * lease's request is queued again. Nothing survives the process: it always opens {@link
 * Opening#FRESH}.
 */
public final class MemoryFrontier implements Frontier {
    private static final Logger log = LoggerFactory.getLogger(MemoryFrontier.class);

    /** How long an idle slot's politeness numbers are kept, and how many at most. */
    static final Duration IDLE_SLOT_MEMORY = Duration.ofMinutes(10);

    private static final int IDLE_SLOTS_MAX = 100_000;

    private final SlotRules rules;
    private final Throttle throttle;
    private final Ticker ticker;
    private final Duration leaseDuration;
    private final long memoryQueueLimit;
    private final CrawlOrder order;
    private final @Nullable SeenSet seen;
    private final Comparator<QueuedRequest> entryOrder;
    private final SpillFiles disk;
    private final MemoryOutbox outbox = new MemoryOutbox();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Slot> slots = new HashMap<>();
    private final Cache<String, IdleSlot> idleSlots;
    private final TreeSet<Slot> ready;
    private final TreeSet<Slot> waiting;
    private final PriorityQueue<QueuedRequest> deferred =
            new PriorityQueue<>(Comparator.comparingLong(QueuedRequest::notBeforeNanos));
    private final Map<String, LeaseState> leases = new HashMap<>();
    private final Map<String, Long> delaysSetBy = new LinkedHashMap<>();
    private long queued;
    private long sequence;
    private long nextLeaseId;
    private long slotIds;
    private long spillAt;
    private long maxInMemory;
    private long expiredLeases;
    private long wakeUps;
    private long earliestDeadlineNanos = Long.MAX_VALUE;
    private boolean closed;

    /**
     * Whether any slot has had a gap after its starts; until then {@link #started} has nothing to
     * move and skips the lock (crawls without delays call it once per request).
     */
    private volatile boolean anyDelay;

    /** Opens an empty frontier for this setup. */
    public MemoryFrontier(FrontierSetup setup) {
        this.rules = setup.rules();
        this.throttle = setup.throttle();
        this.ticker = setup.ticker();
        this.leaseDuration = setup.leaseDuration();
        this.memoryQueueLimit = setup.memoryQueueLimit();
        this.order = setup.order();
        this.seen = setup.dedup() == null ? null : setup.dedup().newSeenSet();
        this.disk = new SpillFiles(setup.spillDirectory());
        this.spillAt = memoryQueueLimit;
        this.idleSlots =
                Caffeine.newBuilder()
                        .ticker(ticker::nanos)
                        .executor(Runnable::run)
                        .expireAfterWrite(IDLE_SLOT_MEMORY)
                        .maximumSize(IDLE_SLOTS_MAX)
                        .build();
        Comparator<QueuedRequest> byPriority =
                (a, b) -> Integer.compare(b.request.priority(), a.request.priority());
        this.entryOrder =
                order == CrawlOrder.BFS
                        ? byPriority
                                .thenComparingInt(e -> e.request.depth())
                                .thenComparingLong(e -> e.sequence)
                        : byPriority
                                .thenComparing(
                                        (a, b) ->
                                                Integer.compare(
                                                        b.request.depth(), a.request.depth()))
                                .thenComparingLong(e -> -e.sequence);
        this.ready =
                new TreeSet<>(
                        (a, b) -> {
                            int c = entryOrder.compare(a.queue.peek(), b.queue.peek());
                            return c != 0 ? c : Long.compare(a.id, b.id);
                        });
        this.waiting =
                new TreeSet<>(
                        Comparator.<Slot>comparingLong(s -> s.nextStartNanos)
                                .thenComparingLong(s -> s.id));
    }

    @Override
    public Opening opening() {
        return Opening.FRESH;
    }

    @Override
    public int add(List<Request> requests) {
        Prepared prepared = prepare(requests);
        lock.lock();
        try {
            int added = enqueue(prepared);
            if (added > 0) {
                changed.signalAll();
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /** Requests with their slots and fingerprints (null where not deduplicated). */
    private record Prepared(List<QueuedRequest> requests, @Nullable Fingerprint[] fingerprints) {}

    /** Fingerprints and slots are computed outside the lock: both may be slow (DNS, hashing). */
    private Prepared prepare(List<Request> requests) {
        List<QueuedRequest> queuedRequests = new ArrayList<>(requests.size());
        Fingerprint[] fingerprints = new Fingerprint[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            fingerprints[i] = seen != null && !r.dontFilter() ? Fingerprint.of(r) : null;
            queuedRequests.add(new QueuedRequest(r, rules.slotOf(r)));
        }
        return new Prepared(queuedRequests, fingerprints);
    }

    private int enqueue(Prepared prepared) {
        int added = 0;
        long now = ticker.nanos();
        for (int i = 0; i < prepared.requests.size(); i++) {
            Fingerprint fingerprint = prepared.fingerprints[i];
            if (fingerprint != null && !seen.add(fingerprint)) {
                continue;
            }
            queue(prepared.requests.get(i), now);
            queued++;
            added++;
        }
        spillIfOverLimit();
        return added;
    }

    /** Puts a request in its slot's queue, at the end of its priority and depth. */
    private void queue(QueuedRequest q, long now) {
        q.sequence = sequence++;
        Slot slot = slot(q.slot);
        unindex(slot);
        slot.queue.add(q);
        index(slot, now);
    }

    private void spillIfOverLimit() {
        long inMemory = queued - disk.onDisk();
        maxInMemory = Math.max(maxInMemory, inMemory);
        if (inMemory <= spillAt) {
            return;
        }
        boolean first = disk.written() == 0;
        long buckets = 0;
        for (Slot slot : slots.values()) {
            buckets += slot.queue.bucketCount();
        }
        // Keep the next requests of every bucket in memory, half the limit in all, so that
        // spilling happens once per half a limit of new requests, not once per request.
        int keep =
                (int) Math.min(SlotQueue.CHUNK_SIZE, memoryQueueLimit / 2 / Math.max(1, buckets));
        for (Slot slot : slots.values()) {
            slot.queue.spill(keep); // never changes a slot's best request, so indexes hold
        }
        long after = queued - disk.onDisk();
        spillAt = Math.max(memoryQueueLimit, after + memoryQueueLimit / 2);
        if (first && disk.written() > 0) {
            log.info(
                    "the frontier holds more than {} queued requests; the rest wait in {}",
                    memoryQueueLimit,
                    disk.directory());
        }
    }

    /** The slot of this key, made (with what its idle past left) when it has none. */
    private Slot slot(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            slot = new Slot(key, slotIds++, rules.ruleOf(key), new SlotQueue(order, disk));
            IdleSlot past = idleSlots.getIfPresent(key);
            if (past != null) {
                idleSlots.invalidate(key);
                slot.politeness = past.politeness;
                slot.nextStartNanos = past.nextStartNanos;
                slot.lastGapReason = past.lastGapReason;
            }
            slots.put(key, slot);
        }
        return slot;
    }

    @Override
    public @Nullable Lease take(Duration maxWait) throws InterruptedException {
        long deadline = ticker.nanos() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            long wakeUpsAtStart = wakeUps;
            while (true) {
                long now = ticker.nanos();
                expireLeases(now);
                promote(now);
                if (closed || isFinishedLocked() || wakeUps != wakeUpsAtStart) {
                    return null;
                }
                Slot slot = ready.pollFirst();
                if (slot != null) {
                    slot.state = State.NONE;
                    return lease(slot, now);
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return null;
                }
                long wait = Math.min(remaining, nextEventNanos(now));
                if (leases.isEmpty()) {
                    ticker.idle(changed, wait); // only time can make a slot ready now
                } else {
                    changed.awaitNanos(wait);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves due deferred entries into their slots and due waiting slots into the ready set. */
    private void promote(long now) {
        while (!deferred.isEmpty() && deferred.peek().notBeforeNanos <= now) {
            queue(deferred.poll(), now);
        }
        while (!waiting.isEmpty() && waiting.first().nextStartNanos <= now) {
            Slot slot = waiting.pollFirst();
            slot.state = State.NONE;
            index(slot, now);
        }
    }

    private long nextEventNanos(long now) {
        long next =
                earliestDeadlineNanos == Long.MAX_VALUE
                        ? Long.MAX_VALUE
                        : earliestDeadlineNanos - now;
        if (!waiting.isEmpty()) {
            next = Math.min(next, waiting.first().nextStartNanos - now);
        }
        if (!deferred.isEmpty()) {
            next = Math.min(next, deferred.peek().notBeforeNanos - now);
        }
        return Math.max(1, next);
    }

    private Lease lease(Slot slot, long now) {
        int before = slot.queue.size();
        QueuedRequest e = slot.queue.poll();
        queued -= before - slot.queue.size(); // more than one when a chunk could not be read
        maxInMemory = Math.max(maxInMemory, queued - disk.onDisk());
        slot.inFlight++;
        Throttle.Gap gap = throttle.gapAfterStart(slot.rule, slot.politeness);
        if (gap.nanos() > 0) {
            anyDelay = true;
            delaysSetBy.merge(gap.reason(), 1L, Long::sum);
            if (!gap.reason().equals(slot.lastGapReason)) {
                slot.lastGapReason = gap.reason();
                log.debug(
                        "slot {}: delay {} ms, set by {}",
                        slot.key,
                        gap.nanos() / 1_000_000,
                        gap.reason());
            }
        }
        long previousNextStart = slot.nextStartNanos;
        slot.nextStartNanos = now + gap.nanos();
        index(slot, now);
        String token = Long.toString(nextLeaseId++);
        long deadlineNanos = now + leaseDuration.toNanos();
        leases.put(
                token, new LeaseState(slot, e, now, gap.nanos(), previousNextStart, deadlineNanos));
        earliestDeadlineNanos = Math.min(earliestDeadlineNanos, deadlineNanos);
        return new Lease(token, e.request, slot.key, ticker.now().plus(leaseDuration));
    }

    /**
     * Moves the lease's start to now: the slot's next start is then at least its gap after the
     * moment the request was sent, however late its thread got to send it.
     */
    @Override
    public void started(Lease lease) {
        if (!anyDelay) {
            return;
        }
        lock.lock();
        try {
            LeaseState state = leases.get(lease.token());
            if (state == null) {
                return;
            }
            long now = ticker.nanos();
            state.startNanos = now;
            Slot slot = state.slot;
            long next = now + state.gapNanos;
            if (state.gapNanos > 0 && next > slot.nextStartNanos) {
                unindex(slot);
                slot.nextStartNanos = next;
                index(slot, now);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
        Prepared prepared = prepare(produced);
        lock.lock();
        try {
            LeaseState state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            int added = enqueue(prepared);
            if (!items.isEmpty()) {
                outbox.append(lease.request(), items);
            }
            release(state, signals);
            return Ending.accepted(added);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending retry(
            Lease lease, Request request, Duration delay, String reason, SlotSignals signals) {
        QueuedRequest again = new QueuedRequest(request, rules.slotOf(request));
        lock.lock();
        try {
            LeaseState state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            defer(again, ticker.nanos() + Math.max(0, delay.toNanos()));
            release(state, signals);
            return Ending.accepted(0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending fail(Lease lease, String reason, SlotSignals signals) {
        lock.lock();
        try {
            LeaseState state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            release(state, signals);
            return Ending.accepted(0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public @Nullable Lease renew(Lease lease) {
        lock.lock();
        try {
            long now = ticker.nanos();
            expireLeases(now);
            LeaseState state = leases.get(lease.token());
            if (state == null) {
                return null;
            }
            state.deadlineNanos = now + leaseDuration.toNanos();
            return lease.withDeadline(ticker.now().plus(leaseDuration));
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lease out of the leases in force; null when it is not (expired, or ended). */
    private @Nullable LeaseState endLease(Lease lease) {
        expireLeases(ticker.nanos());
        return leases.remove(lease.token());
    }

    private void defer(QueuedRequest q, long notBeforeNanos) {
        q.notBeforeNanos = notBeforeNanos;
        deferred.add(q);
        queued++;
    }

    /**
     * Queues again the requests of leases past their deadline (their worker is presumed dead) and
     * frees their permits. Cheap when none can be due: deadlines only move later, so the earliest
     * one seen is a lower bound.
     */
    private void expireLeases(long now) {
        if (now < earliestDeadlineNanos) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (Iterator<LeaseState> it = leases.values().iterator(); it.hasNext(); ) {
            LeaseState state = it.next();
            if (state.deadlineNanos <= now) {
                it.remove();
                expiredLeases++;
                log.warn(
                        "lease of {} expired unrenewed; its request is queued again",
                        Urls.redacted(state.entry.request.url()));
                defer(new QueuedRequest(state.entry.request, state.entry.slot), now);
                release(state, SlotSignals.NONE); // it may have been sent: its start counts
            } else {
                earliest = Math.min(earliest, state.deadlineNanos);
            }
        }
        earliestDeadlineNanos = earliest;
    }

    /**
     * Frees a lease's permit and applies its ending's signals to the slot. A lease whose request
     * was never sent gives its start back, unless another start moved the slot since.
     */
    private void release(LeaseState state, SlotSignals signals) {
        Slot slot = state.slot;
        long now = ticker.nanos();
        unindex(slot);
        slot.inFlight--;
        if (signals != SlotSignals.NONE && signals != SlotSignals.NOT_SENT) {
            slot.politeness = throttle.afterEnding(slot.key, slot.politeness, signals, now);
        }
        long fromStart = Long.MIN_VALUE;
        if (signals.sent()) {
            long minimumGap = slot.politeness.minimumGapNanos();
            if (minimumGap > 0) {
                anyDelay = true;
            }
            fromStart = state.startNanos + minimumGap;
        } else if (slot.nextStartNanos == state.startNanos + state.gapNanos) {
            slot.nextStartNanos = state.previousNextStartNanos;
        }
        slot.nextStartNanos =
                Math.max(
                        slot.nextStartNanos,
                        Math.max(fromStart, slot.politeness.pausedUntilNanos()));
        index(slot, now);
        if (slot.state == State.NONE && slot.queue.isEmpty() && slot.inFlight == 0) {
            slots.remove(slot.key); // idle: its numbers wait in the cache in case it comes back
            if (!slot.politeness.equals(SlotState.INITIAL) || slot.nextStartNanos > now) {
                idleSlots.put(
                        slot.key,
                        new IdleSlot(slot.politeness, slot.nextStartNanos, slot.lastGapReason));
            }
        }
        changed.signalAll();
    }

    private void unindex(Slot slot) {
        switch (slot.state) {
            case READY -> ready.remove(slot);
            case WAITING -> waiting.remove(slot);
            case NONE -> {}
        }
        slot.state = State.NONE;
    }

    private void index(Slot slot, long now) {
        if (slot.queue.isEmpty() || slot.inFlight >= slot.rule.concurrency()) {
            slot.state = State.NONE;
        } else if (slot.nextStartNanos <= now) {
            slot.state = State.READY;
            ready.add(slot);
        } else {
            slot.state = State.WAITING;
            waiting.add(slot);
        }
    }

    @Override
    public ItemOutbox outbox() {
        return outbox;
    }

    @Override
    public boolean isFinished() {
        lock.lock();
        try {
            return isFinishedLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean isFinishedLocked() {
        return queued == 0 && leases.isEmpty();
    }

    @Override
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = ticker.nanos() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = ticker.nanos();
                expireLeases(now);
                promote(now);
                if (isFinishedLocked()) {
                    return true;
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(remaining, nextEventNanos(now)));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long queuedCount() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int leasedCount() {
        lock.lock();
        try {
            return leases.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeUp() {
        lock.lock();
        try {
            wakeUps++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Long> stats() {
        lock.lock();
        try {
            Map<String, Long> stats = new LinkedHashMap<>();
            stats.put("scheduler/max_in_memory", maxInMemory);
            if (disk.written() > 0) {
                stats.put("scheduler/spilled_to_disk", disk.written());
                stats.put("scheduler/read_from_disk", disk.readBack());
                stats.put("scheduler/on_disk", disk.onDisk());
                stats.put("scheduler/disk_bytes", disk.bytesOnDisk());
            }
            if (disk.errors() > 0) {
                stats.put("scheduler/disk_errors", disk.errors());
                stats.put("scheduler/lost_from_disk", disk.lost());
            }
            if (seen != null) {
                stats.put("dupefilter/seen", seen.size());
                stats.put("dupefilter/heap_bytes", seen.heapBytes());
            }
            if (expiredLeases > 0) {
                stats.put("frontier/leases_expired", expiredLeases);
            }
            delaysSetBy.forEach((reason, n) -> stats.put("politeness/delay_set_by/" + reason, n));
            return stats;
        } finally {
            lock.unlock();
        }
    }

    /** Where spill files are written, once the first one was; for tests. */
    @Nullable Path spillDirectory() {
        lock.lock();
        try {
            return disk.directory();
        } finally {
            lock.unlock();
        }
    }

    /** Stops every {@link #take} and deletes the spill files; queued requests are lost. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            try {
                disk.close();
            } catch (IOException e) {
                log.warn("could not delete the frontier's spill files in {}", disk.directory(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A lease in force: its slot and queue entry, when its request started, the gap it set and when
     * it expires.
     */
    private static final class LeaseState {
        final Slot slot;
        final QueuedRequest entry;
        final long gapNanos;
        final long previousNextStartNanos;
        long startNanos;
        long deadlineNanos;

        LeaseState(
                Slot slot,
                QueuedRequest entry,
                long startNanos,
                long gapNanos,
                long previousNextStartNanos,
                long deadlineNanos) {
            this.slot = slot;
            this.entry = entry;
            this.startNanos = startNanos;
            this.gapNanos = gapNanos;
            this.previousNextStartNanos = previousNextStartNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** What an idle slot leaves behind for when it comes back. */
    private record IdleSlot(
            SlotState politeness, long nextStartNanos, @Nullable String lastGapReason) {}

    private enum State {
        NONE,
        READY,
        WAITING
    }

    private static final class Slot {
        final String key;
        final long id;
        final SlotRule rule;
        final SlotQueue queue;
        SlotState politeness = SlotState.INITIAL;
        @Nullable String lastGapReason;
        int inFlight;
        long nextStartNanos = Long.MIN_VALUE;
        State state = State.NONE;

        Slot(String key, long id, SlotRule rule, SlotQueue queue) {
            this.key = key;
            this.id = id;
            this.rule = rule;
            this.queue = queue;
        }
    }
}
