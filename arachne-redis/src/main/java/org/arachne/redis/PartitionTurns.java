package org.arachne.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.arachne.frontier.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * What a frontier knows of each partition of its crawl to choose which to ask for a lease
 * (docs/redis.md, "Partitions"): when to ask it next (its last answer's next event, at most {@link
 * RedisFrontier#POLL_CAP} ahead, at once after this frontier queued into it or freed a permit
 * there), what its last take answered (queued, leases out, outgoing), and the best ready request
 * its last script showed ({@code bestReady} in lib.lua). Times are the ticker's nanos.
 *
 * <p>Thread-safety: safe for use from any thread (atomic arrays; a reading may mix two answers,
 * which costs at most an ask).
 */
final class PartitionTurns {
    private final int partitions;
    private final Ticker ticker;
    private final AtomicLongArray askAt;
    private final AtomicReferenceArray<Counts> lastCounts;
    private final AtomicReferenceArray<@Nullable Best> bestReady;

    /**
     * What a partition's last take answered: requests queued, leases out and outgoing entries
     * (after a take that got a lease, or once this frontier changed it, one of each: unknown).
     */
    private record Counts(long queued, long leasesOut, long outgoing) {
        static final Counts UNKNOWN = new Counts(1, 1, 1);

        boolean idle() {
            return queued == 0 && leasesOut == 0 && outgoing == 0;
        }
    }

    /**
     * The best request ready in a partition when a script last said: its queue score (minus its
     * priority) and its rank (depth and order stamp).
     */
    private record Best(double score, String rank) implements Comparable<Best> {
        @Override
        public int compareTo(Best other) {
            int byScore = Double.compare(score, other.score);
            return byScore != 0 ? byScore : rank.compareTo(other.rank);
        }
    }

    /** Every partition to be asked at once, nothing known of it. */
    PartitionTurns(int partitions, Ticker ticker) {
        this.partitions = partitions;
        this.ticker = ticker;
        this.askAt = new AtomicLongArray(partitions);
        this.lastCounts = new AtomicReferenceArray<>(partitions);
        this.bestReady = new AtomicReferenceArray<>(partitions);
        for (int k = 0; k < partitions; k++) {
            lastCounts.set(k, Counts.UNKNOWN);
        }
    }

    /**
     * The partitions a take asks, in order: those whose time has come, the ones whose best ready
     * request was best when last seen first (so that priority and depth order hold across
     * partitions, as far as this worker has seen them), then the others from a random one; when
     * none's time has come, the one whose time comes first, so that every take asks one.
     */
    List<Integer> order() {
        if (partitions == 1) {
            return List.of(0);
        }
        long now = ticker.nanos();
        List<Integer> withBest = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        int first = ThreadLocalRandom.current().nextInt(partitions);
        int soonest = first;
        for (int i = 0; i < partitions; i++) {
            int k = (first + i) % partitions;
            if (askAt.get(k) - askAt.get(soonest) < 0) {
                soonest = k;
            }
            if (askAt.get(k) - now > 0) {
                continue;
            }
            (bestReady.get(k) != null ? withBest : others).add(k);
        }
        if (withBest.isEmpty() && others.isEmpty()) {
            return List.of(soonest);
        }
        withBest.sort(
                (a, b) -> {
                    Best x = bestReady.get(a);
                    Best y = bestReady.get(b);
                    return x == null || y == null ? 0 : x.compareTo(y);
                });
        withBest.addAll(others);
        return withBest;
    }

    /** A script's {@code bestReady} answer for the partition: {score, rank}, or empty for none. */
    void bestReady(int partition, Object reply) {
        List<Object> v = Scripts.list(reply);
        bestReady.set(
                partition,
                v.isEmpty()
                        ? null
                        : new Best(
                                Double.parseDouble(Scripts.text(v.get(0))),
                                Scripts.text(v.get(1))));
    }

    /** A take on the partition got a lease: what it holds now is not known. */
    void leased(int partition) {
        lastCounts.set(partition, Counts.UNKNOWN);
    }

    /**
     * A take on the partition found nothing to take: its counts, and the microseconds until its
     * next event (-1 for none), when it is asked again at the latest after {@code capNanos}.
     */
    void foundNothing(
            int partition,
            long queued,
            long leasesOut,
            long outgoing,
            long nextEventMicros,
            long capNanos) {
        lastCounts.set(partition, new Counts(queued, leasesOut, outgoing));
        long wait = capNanos;
        if (nextEventMicros >= 0) {
            wait = Math.min(wait, nextEventMicros * 1000L);
        }
        askAt.set(partition, ticker.nanos() + wait);
    }

    /**
     * The next take asks the partition at once: this frontier queued into it, or freed a permit
     * there.
     */
    void askNow(int partition) {
        askAt.set(partition, ticker.nanos());
        lastCounts.set(partition, Counts.UNKNOWN);
    }

    /** Whether every partition's last take found nothing queued, no lease out, nothing outgoing. */
    boolean allIdle() {
        for (int k = 0; k < partitions; k++) {
            if (!lastCounts.get(k).idle()) {
                return false;
            }
        }
        return true;
    }

    /** Leases out in every partition, as their last takes answered. */
    long leasesOut() {
        long out = 0;
        for (int k = 0; k < partitions; k++) {
            out += lastCounts.get(k).leasesOut();
        }
        return out;
    }

    /** How long until a partition is to be asked, at most {@code capNanos}; 0 or less for now. */
    long untilNextAsk(long capNanos) {
        long wait = capNanos;
        long now = ticker.nanos();
        for (int k = 0; k < partitions; k++) {
            wait = Math.min(wait, askAt.get(k) - now);
        }
        return wait;
    }
}
