package org.arachne.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.arachne.frontier.Fingerprint;
import org.arachne.frontier.RequestCodec;
import org.arachne.http.Request;
import org.arachne.politeness.SlotRule;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotState;
import org.arachne.politeness.Throttle;
import org.jspecify.annotations.Nullable;

/**
 * What the scripts are told about slots and what they answer, in the units they keep: a slot's rule
 * (from {@link SlotRules}), its state as Java's {@link Throttle} computes it, and batches of
 * requests to queue. Durations of the state are nanoseconds, as in {@link SlotState}; its pause is
 * an instant in epoch microseconds, 0 for none.
 */
final class SlotArgs {
    private final SlotRules rules;
    private final Throttle throttle;
    private final LongSupplier stamps;

    /**
     * @param stamps the order stamp of each request queued: the crawl's time in microseconds, each
     *     greater than the last (see {@code rankOf} in lib.lua)
     */
    SlotArgs(SlotRules rules, Throttle throttle, LongSupplier stamps) {
        this.rules = rules;
        this.throttle = throttle;
        this.stamps = stamps;
    }

    /** A slot's state as a script answered it, and its version (the count of its changes). */
    record Snapshot(SlotState state, long version) {
        /**
         * Reads floor, pause, streak, backoff, throttle and version from {@code reply[from]} on.
         */
        static Snapshot read(List<Object> reply, int from) {
            long paused = Scripts.number(reply.get(from + 1));
            return new Snapshot(
                    new SlotState(
                            Scripts.number(reply.get(from)),
                            paused == 0 ? Long.MIN_VALUE : Math.multiplyExact(paused, 1000L),
                            (int) Scripts.number(reply.get(from + 2)),
                            Scripts.number(reply.get(from + 3)),
                            Scripts.number(reply.get(from + 4))),
                    Scripts.number(reply.get(from + 5)));
        }
    }

    /**
     * Adds a state update as {@code applyState} in {@code lib.lua} takes it: to be stored only if
     * the slot's version is still {@code expectedVersion} (-1: whatever it is), with the part of
     * the gap it sets ({@link Throttle#stateGap}).
     */
    void addUpdate(Args args, String slot, long expectedVersion, SlotState state) {
        Throttle.Gap gap =
                rules.ruleOf(slot).local()
                        ? new Throttle.Gap(0, "download_delay")
                        : throttle.stateGap(state);
        args.add(expectedVersion)
                .add(state.floorNanos())
                .add(
                        state.pausedUntilNanos() == Long.MIN_VALUE
                                ? 0
                                : ceilMicros(state.pausedUntilNanos()))
                .add(state.errorStreak())
                .add(state.errorBackoffNanos())
                .add(state.throttleNanos())
                .add(gap.nanos())
                .add(gap.reason());
    }

    static long ceilMicros(long nanos) {
        return Math.ceilDiv(nanos, 1000L);
    }

    /** A new batch of requests to queue. */
    Batch batch() {
        return new Batch();
    }

    /**
     * Requests with their slots and fingerprints, as {@code readRequests} in lib.lua reads them.
     */
    final class Batch {
        private final Map<String, Integer> slots = new LinkedHashMap<>();
        private final Args slotArgs = new Args();
        private final Args requestArgs = new Args();
        private int requests;

        /**
         * Adds a request.
         *
         * @param fingerprint null for none (no deduplication)
         * @param filter whether the fingerprint drops a request seen before, or is only recorded
         */
        void add(Request request, @Nullable Fingerprint fingerprint, boolean filter) {
            add(request, rules.slotOf(request), fingerprint, filter); // may resolve: no script runs
        }

        private void add(
                Request request, String slot, @Nullable Fingerprint fingerprint, boolean filter) {
            Integer index = slots.get(slot);
            if (index == null) {
                index = slots.size() + 1;
                slots.put(slot, index);
                addRule(slotArgs.add(slot), rules.ruleOf(slot));
            }
            requestArgs
                    .add(index)
                    .add(fingerprint == null ? new byte[0] : bytes(fingerprint))
                    .add(filter)
                    .add(request.priority())
                    .add(request.depth())
                    .add(stamps.getAsLong())
                    .add(RequestCodec.toBytes(request));
            requests++;
        }

        int size() {
            return requests;
        }

        void appendTo(Args args) {
            args.add(slots.size());
            args.list().addAll(slotArgs.list());
            args.add(requests);
            args.list().addAll(requestArgs.list());
        }
    }

    /** A new batch of requests spread over the partitions of their slots. */
    Batches batches(int partitions) {
        return new Batches(partitions);
    }

    /** Requests in one batch per partition: that of their slot ({@link CrawlKeys#partitionOf}). */
    final class Batches {
        private final int partitions;
        private final TreeMap<Integer, Batch> byPartition = new TreeMap<>();

        private Batches(int partitions) {
            this.partitions = partitions;
        }

        /** Adds a request to its slot's partition's batch; as {@link Batch#add} otherwise. */
        void add(Request request, @Nullable Fingerprint fingerprint, boolean filter) {
            String slot = rules.slotOf(request); // may resolve: outside any script
            byPartition
                    .computeIfAbsent(CrawlKeys.partitionOf(slot, partitions), k -> new Batch())
                    .add(request, slot, fingerprint, filter);
        }

        /** The batches by partition, in partition order; only partitions that have requests. */
        SortedMap<Integer, Batch> byPartition() {
            return byPartition;
        }
    }

    /** The 7 fields of a slot's rule, and the gap a slot that learned nothing yet starts with. */
    private void addRule(Args args, SlotRule rule) {
        Throttle.Gap initial =
                rule.local()
                        ? new Throttle.Gap(0, "download_delay")
                        : throttle.stateGap(SlotState.INITIAL);
        args.add(rule.concurrency())
                .add(rule.delay().toNanos())
                .add(rule.randomizeDelay())
                .add(rule.fromSlotSettings() ? "download_slots" : "download_delay")
                .add(rule.local())
                .add(initial.nanos())
                .add(initial.reason());
    }

    private static byte[] bytes(Fingerprint fingerprint) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (fingerprint.high() >>> (56 - 8 * i));
            out[8 + i] = (byte) (fingerprint.low() >>> (56 - 8 * i));
        }
        return out;
    }

    /** An empty list, for scripts that take a batch and get none. */
    static void addNoRequests(Args args) {
        args.add(0).add(0);
    }
}
