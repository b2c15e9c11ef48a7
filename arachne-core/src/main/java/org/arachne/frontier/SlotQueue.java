package org.arachne.frontier;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The queued requests of one slot, in crawl order. Requests of equal priority and depth form a
 * bucket, first in first out (breadth first) or last in first out (depth first), so the best
 * request of the slot is the head of its best bucket and adding or taking one costs O(log buckets).
 *
 * <p>When the frontier runs over its memory limit, {@link #spill} moves all but the next few
 * requests of each bucket to {@link SpillFiles} in chunks, placed so that the order does not
 * change; a bucket reads its next chunk back as soon as its memory runs out, so the head is always
 * in memory and {@link #peek} never touches the disk.
 */
final class SlotQueue implements SlotSchedule.Queue<QueuedRequest> {
    /** Requests per chunk written to disk; also how many a bucket reads back at once. */
    static final int CHUNK_SIZE = 512;

    private final boolean depthFirst;
    private final SpillFiles disk;
    private final TreeMap<BucketKey, Bucket> buckets;
    private @Nullable Bucket lastAdded;
    private int size;

    SlotQueue(CrawlOrder order, SpillFiles disk) {
        this.depthFirst = order == CrawlOrder.DFS;
        this.disk = disk;
        Comparator<BucketKey> byPriority = (a, b) -> Integer.compare(b.priority, a.priority);
        this.buckets =
                new TreeMap<>(
                        depthFirst
                                ? byPriority.thenComparing(
                                        (a, b) -> Integer.compare(b.depth, a.depth))
                                : byPriority.thenComparingInt(BucketKey::depth));
    }

    private record BucketKey(int priority, int depth) {}

    void add(QueuedRequest q) {
        int priority = q.request.priority();
        int depth = q.request.depth();
        Bucket bucket = lastAdded;
        if (bucket == null || bucket.priority != priority || bucket.depth != depth) {
            bucket =
                    buckets.computeIfAbsent(
                            new BucketKey(priority, depth),
                            k ->
                                    depthFirst
                                            ? new LastInFirstOut(k.priority, k.depth)
                                            : new FirstInFirstOut(k.priority, k.depth));
            lastAdded = bucket;
        }
        bucket.add(q);
        size++;
    }

    /** The best request, or null when empty. */
    @Override
    public @Nullable QueuedRequest peek() {
        Map.Entry<BucketKey, Bucket> best = buckets.firstEntry();
        return best == null ? null : best.getValue().peek();
    }

    /**
     * Removes the best request. Reading the bucket's next chunk back may fail; its requests are
     * then lost, counted by {@link SpillFiles}, and {@link #size} shrinks by them too.
     */
    QueuedRequest poll() {
        Map.Entry<BucketKey, Bucket> best = buckets.firstEntry();
        Bucket bucket = best.getValue();
        int before = bucket.size();
        QueuedRequest q = bucket.poll(disk);
        size -= before - bucket.size();
        if (bucket.isEmpty()) {
            buckets.remove(best.getKey());
            if (bucket == lastAdded) {
                lastAdded = null;
            }
        }
        return q;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** Requests queued, in memory and on disk. */
    int size() {
        return size;
    }

    /**
     * Buckets: one per priority and depth queued, each with at least its next request in memory.
     */
    int bucketCount() {
        return buckets.size();
    }

    /** Moves all but {@code keep} (at least 1) requests of each bucket to disk. */
    void spill(int keep) {
        for (Bucket bucket : buckets.values()) {
            bucket.spill(Math.max(1, keep), disk);
        }
    }

    /** Requests of equal priority and depth, part in memory and part on disk. */
    private abstract static class Bucket {
        final int priority;
        final int depth;

        /** The requests in memory that come first, the next one at the front. */
        final ArrayDeque<QueuedRequest> head = new ArrayDeque<>();

        /** Chunks on disk. */
        final ArrayDeque<SpillFiles.Chunk> chunks = new ArrayDeque<>();

        int onDisk;

        Bucket(int priority, int depth) {
            this.priority = priority;
            this.depth = depth;
        }

        abstract void add(QueuedRequest q);

        abstract void spill(int keep, SpillFiles disk);

        /** Reads chunks back until the head holds a request or the disk holds none. */
        abstract void refill(SpillFiles disk);

        @Nullable QueuedRequest peek() {
            return head.peekFirst();
        }

        QueuedRequest poll(SpillFiles disk) {
            QueuedRequest q = head.pollFirst();
            if (head.isEmpty()) {
                refill(disk);
            }
            return q;
        }

        int size() {
            return head.size() + onDisk;
        }

        boolean isEmpty() {
            return size() == 0;
        }

        /**
         * Writes requests, in this order, as chunks of at most {@link #CHUNK_SIZE}: after the
         * chunks on disk, or before them when {@code atFront} (then the last chunk is written
         * first). Stops at the first chunk that cannot be written.
         *
         * @return how many were written: the first ones, or with {@code atFront} the last ones; the
         *     caller keeps the others in memory
         */
        int store(List<QueuedRequest> requests, SpillFiles disk, boolean atFront) {
            List<List<QueuedRequest>> pieces = new ArrayList<>();
            for (int from = 0; from < requests.size(); from += CHUNK_SIZE) {
                pieces.add(requests.subList(from, Math.min(requests.size(), from + CHUNK_SIZE)));
            }
            int written = 0;
            for (List<QueuedRequest> piece : atFront ? pieces.reversed() : pieces) {
                SpillFiles.Chunk chunk = disk.write(piece);
                if (chunk == null) {
                    break;
                }
                if (atFront) {
                    chunks.addFirst(chunk);
                } else {
                    chunks.addLast(chunk);
                }
                onDisk += chunk.count;
                written += piece.size();
            }
            return written;
        }
    }

    /**
     * Breadth first: memory holds the first requests (head) and the last ones (tail), the disk
     * those in between. The tail is empty while nothing is on disk.
     */
    private static final class FirstInFirstOut extends Bucket {
        private final ArrayDeque<QueuedRequest> tail = new ArrayDeque<>();

        FirstInFirstOut(int priority, int depth) {
            super(priority, depth);
        }

        @Override
        void add(QueuedRequest q) {
            (chunks.isEmpty() ? head : tail).addLast(q);
        }

        @Override
        int size() {
            return super.size() + tail.size();
        }

        @Override
        void refill(SpillFiles disk) {
            while (head.isEmpty() && !chunks.isEmpty()) {
                SpillFiles.Chunk chunk = chunks.pollFirst();
                onDisk -= chunk.count;
                head.addAll(disk.read(chunk));
            }
            if (chunks.isEmpty()) {
                head.addAll(tail);
                tail.clear();
            }
        }

        @Override
        void spill(int keep, SpillFiles disk) {
            // The tail goes after the chunks on disk, oldest piece first; what fails to be
            // written stays in the tail, still after everything on disk.
            List<QueuedRequest> tailed = new ArrayList<>(tail);
            int written = store(tailed, disk, false);
            tail.clear();
            tail.addAll(tailed.subList(written, tailed.size()));
            // The head beyond `keep` goes before the chunks on disk, newest piece first; what
            // fails stays at the end of the head, still before everything on disk.
            if (head.size() > keep) {
                List<QueuedRequest> rest = new ArrayList<>(head.size() - keep);
                while (head.size() > keep) {
                    rest.add(head.pollLast());
                }
                List<QueuedRequest> inOrder = rest.reversed();
                int kept = inOrder.size() - store(inOrder, disk, true);
                head.addAll(inOrder.subList(0, kept));
            }
        }
    }

    /**
     * Depth first: memory holds the newest requests (the next ones out), the disk the oldest, in
     * chunks whose newest is read back first.
     */
    private static final class LastInFirstOut extends Bucket {
        LastInFirstOut(int priority, int depth) {
            super(priority, depth);
        }

        @Override
        void add(QueuedRequest q) {
            head.addFirst(q);
        }

        @Override
        void refill(SpillFiles disk) {
            while (head.isEmpty() && !chunks.isEmpty()) {
                SpillFiles.Chunk chunk = chunks.pollLast();
                onDisk -= chunk.count;
                for (QueuedRequest q : disk.read(chunk)) {
                    head.addFirst(q); // chunks hold oldest first, so the newest ends up first
                }
            }
        }

        @Override
        void spill(int keep, SpillFiles disk) {
            if (head.size() <= keep) {
                return;
            }
            List<QueuedRequest> oldest = new ArrayList<>(head.size() - keep);
            while (head.size() > keep) {
                oldest.add(head.pollLast()); // oldest first
            }
            // Every request on disk is older than these, so they go on top, oldest piece first;
            // what fails to be written stays in memory, still newer than everything on disk.
            int written = store(oldest, disk, false);
            for (QueuedRequest q : oldest.subList(written, oldest.size()).reversed()) {
                head.addLast(q);
            }
        }
    }
}
