package org.arachne.frontier;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.frontier.SlotSchedule.LeaseState;
import org.arachne.frontier.SlotSchedule.Slot;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default frontier: one process, one lock. Requests wait in one {@link SlotQueue} per slot; the
 * slots, their politeness and the leases are a {@link SlotSchedule}, so {@link #take} costs O(log
 * slots) and a waiting slot never blocks a ready one.
 *
 * <p>Memory is bounded: past {@link FrontierSetup#memoryQueueLimit} queued requests, all but the
 * next few of each slot go to spill files on disk, in an order-preserving way (see {@link
 * SlotQueue}), and come back as they are needed; the files are deleted as they are read and at
 * {@link #close}. A slot with nothing queued and nothing in flight leaves the slot index; its
 * politeness numbers wait in a bounded cache for {@link SlotSchedule#IDLE_SLOT_MEMORY} in case it
 * comes back.
 *
 * <p>Time comes from the setup's {@link Ticker}, so tests can move it; {@link #take} with a zero
 * wait never blocks. Leases expire after the setup's lease duration unless renewed; an expired
 * lease's request is queued again. Nothing survives the process: it always opens {@link
 * Opening#FRESH}.
 */
public final class MemoryFrontier implements Frontier {
    private static final Logger log = LoggerFactory.getLogger(MemoryFrontier.class);

    private final SlotRules rules;
    private final Ticker ticker;
    private final long memoryQueueLimit;
    private final CrawlOrder order;
    private final @Nullable SeenSet seen;
    private final SpillFiles disk;
    private final MemoryOutbox outbox = new MemoryOutbox();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final SlotSchedule<QueuedRequest, SlotQueue> schedule;
    private final PriorityQueue<QueuedRequest> deferred =
            new PriorityQueue<>(Comparator.comparingLong(QueuedRequest::notBeforeNanos));
    private long queued;
    private long sequence;
    private long slotIds;
    private long spillAt;
    private long maxInMemory;
    private long wakeUps;
    private boolean closed;

    /** Opens an empty frontier for this setup. */
    public MemoryFrontier(FrontierSetup setup) {
        this.rules = setup.rules();
        this.ticker = setup.ticker();
        this.memoryQueueLimit = setup.memoryQueueLimit();
        this.order = setup.order();
        this.seen = setup.dedup() == null ? null : setup.dedup().newSeenSet();
        this.disk = new SpillFiles(setup.spillDirectory());
        this.spillAt = memoryQueueLimit;
        Comparator<QueuedRequest> byPriority =
                (a, b) -> Integer.compare(b.request.priority(), a.request.priority());
        Comparator<QueuedRequest> entryOrder =
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
        this.schedule =
                new SlotSchedule<>(
                        setup,
                        entryOrder,
                        new SlotSchedule.Owner<>() {
                            @Override
                            public SlotQueue newQueue(String key) {
                                return new SlotQueue(order, disk);
                            }

                            @Override
                            public long id(String key) {
                                return slotIds++;
                            }

                            @Override
                            public void queueAgain(LeaseState<QueuedRequest, SlotQueue> expired) {
                                queueExpired(expired);
                            }
                        },
                        changed,
                        log);
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
        var slot = schedule.slot(q.slot);
        schedule.unindex(slot);
        slot.queue.add(q);
        schedule.index(slot, now);
    }

    private void spillIfOverLimit() {
        long inMemory = queued - disk.onDisk();
        maxInMemory = Math.max(maxInMemory, inMemory);
        if (inMemory <= spillAt) {
            return;
        }
        boolean first = disk.written() == 0;
        long buckets = 0;
        for (var slot : schedule.slots()) {
            buckets += slot.queue.bucketCount();
        }
        // Keep the next requests of every bucket in memory, half the limit in all, so that
        // spilling happens once per half a limit of new requests, not once per request.
        int keep =
                (int) Math.min(SlotQueue.CHUNK_SIZE, memoryQueueLimit / 2 / Math.max(1, buckets));
        for (var slot : schedule.slots()) {
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
                var slot = schedule.pollReady();
                if (slot != null) {
                    return lease(slot, now);
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return null;
                }
                long wait = Math.min(remaining, nextEventNanos(now));
                if (schedule.leaseCount() == 0) {
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
        schedule.promoteWaiting(now);
    }

    private long nextEventNanos(long now) {
        return schedule.nanosUntilNextEvent(
                now, deferred.isEmpty() ? Long.MAX_VALUE : deferred.peek().notBeforeNanos - now);
    }

    private Lease lease(Slot<QueuedRequest, SlotQueue> slot, long now) {
        int before = slot.queue.size();
        QueuedRequest e = slot.queue.poll();
        queued -= before - slot.queue.size(); // more than one when a chunk could not be read
        maxInMemory = Math.max(maxInMemory, queued - disk.onDisk());
        return schedule.lease(slot, e, e.request, now);
    }

    /**
     * Moves the lease's start to now: the slot's next start is then at least its gap after the
     * moment the request was sent, however late its thread got to send it.
     */
    @Override
    public void started(Lease lease) {
        if (!schedule.anyDelay()) {
            return;
        }
        lock.lock();
        try {
            schedule.started(lease.token());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
        Prepared prepared = prepare(produced);
        lock.lock();
        try {
            var state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            int added = enqueue(prepared);
            if (!items.isEmpty()) {
                outbox.append(lease.request(), items);
            }
            schedule.release(state, signals);
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
            var state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            defer(again, ticker.nanos() + Math.max(0, delay.toNanos()));
            schedule.release(state, signals);
            return Ending.accepted(0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Ending fail(Lease lease, String reason, SlotSignals signals) {
        lock.lock();
        try {
            var state = endLease(lease);
            if (state == null) {
                return Ending.LEASE_LOST;
            }
            schedule.release(state, signals);
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
            return schedule.renew(lease, now);
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lease out of the leases in force; null when it is not (expired, or ended). */
    private @Nullable LeaseState<QueuedRequest, SlotQueue> endLease(Lease lease) {
        return schedule.endLease(lease.token());
    }

    private void defer(QueuedRequest q, long notBeforeNanos) {
        q.notBeforeNanos = notBeforeNanos;
        deferred.add(q);
        queued++;
    }

    /** Queues again the requests of leases past their deadline, and frees their permits. */
    private void expireLeases(long now) {
        schedule.expireLeases(now);
    }

    /** Queues again, at once, the request of a lease that expired. */
    private void queueExpired(LeaseState<QueuedRequest, SlotQueue> expired) {
        defer(new QueuedRequest(expired.entry.request, expired.entry.slot), ticker.nanos());
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
        return queued == 0 && schedule.leaseCount() == 0;
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
            return schedule.leaseCount();
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
            schedule.addStats(stats);
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
}
