package org.arachne.http;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The bytes that response bodies being read may hold across a downloader ({@code
 * download_inflight_bytes}, #9): 16 concurrent 60 MB pages once took 5.85 GiB of heap, because each
 * body could grow to {@code download_maxsize} on its own. A body reserves its bytes here before it
 * holds them; a reservation that does not fit waits for room (TCP holds the rest of the body at the
 * server meanwhile) until the exchange's deadline, and one that can never fit fails at once as
 * {@link DownloadException.Kind#TOO_LARGE}. The bytes are given back when the body has been read:
 * the response handed on is no longer counted.
 *
 * <p>How it cannot deadlock: half of the budget is cut into one guaranteed share per exchange the
 * downloader runs at once (its total of connections), the other half is a common pool. A body
 * within its share never waits. A body of known length (a {@code Content-Length}, no content
 * coding) takes what it needs beyond its share from the pool all at once, before reading, waiting
 * in arrival order while it holds its share only. A body of unknown length grows chunk by chunk,
 * and only one at a time may grow into the pool: the others wait for that turn holding their share
 * only. So the one body that waits while holding pool bytes waits only for bodies that are reading,
 * and they end.
 *
 * <p>Thread-safety: safe for concurrent use; a {@link Claim} belongs to one thread.
 */
final class BodyBudget {
    private final long capacity;
    private final int shares;
    private final long share;
    private final long poolCapacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Claim> queue = new ArrayDeque<>();
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private int sharesInUse;
    private long poolUsed;
    private @Nullable Claim grower;

    /**
     * @param capacity the most bytes all bodies together may hold
     * @param exchanges how many bodies are read at once at most (each gets a share; one more waits
     *     for a share to be free)
     */
    BodyBudget(long capacity, int exchanges) {
        if (capacity <= 0 || exchanges <= 0) {
            throw new IllegalArgumentException(
                    "capacity and exchanges must be positive, got " + capacity + ", " + exchanges);
        }
        this.capacity = capacity;
        this.shares = exchanges;
        this.share = capacity / (2L * exchanges);
        this.poolCapacity = capacity - share * exchanges;
    }

    /** The most bytes one body may hold: its share and the whole pool. */
    long largestReservation() {
        return share + poolCapacity;
    }

    /** Bytes reserved now, by every body being read. */
    long reserved() {
        return reserved.get();
    }

    /** The most bytes reserved at once since this budget was made; never above its capacity. */
    long peak() {
        return peak.get();
    }

    /**
     * Takes a share for reading one body, waiting while every share is taken.
     *
     * @param deadline {@link System#nanoTime()} after which waiting fails as a timeout
     */
    Claim claim(String url, long deadline) throws DownloadException, InterruptedException {
        Claim claim = new Claim(url, deadline);
        lock.lock();
        try {
            while (sharesInUse == shares) {
                claim.await("a body share");
            }
            sharesInUse++;
        } finally {
            lock.unlock();
        }
        return claim;
    }

    /** The bytes one body holds; {@link #close()} gives them back. */
    final class Claim implements AutoCloseable {
        private final String url;
        private final long deadline;
        private long fromShare;
        private long fromPool;
        private boolean closed;

        private Claim(String url, long deadline) {
            this.url = url;
            this.deadline = deadline;
        }

        /** Bytes this body holds now. */
        long held() {
            return fromShare + fromPool;
        }

        /**
         * Reserves the whole of a body of known length before it is read, waiting for pool room in
         * arrival order.
         *
         * @throws DownloadException {@code TOO_LARGE} when it can never fit, {@code TIMEOUT} when
         *     no room came before the deadline
         */
        void reserveAll(long bytes) throws DownloadException, InterruptedException {
            take(bytes, false);
        }

        /**
         * Reserves more for a body of unknown length that grows; beyond the share, it waits for its
         * turn to grow into the pool, then for room.
         *
         * @throws DownloadException as {@link #reserveAll}
         */
        void grow(long bytes) throws DownloadException, InterruptedException {
            take(bytes, true);
        }

        private void take(long bytes, boolean growing)
                throws DownloadException, InterruptedException {
            long inShare = Math.min(bytes, share - fromShare);
            long need = bytes - inShare;
            if (need > 0) {
                if (fromPool + need > poolCapacity) {
                    throw new DownloadException(
                            DownloadException.Kind.TOO_LARGE,
                            url,
                            "body needs "
                                    + (held() + bytes)
                                    + " bytes or more in memory, over the "
                                    + largestReservation()
                                    + " that download_inflight_bytes of "
                                    + capacity
                                    + " allows one body");
                }
                lock.lock();
                try {
                    if (growing) {
                        while (grower != null && grower != this) {
                            await("its turn to grow");
                        }
                        grower = this;
                        while (poolUsed + need > poolCapacity) {
                            await("room for its next bytes");
                        }
                    } else {
                        queue.addLast(this);
                        try {
                            while (queue.peekFirst() != this || poolUsed + need > poolCapacity) {
                                await("room for " + bytes + " bytes");
                            }
                        } finally {
                            queue.remove(this);
                            changed.signalAll();
                        }
                    }
                    poolUsed += need;
                } finally {
                    lock.unlock();
                }
                fromPool += need;
            }
            fromShare += inShare;
            long now = reserved.addAndGet(bytes);
            peak.accumulateAndGet(now, Math::max);
        }

        /** Waits under the lock until something changed, or fails at the deadline. */
        private void await(String what) throws DownloadException, InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DownloadException(
                        DownloadException.Kind.TIMEOUT,
                        url,
                        "no room for the body in download_inflight_bytes of "
                                + capacity
                                + " bytes in time (waiting for "
                                + what
                                + ")");
            }
            changed.awaitNanos(left);
        }

        /** Gives every byte back; idempotent. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            reserved.addAndGet(-held());
            lock.lock();
            try {
                poolUsed -= fromPool;
                sharesInUse--;
                if (grower == this) {
                    grower = null;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
