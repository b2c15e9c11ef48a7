package org.arachne.frontier;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * The default frontier: everything in memory, one lock. Requests wait in one priority queue per
 * slot; slots that may start a request now are kept in a set ordered by their best request, and
 * slots that wait for their delay in a set ordered by the time they may start, so {@link #take}
 * costs O(log slots) and a waiting slot never blocks a ready one.
 *
 * <p>Time comes from an injected nanosecond clock, so tests can move it; {@link #take} with a zero
 * wait never blocks.
 */
public final class MemoryFrontier implements Frontier {
    private static final Instant NEVER = Instant.MAX;

    private final SlotPolicy policy;
    private final Sink sink;
    private final boolean dedup;
    private final Comparator<Entry> entryOrder;
    private final LongSupplier nanoClock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Fingerprint> seen = new HashSet<>();
    private final Map<String, Slot> slots = new HashMap<>();
    private final TreeSet<Slot> ready;
    private final TreeSet<Slot> waiting;
    private final PriorityQueue<Entry> deferred =
            new PriorityQueue<>(Comparator.comparingLong(Entry::notBeforeNanos));
    private final Map<Long, LeaseState> leases = new HashMap<>();
    private long queued;
    private long sequence;
    private long nextLeaseId;
    private long slotIds;
    private boolean closed;

    /**
     * @param policy the per-slot limits and delays
     * @param sink receives the items of done leases and the failed requests
     * @param order breadth or depth first among requests of equal priority
     * @param dedup whether to drop requests whose fingerprint was seen
     * @param nanoClock monotonic time in nanoseconds, {@link System#nanoTime} in production
     */
    public MemoryFrontier(
            SlotPolicy policy, Sink sink, CrawlOrder order, boolean dedup, LongSupplier nanoClock) {
        this.policy = policy;
        this.sink = sink;
        this.dedup = dedup;
        this.nanoClock = nanoClock;
        Comparator<Entry> byPriority = Comparator.comparingInt(e -> -e.request.priority());
        this.entryOrder =
                order == CrawlOrder.BFS
                        ? byPriority
                                .thenComparingInt(e -> e.request.depth())
                                .thenComparingLong(e -> e.sequence)
                        : byPriority
                                .thenComparingInt(e -> -e.request.depth())
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
        List<Entry> entries = prepare(requests);
        lock.lock();
        try {
            int added = enqueue(entries);
            if (added > 0) {
                changed.signalAll();
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /** Fingerprints and slots are computed outside the lock: both may be slow (DNS, hashing). */
    private List<Entry> prepare(List<Request> requests) {
        List<Entry> entries = new ArrayList<>(requests.size());
        for (Request r : requests) {
            Fingerprint fp = dedup && !r.dontFilter() ? Fingerprint.of(r) : null;
            entries.add(new Entry(r, policy.slotOf(r), fp));
        }
        return entries;
    }

    private int enqueue(List<Entry> entries) {
        int added = 0;
        for (Entry e : entries) {
            if (e.fingerprint != null && !seen.add(e.fingerprint)) {
                continue;
            }
            e.sequence = sequence++;
            Slot slot = slot(e.slot);
            unindex(slot);
            slot.queue.add(e);
            queued++;
            added++;
            index(slot, nanoClock.getAsLong());
        }
        return added;
    }

    private Slot slot(String key) {
        return slots.computeIfAbsent(key, k -> new Slot(k, slotIds++, entryOrder));
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
            Entry e = deferred.poll();
            Slot slot = slot(e.slot);
            unindex(slot);
            slot.queue.add(e);
            index(slot, now);
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
        Entry e = slot.queue.poll();
        queued--;
        slot.inFlight++;
        slot.nextStartNanos = now + Math.max(0, policy.delayAfterStart(slot.key).toNanos());
        index(slot, now);
        long id = nextLeaseId++;
        leases.put(id, new LeaseState(slot, now));
        return new Lease(id, e.request, slot.key, NEVER);
    }

    @Override
    public int done(Lease lease, List<Request> produced, List<Item> items) {
        List<Entry> entries = prepare(produced);
        if (!items.isEmpty()) {
            sink.items(
                    items); // before the lease ends, so "finished" implies every item handed over
        }
        lock.lock();
        try {
            int added = enqueue(entries);
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
            Entry e = new Entry(request, slotKey, null);
            e.sequence = sequence++;
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
        long floorFromStart = state.startNanos + policy.minimumDelay(slot.key).toNanos();
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
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The slot a lease holds a permit of, and when the lease started. */
    private record LeaseState(Slot slot, long startNanos) {}

    private enum State {
        NONE,
        READY,
        WAITING
    }

    private static final class Slot {
        final String key;
        final long id;
        final PriorityQueue<Entry> queue;
        int inFlight;
        long nextStartNanos = Long.MIN_VALUE;
        State state = State.NONE;

        Slot(String key, long id, Comparator<Entry> order) {
            this.key = key;
            this.id = id;
            this.queue = new PriorityQueue<>(order);
        }
    }

    private static final class Entry {
        final Request request;
        final String slot;
        final @Nullable Fingerprint fingerprint;
        long sequence;
        long notBeforeNanos;

        Entry(Request request, String slot, @Nullable Fingerprint fingerprint) {
            this.request = request;
            this.slot = slot;
            this.fingerprint = fingerprint;
        }

        long notBeforeNanos() {
            return notBeforeNanos;
        }
    }
}
