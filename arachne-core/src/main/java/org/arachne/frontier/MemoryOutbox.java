package org.arachne.frontier;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * The item outbox in memory: committed batches in a queue, dropped when acknowledged. Its own lock,
 * so the feed writer never waits for the frontier's. A {@link MemoryFrontier}'s holds everything; a
 * {@link SqliteFrontier}'s is the memory side of its outbox table, restored at open with the
 * batches not acknowledged, and records each acknowledgement durably before it counts.
 */
final class MemoryOutbox implements ItemOutbox {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final ArrayDeque<CommittedItems> ready = new ArrayDeque<>();
    private final ArrayDeque<Long> taken = new ArrayDeque<>();
    private final @Nullable Acknowledgements durable;
    private final Map<String, Long> restoredPositions;
    private long nextSequence;

    /** Records acknowledgements where they outlive the process. */
    @FunctionalInterface
    interface Acknowledgements {
        /** Records, in one step, how far the feeds got and where their files ended. */
        void record(long sequence, Map<String, Long> feedPositions);
    }

    /** An empty outbox whose acknowledgements are kept in memory only. */
    MemoryOutbox() {
        this.durable = null;
        this.restoredPositions = Map.of();
    }

    /**
     * A durable outbox's memory side.
     *
     * @param restored batches committed before and not acknowledged, in commit order
     * @param nextSequence the sequence of the next batch appended
     * @param restoredPositions the feed positions of the last acknowledgement kept
     * @param durable records an acknowledgement durably; called without this outbox's lock (it may
     *     take the frontier's), before the batches count as acknowledged
     */
    MemoryOutbox(
            List<CommittedItems> restored,
            long nextSequence,
            Map<String, Long> restoredPositions,
            Acknowledgements durable) {
        this.ready.addAll(restored);
        this.nextSequence = nextSequence;
        this.restoredPositions = Map.copyOf(restoredPositions);
        this.durable = durable;
    }

    /** The sequence the next {@link #append} gives; the caller holds the frontier's lock. */
    long nextSequence() {
        lock.lock();
        try {
            return nextSequence;
        } finally {
            lock.unlock();
        }
    }

    /** Appends one done lease's items; called by the frontier inside its commit. */
    void append(Request source, List<Item> items) {
        lock.lock();
        try {
            ready.add(new CommittedItems(nextSequence++, source, items));
            appended.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<CommittedItems> poll(int maxBatches, Duration maxWait) throws InterruptedException {
        long remaining = maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (ready.isEmpty()) {
                if (remaining <= 0) {
                    return List.of();
                }
                remaining = appended.awaitNanos(remaining);
            }
            int n = Math.min(maxBatches, ready.size());
            List<CommittedItems> batches = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                CommittedItems batch = ready.poll();
                batches.add(batch);
                taken.add(batch.sequence());
            }
            return batches;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void acknowledge(long sequence) {
        acknowledge(sequence, Map.of());
    }

    @Override
    public void acknowledge(long sequence, Map<String, Long> feedPositions) {
        if (durable != null) {
            durable.record(sequence, feedPositions);
        }
        lock.lock();
        try {
            while (!taken.isEmpty() && taken.peek() <= sequence) {
                taken.poll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Long> feedPositions() {
        return restoredPositions;
    }

    @Override
    public boolean isDurable() {
        return durable != null;
    }

    @Override
    public long ready() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pending() {
        lock.lock();
        try {
            return ready.size() + (long) taken.size();
        } finally {
            lock.unlock();
        }
    }
}
