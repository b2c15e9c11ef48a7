package org.arachne.frontier;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.http.Request;
import org.arachne.item.Item;

/**
 * The item outbox of a {@link MemoryFrontier}: committed batches in a queue, dropped when
 * acknowledged. Its own lock, so the feed writer never waits for the frontier's.
 */
final class MemoryOutbox implements ItemOutbox {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final ArrayDeque<CommittedItems> ready = new ArrayDeque<>();
    private final ArrayDeque<Long> taken = new ArrayDeque<>();
    private long nextSequence;

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
