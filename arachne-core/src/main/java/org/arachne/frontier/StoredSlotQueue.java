package org.arachne.frontier;

import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The queued requests of one slot of a {@link SqliteFrontier}: every one is a row in the database,
 * and the best of them are also in memory (the head), so {@link #peek} never reads the database.
 * The rows not in memory all rank after {@link #boundary}, the last row read or the worst kept in
 * memory; a request ranked before it goes to memory too, others stay in the database only, and when
 * the head runs out the frontier reads the next rows after the boundary.
 *
 * <p>Not thread-safe: the frontier calls it under its lock.
 */
final class StoredSlotQueue implements SlotSchedule.Queue<StoredRequest> {
    private final TreeSet<StoredRequest> head = new TreeSet<>(StoredRequest.RANK_ORDER);

    /** Rows of this slot in the database ranked after {@link #boundary} and not in memory. */
    private long inDatabaseOnly;

    /** Meaningful while {@link #inDatabaseOnly} is above 0; null: no row was read yet. */
    private @Nullable StoredRequest boundary;

    /**
     * Adds a request whose row is in the database.
     *
     * @return whether it is kept in memory too
     */
    boolean add(StoredRequest request) {
        if (inDatabaseOnly == 0 || (boundary != null && request.notAfter(boundary))) {
            head.add(request);
            return true;
        }
        inDatabaseOnly++;
        return false;
    }

    /** Counts rows in the database only, as found at open; none of them is in memory yet. */
    void addInDatabaseOnly(long rows) {
        inDatabaseOnly += rows;
    }

    /** The best request, or null when nothing is in memory. */
    @Override
    public @Nullable StoredRequest peek() {
        return head.isEmpty() ? null : head.first();
    }

    /**
     * Removes the best request in memory; the caller refills the head when it {@link #needsRead}.
     */
    StoredRequest poll() {
        return head.pollFirst();
    }

    /** Whether the head ran out while rows wait in the database. */
    boolean needsRead() {
        return head.isEmpty() && inDatabaseOnly > 0;
    }

    /** The rank after which rows are to be read; null to read from the start. */
    @Nullable StoredRequest boundary() {
        return boundary;
    }

    /**
     * Takes in what one read returned.
     *
     * @param last the last row read (kept in memory or not), the new boundary
     * @param kept the rows read that were kept in memory
     * @param exhausted whether the read returned fewer rows than asked: none is left after them
     * @return whether the count of rows in the database only was off (it is set right)
     */
    boolean read(@Nullable StoredRequest last, int kept, boolean exhausted) {
        inDatabaseOnly -= kept;
        boundary = last;
        boolean off = exhausted ? inDatabaseOnly != 0 : inDatabaseOnly < 0;
        if (exhausted || inDatabaseOnly < 0) {
            inDatabaseOnly = 0;
        }
        if (inDatabaseOnly == 0) {
            boundary = null;
        }
        return off;
    }

    /** Keeps a request read from the database in memory. */
    void keep(StoredRequest request) {
        head.add(request);
    }

    /**
     * Forgets all but the best {@code keep} (at least 1) requests in memory; their rows stay in the
     * database.
     *
     * @return how many were forgotten
     */
    int evict(int keep) {
        int evicted = 0;
        while (head.size() > Math.max(1, keep)) {
            head.pollLast();
            evicted++;
        }
        if (evicted > 0) {
            inDatabaseOnly += evicted;
            boundary = head.last();
        }
        return evicted;
    }

    @Override
    public boolean isEmpty() {
        return head.isEmpty() && inDatabaseOnly == 0;
    }

    int inMemory() {
        return head.size();
    }
}
