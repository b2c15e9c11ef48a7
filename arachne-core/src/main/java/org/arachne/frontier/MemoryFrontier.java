package org.arachne.frontier;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default frontier: one process, one lock. Requests wait in one {@link SlotQueue} per slot;
 * slots that may start a request now are kept in a set ordered by their best request, and slots
 * that wait for their delay in a set ordered by the time they may start, so {@link #take} costs
 * O(log slots) and a waiting slot never blocks a ready one.
 *
 * <p>Memory is bounded: past {@link Options#memoryQueueLimit} queued requests, all but the next few
 * of each slot go to spill files on disk, in an order-preserving way (see {@link SlotQueue}), and
 * come back as they are needed; the files are deleted as they are read and at {@link #close}.
 *
 * <p>Time comes from an injected nanosecond clock, so tests can move it; {@link #take} with a zero
 * wait never blocks.
 */
public final class MemoryFrontier implements Frontier {
    private static final Logger log = LoggerFactory.getLogger(MemoryFrontier.class);
    private static final Instant NEVER = Instant.MAX;

    private final SlotPolicy policy;
    private final Sink sink;
    private final Options options;
    private final @Nullable SeenSet seen;
    private final Comparator<QueuedRequest> entryOrder;
    private final LongSupplier nanoClock;
    private final SpillFiles disk;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Slot> slots = new HashMap<>();
    private final TreeSet<Slot> ready;
    private final TreeSet<Slot> waiting;
    private final PriorityQueue<QueuedRequest> deferred =
            new PriorityQueue<>(Comparator.comparingLong(QueuedRequest::notBeforeNanos));
    private final Map<Long, LeaseState> leases = new HashMap<>();
    private long queued;
    private long sequence;
    private long nextLeaseId;
    private long slotIds;
    private long spillAt;
    private long maxInMemory;
    private boolean closed;

    /**
     * Whether any slot has had a delay or a Crawl-delay floor; until then {@link #started} has
     * nothing to move and skips the lock (crawls without delays call it once per request).
     */
    private volatile boolean anyDelay;

    /**
     * How a {@link MemoryFrontier} orders, deduplicates and bounds its queue.
     *
     * @param order breadth or depth first among requests of equal priority
     * @param seen the fingerprints of queued requests, to drop duplicates; null to keep all
     * @param memoryQueueLimit queued requests kept in memory before spilling to disk
     * @param spillDirectory where spill files go; null for a temporary directory removed at the end
     */
    public record Options(
            CrawlOrder order,
            @Nullable SeenSet seen,
            long memoryQueueLimit,
            @Nullable Path spillDirectory) {
        public Options {
            Objects.requireNonNull(order, "order");
            if (memoryQueueLimit < 1) {
                throw new IllegalArgumentException(
                        "the memory queue limit must be at least 1, got " + memoryQueueLimit);
            }
        }

        /** Everything in memory, deduplicated exactly. */
        public static Options inMemory(CrawlOrder order) {
            return new Options(order, SeenSet.exact(), Long.MAX_VALUE, null);
        }
    }

    /**
     * @param policy the per-slot limits and delays
     * @param sink receives the items of done leases and the failed requests
     * @param options order, deduplication and memory bound
     * @param nanoClock monotonic time in nanoseconds, {@link System#nanoTime} in production
     */
    public MemoryFrontier(SlotPolicy policy, Sink sink, Options options, LongSupplier nanoClock) {
        this.policy = policy;
        this.sink = sink;
        this.options = options;
        this.seen = options.seen();
        this.nanoClock = nanoClock;
        this.disk = new SpillFiles(options.spillDirectory());
        this.spillAt = options.memoryQueueLimit();
        Comparator<QueuedRequest> byPriority =
                (a, b) -> Integer.compare(b.request.priority(), a.request.priority());
        this.entryOrder =
                options.order() == CrawlOrder.BFS
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
            queuedRequests.add(new QueuedRequest(r, policy.slotOf(r)));
        }
        return new Prepared(queuedRequests, fingerprints);
    }

    private int enqueue(Prepared prepared) {
        int added = 0;
        long now = nanoClock.getAsLong();
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
        long limit = options.memoryQueueLimit();
        int keep = (int) Math.min(SlotQueue.CHUNK_SIZE, limit / 2 / Math.max(1, buckets));
        for (Slot slot : slots.values()) {
            slot.queue.spill(keep); // never changes a slot's best request, so indexes hold
        }
        long after = queued - disk.onDisk();
        spillAt = Math.max(limit, after + limit / 2);
        if (first && disk.written() > 0) {
            log.info(
                    "the frontier holds more than {} queued requests; the rest wait in {}",
                    limit,
                    disk.directory());
        }
    }

    private Slot slot(String key) {
        return slots.computeIfAbsent(key, k -> new Slot(k, slotIds++, options.order(), disk));
    }

    @Override
    public @Nullable Lease take(Duration maxWait) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = nanoClock.getAsLong();
                promote(now);
                if (closed || isFinishedLocked()) {
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
                long wake = Math.min(remaining, nextEventNanos(now));
                changed.awaitNanos(wake);
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
        long next = Long.MAX_VALUE;
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
        long delay = Math.max(0, policy.delayAfterStart(slot.key).toNanos());
        if (delay > 0) {
            anyDelay = true;
        }
        slot.nextStartNanos = now + delay;
        index(slot, now);
        long id = nextLeaseId++;
        leases.put(id, new LeaseState(slot, now, delay));
        return new Lease(id, e.request, slot.key, NEVER);
    }

    /**
     * Moves the lease's start to now: the slot's next start is then at least its delay after the
     * moment the request was sent, however late its thread got to send it.
     */
    @Override
    public void started(Lease lease) {
        if (!anyDelay) {
            return;
        }
        lock.lock();
        try {
            LeaseState state = leases.get(lease.id());
            if (state == null) {
                return;
            }
            long now = nanoClock.getAsLong();
            state.startNanos = now;
            Slot slot = state.slot;
            long next = now + state.delayNanos;
            if (state.delayNanos > 0 && next > slot.nextStartNanos) {
                unindex(slot);
                slot.nextStartNanos = next;
                index(slot, now);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int done(Lease lease, List<Request> produced, List<Item> items) {
        Prepared prepared = prepare(produced);
        if (!items.isEmpty()) {
            sink.items(
                    items); // before the lease ends, so "finished" implies every item handed over
        }
        lock.lock();
        try {
            int added = enqueue(prepared);
            release(lease);
            return added;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void retry(Lease lease, Request request, Duration delay, String reason) {
        String slotKey = policy.slotOf(request);
        lock.lock();
        try {
            QueuedRequest e = new QueuedRequest(request, slotKey);
            long now = nanoClock.getAsLong();
            e.notBeforeNanos = now + Math.max(0, delay.toNanos());
            deferred.add(e);
            queued++;
            release(lease);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void fail(Lease lease, String reason) {
        sink.deadLetter(lease.request(), reason);
        lock.lock();
        try {
            release(lease);
        } finally {
            lock.unlock();
        }
    }

    private void release(Lease lease) {
        LeaseState state = leases.remove(lease.id());
        if (state == null) {
            throw new IllegalStateException("lease " + lease.id() + " was already ended: " + lease);
        }
        Slot slot = state.slot;
        unindex(slot);
        slot.inFlight--;
        long floor = policy.minimumDelay(slot.key).toNanos();
        if (floor > 0) {
            anyDelay = true;
        }
        long floorFromStart = state.startNanos + floor;
        long now = nanoClock.getAsLong();
        long pauseEnd = now + policy.pauseRemaining(slot.key).toNanos();
        slot.nextStartNanos = Math.max(slot.nextStartNanos, Math.max(floorFromStart, pauseEnd));
        index(slot, now);
        if (slot.state == State.NONE
                && slot.queue.isEmpty()
                && slot.inFlight == 0
                && slot.nextStartNanos <= now) {
            slots.remove(slot.key); // idle: collect it
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
        if (slot.queue.isEmpty() || slot.inFlight >= Math.max(1, policy.concurrency(slot.key))) {
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
        long remaining = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (!isFinishedLocked()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
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

    /** The slot a lease holds a permit of, when its request started and the delay it set. */
    private static final class LeaseState {
        final Slot slot;
        final long delayNanos;
        long startNanos;

        LeaseState(Slot slot, long startNanos, long delayNanos) {
            this.slot = slot;
            this.startNanos = startNanos;
            this.delayNanos = delayNanos;
        }
    }

    private enum State {
        NONE,
        READY,
        WAITING
    }

    private static final class Slot {
        final String key;
        final long id;
        final SlotQueue queue;
        int inFlight;
        long nextStartNanos = Long.MIN_VALUE;
        State state = State.NONE;

        Slot(String key, long id, CrawlOrder order, SpillFiles disk) {
            this.key = key;
            this.id = id;
            this.queue = new SlotQueue(order, disk);
        }
    }
}
