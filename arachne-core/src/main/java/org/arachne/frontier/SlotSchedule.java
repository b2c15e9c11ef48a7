package org.arachne.frontier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import org.arachne.http.Request;
import org.arachne.politeness.SlotRule;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.SlotState;
import org.arachne.politeness.Throttle;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The politeness half of a one-process frontier, shared by {@link MemoryFrontier} and {@link
 * SqliteFrontier}, which differ only in how a slot keeps its queued requests: the slots with their
 * permits, next starts and {@link Throttle} state; the slots that may start a request now, ordered
 * by their best request, and those that wait for their gap, ordered by when they may start (so a
 * take costs O(log slots) and a waiting slot never blocks a ready one); the leases in force with
 * their deadlines; and, for a slot that went idle, its numbers for {@link #IDLE_SLOT_MEMORY} in
 * case it comes back.
 *
 * <p>Not thread-safe: its frontier calls it under its own lock, and after changing a slot's queue
 * calls {@link #unindex} before and {@link #index} after.
 *
 * @param <E> a queued request as the frontier keeps it
 * @param <Q> the queue of one slot
 */
final class SlotSchedule<E, Q extends SlotSchedule.Queue<E>> {
    /** How long an idle slot's politeness numbers are kept, and how many at most. */
    static final Duration IDLE_SLOT_MEMORY = Duration.ofMinutes(10);

    private static final int IDLE_SLOTS_MAX = 100_000;

    /** The queued requests of one slot, as the schedule sees them. */
    interface Queue<E> {
        boolean isEmpty();

        /** The best request, the one the slot's next lease takes; null when none is at hand. */
        @Nullable E peek();
    }

    /** What the frontier does for its schedule: its slots' queues and ids, and expired leases. */
    interface Owner<E, Q extends Queue<E>> {
        /** The queue of a slot the schedule makes. */
        Q newQueue(String key);

        /** A number unique among the frontier's slots; it breaks ties in the indexes. */
        long id(String key);

        /**
         * Puts the request of a lease that expired back in the queues, at once: its permit is freed
         * next.
         */
        void queueAgain(LeaseState<E, Q> expired);
    }

    private final Logger log;
    private final SlotRules rules;
    private final Throttle throttle;
    private final Ticker ticker;
    private final Duration leaseDuration;
    private final Owner<E, Q> owner;
    private final Condition changed;
    private final Map<String, Slot<E, Q>> slots = new HashMap<>();
    private final Cache<String, IdleSlot> idleSlots;
    private final TreeSet<Slot<E, Q>> ready;
    private final TreeSet<Slot<E, Q>> waiting;
    private final Map<String, LeaseState<E, Q>> leases = new HashMap<>();
    private final Map<String, Long> delaysSetBy = new LinkedHashMap<>();
    private long nextLeaseId;
    private long expiredLeases;
    private long earliestDeadlineNanos = Long.MAX_VALUE;

    /**
     * Whether any slot has had a gap after its starts; until then {@link #started} has nothing to
     * move, and the frontier skips its lock for it (crawls without delays call it once a request).
     */
    private volatile boolean anyDelay;

    /**
     * @param headOrder the order of the slots' best requests: the ready slot with the first one is
     *     taken first
     * @param changed signalled whenever a permit is freed (the frontier's takes wait on it)
     * @param log the frontier's logger, so its lines keep its name
     */
    SlotSchedule(
            FrontierSetup setup,
            Comparator<E> headOrder,
            Owner<E, Q> owner,
            Condition changed,
            Logger log) {
        this.rules = setup.rules();
        this.throttle = setup.throttle();
        this.ticker = setup.ticker();
        this.leaseDuration = setup.leaseDuration();
        this.owner = owner;
        this.changed = changed;
        this.log = log;
        this.idleSlots =
                Caffeine.newBuilder()
                        .ticker(ticker::nanos)
                        .executor(Runnable::run)
                        .expireAfterWrite(IDLE_SLOT_MEMORY)
                        .maximumSize(IDLE_SLOTS_MAX)
                        .build();
        Comparator<Slot<E, Q>> byHead = (a, b) -> headOrder.compare(a.queue.peek(), b.queue.peek());
        this.ready = new TreeSet<>(byHead.thenComparingLong(s -> s.id));
        this.waiting =
                new TreeSet<>(
                        Comparator.<Slot<E, Q>>comparingLong(s -> s.nextStartNanos)
                                .thenComparingLong(s -> s.id));
    }

    /** The slot of this key, made (with what its idle past left) when there is none. */
    Slot<E, Q> slot(String key) {
        Slot<E, Q> slot = slots.get(key);
        if (slot == null) {
            slot = new Slot<>(key, owner.id(key), rules.ruleOf(key), owner.newQueue(key));
            IdleSlot past = idleSlots.getIfPresent(key);
            if (past != null) {
                idleSlots.invalidate(key);
                slot.politeness = past.politeness;
                slot.nextStartNanos = past.nextStartNanos;
                slot.lastGapReason = past.lastGapReason;
            }
            slots.put(key, slot);
        }
        return slot;
    }

    /** The slots with work (queued requests or leases out). */
    Collection<Slot<E, Q>> slots() {
        return slots.values();
    }

    /** Takes a slot out of the indexes, before its queue or numbers change. */
    void unindex(Slot<E, Q> slot) {
        switch (slot.state) {
            case READY -> ready.remove(slot);
            case WAITING -> waiting.remove(slot);
            case NONE -> {}
        }
        slot.state = State.NONE;
    }

    /** Puts a slot in the index it belongs to now: ready, waiting, or neither (nothing to take). */
    void index(Slot<E, Q> slot, long now) {
        if (slot.queue.isEmpty() || slot.inFlight >= slot.rule.concurrency()) {
            slot.state = State.NONE;
        } else if (slot.nextStartNanos <= now) {
            slot.state = State.READY;
            ready.add(slot);
        } else {
            slot.state = State.WAITING;
            waiting.add(slot);
        }
    }

    /**
     * The ready slot whose best request ranks first, out of the indexes; null when none is ready.
     * The caller takes that request from its queue and gives it to {@link #lease}.
     */
    @Nullable Slot<E, Q> pollReady() {
        Slot<E, Q> slot = ready.pollFirst();
        if (slot != null) {
            slot.state = State.NONE;
        }
        return slot;
    }

    /** Moves the waiting slots whose time has come into the ready set. */
    void promoteWaiting(long now) {
        while (!waiting.isEmpty() && waiting.first().nextStartNanos <= now) {
            Slot<E, Q> slot = waiting.pollFirst();
            slot.state = State.NONE;
            index(slot, now);
        }
    }

    /**
     * Leases a request just taken from the slot's queue: a permit, the gap its start sets before
     * the slot's next one, and a deadline.
     */
    Lease lease(Slot<E, Q> slot, E entry, Request request, long now) {
        slot.inFlight++;
        Throttle.Gap gap = throttle.gapAfterStart(slot.rule, slot.politeness);
        if (gap.nanos() > 0) {
            anyDelay = true;
            delaysSetBy.merge(gap.reason(), 1L, Long::sum);
            if (!gap.reason().equals(slot.lastGapReason)) {
                slot.lastGapReason = gap.reason();
                log.debug(
                        "slot {}: delay {} ms, set by {}",
                        slot.key,
                        gap.nanos() / 1_000_000,
                        gap.reason());
            }
        }
        long previousNextStart = slot.nextStartNanos;
        slot.nextStartNanos = now + gap.nanos();
        index(slot, now);
        String token = Long.toString(nextLeaseId++);
        long deadlineNanos = now + leaseDuration.toNanos();
        leases.put(
                token,
                new LeaseState<>(
                        slot, entry, request, now, gap.nanos(), previousNextStart, deadlineNanos));
        earliestDeadlineNanos = Math.min(earliestDeadlineNanos, deadlineNanos);
        return new Lease(token, request, slot.key, ticker.now().plus(leaseDuration));
    }

    /** Whether {@link #started} may have anything to move; read without the frontier's lock. */
    boolean anyDelay() {
        return anyDelay;
    }

    /**
     * Moves the lease's start to now: the slot's next start is then at least its gap after the
     * moment the request was sent, however late its thread got to send it.
     */
    void started(String token) {
        LeaseState<E, Q> state = leases.get(token);
        if (state == null) {
            return;
        }
        long now = ticker.nanos();
        state.startNanos = now;
        Slot<E, Q> slot = state.slot;
        long next = now + state.gapNanos;
        if (state.gapNanos > 0 && next > slot.nextStartNanos) {
            unindex(slot);
            slot.nextStartNanos = next;
            index(slot, now);
        }
    }

    /** A lease in force, or null (expired, ended, or never made). */
    @Nullable LeaseState<E, Q> lease(String token) {
        return leases.get(token);
    }

    /**
     * Takes the lease out of the leases in force, once those past their deadline are expired; null
     * when it is not in force. The caller then {@link #release releases} it.
     */
    @Nullable LeaseState<E, Q> endLease(String token) {
        expireLeases(ticker.nanos());
        return leases.remove(token);
    }

    /**
     * Moves a lease's deadline a lease duration from now.
     *
     * @return the lease renewed, or null when it is not in force
     */
    @Nullable Lease renew(Lease lease, long now) {
        LeaseState<E, Q> state = leases.get(lease.token());
        if (state == null) {
            return null;
        }
        state.deadlineNanos = now + leaseDuration.toNanos();
        return lease.withDeadline(ticker.now().plus(leaseDuration));
    }

    int leaseCount() {
        return leases.size();
    }

    /**
     * Ends the leases past their deadline (their worker is presumed dead): the owner puts each
     * one's request back, and its permit is freed. Cheap when none can be due: deadlines only move
     * later, so the earliest one seen is a lower bound.
     */
    void expireLeases(long now) {
        if (now < earliestDeadlineNanos) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (Iterator<LeaseState<E, Q>> it = leases.values().iterator(); it.hasNext(); ) {
            LeaseState<E, Q> state = it.next();
            if (state.deadlineNanos <= now) {
                it.remove();
                expiredLeases++;
                log.warn(
                        "lease of {} expired unrenewed; its request is queued again",
                        Urls.redacted(state.request.url()));
                owner.queueAgain(state);
                release(state, SlotSignals.NONE); // it may have been sent: its start counts
            } else {
                earliest = Math.min(earliest, state.deadlineNanos);
            }
        }
        earliestDeadlineNanos = earliest;
    }

    /**
     * Frees a lease's permit and applies its ending's signals to the slot. A lease whose request
     * was never sent gives its start back, unless another start moved the slot since. A slot left
     * with nothing queued and nothing in flight leaves the schedule; its numbers wait in the idle
     * cache in case it comes back.
     */
    void release(LeaseState<E, Q> state, SlotSignals signals) {
        Slot<E, Q> slot = state.slot;
        long now = ticker.nanos();
        unindex(slot);
        slot.inFlight--;
        if (signals != SlotSignals.NONE && signals != SlotSignals.NOT_SENT) {
            slot.politeness = throttle.afterEnding(slot.key, slot.politeness, signals, now);
        }
        long fromStart = Long.MIN_VALUE;
        if (signals.sent()) {
            long minimumGap = slot.politeness.minimumGapNanos();
            if (minimumGap > 0) {
                anyDelay = true;
            }
            fromStart = state.startNanos + minimumGap;
        } else if (slot.nextStartNanos == state.startNanos + state.gapNanos) {
            slot.nextStartNanos = state.previousNextStartNanos;
        }
        slot.nextStartNanos =
                Math.max(
                        slot.nextStartNanos,
                        Math.max(fromStart, slot.politeness.pausedUntilNanos()));
        index(slot, now);
        if (slot.state == State.NONE && slot.queue.isEmpty() && slot.inFlight == 0) {
            slots.remove(slot.key);
            if (!slot.politeness.equals(SlotState.INITIAL) || slot.nextStartNanos > now) {
                idleSlots.put(
                        slot.key,
                        new IdleSlot(slot.politeness, slot.nextStartNanos, slot.lastGapReason));
            }
        }
        changed.signalAll();
    }

    /**
     * Applies signals to a slot outside any lease's ending (a Crawl-delay an earlier run learned),
     * before the slot's next start.
     */
    void signal(Slot<E, Q> slot, SlotSignals signals, long now) {
        slot.politeness = throttle.afterEnding(slot.key, slot.politeness, signals, now);
    }

    /**
     * Nanoseconds until the next event the schedule knows of (a lease's deadline, a waiting slot's
     * start) or {@code otherNanos} from now, whichever comes first; at least 1.
     */
    long nanosUntilNextEvent(long now, long otherNanos) {
        long next =
                earliestDeadlineNanos == Long.MAX_VALUE
                        ? Long.MAX_VALUE
                        : earliestDeadlineNanos - now;
        if (!waiting.isEmpty()) {
            next = Math.min(next, waiting.first().nextStartNanos - now);
        }
        return Math.max(1, Math.min(next, otherNanos));
    }

    /** Its counters, as the frontier's stats name them. */
    void addStats(Map<String, Long> stats) {
        if (expiredLeases > 0) {
            stats.put("frontier/leases_expired", expiredLeases);
        }
        delaysSetBy.forEach((reason, n) -> stats.put("politeness/delay_set_by/" + reason, n));
    }

    /**
     * A lease in force: its slot, queue entry and request, when its request started, the gap it set
     * and when it expires.
     */
    static final class LeaseState<E, Q extends Queue<E>> {
        final Slot<E, Q> slot;
        final E entry;
        final Request request;
        final long gapNanos;
        final long previousNextStartNanos;
        long startNanos;
        long deadlineNanos;

        LeaseState(
                Slot<E, Q> slot,
                E entry,
                Request request,
                long startNanos,
                long gapNanos,
                long previousNextStartNanos,
                long deadlineNanos) {
            this.slot = slot;
            this.entry = entry;
            this.request = request;
            this.startNanos = startNanos;
            this.gapNanos = gapNanos;
            this.previousNextStartNanos = previousNextStartNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** What an idle slot leaves behind for when it comes back. */
    private record IdleSlot(
            SlotState politeness, long nextStartNanos, @Nullable String lastGapReason) {}

    private enum State {
        NONE,
        READY,
        WAITING
    }

    /** One politeness slot: its queue, permits in use, next start and throttle state. */
    static final class Slot<E, Q extends Queue<E>> {
        final String key;
        final long id;
        final SlotRule rule;
        final Q queue;
        SlotState politeness = SlotState.INITIAL;
        @Nullable String lastGapReason;
        int inFlight;
        long nextStartNanos = Long.MIN_VALUE;
        State state = State.NONE;

        Slot(String key, long id, SlotRule rule, Q queue) {
            this.key = key;
            this.id = id;
            this.rule = rule;
            this.queue = queue;
        }
    }
}
