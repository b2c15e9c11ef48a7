package org.arachne.frontier;

import java.util.Comparator;
import org.arachne.http.Request;

/**
 * A request queued in a {@link SqliteFrontier}: its row in the database, its slot and its rank. The
 * rank is the crawl order as three numbers compared in ascending order, the way the database's
 * index sorts them: the priority negated, then the depth (negated for depth first), then the
 * sequence of arrival (negated for depth first). So the next request of a slot is its lowest rank
 * both in memory and in the database.
 */
final class StoredRequest {
    /** Lowest rank first, as the database index orders rows; ids break no ties (ranks differ). */
    static final Comparator<StoredRequest> RANK_ORDER =
            Comparator.<StoredRequest>comparingLong(r -> r.rankPriority)
                    .thenComparingLong(r -> r.rankDepth)
                    .thenComparingLong(r -> r.rankSequence);

    final long id;
    final String slot;
    final Request request;
    final long rankPriority;
    final long rankDepth;
    final long rankSequence;

    /** For a retried or expired request: not to be started before this time. */
    long notBeforeNanos;

    StoredRequest(
            long id,
            String slot,
            Request request,
            long rankPriority,
            long rankDepth,
            long rankSequence) {
        this.id = id;
        this.slot = slot;
        this.request = request;
        this.rankPriority = rankPriority;
        this.rankDepth = rankDepth;
        this.rankSequence = rankSequence;
    }

    /** A request of this order arriving as the {@code sequence}-th. */
    static StoredRequest ranked(
            long id, String slot, Request request, CrawlOrder order, long sequence) {
        boolean bfs = order == CrawlOrder.BFS;
        return new StoredRequest(
                id,
                slot,
                request,
                -(long) request.priority(),
                bfs ? request.depth() : -(long) request.depth(),
                bfs ? sequence : -sequence);
    }

    long notBeforeNanos() {
        return notBeforeNanos;
    }

    /** Whether this one comes no later than {@code other} in the crawl order. */
    boolean notAfter(StoredRequest other) {
        return RANK_ORDER.compare(this, other) <= 0;
    }
}
