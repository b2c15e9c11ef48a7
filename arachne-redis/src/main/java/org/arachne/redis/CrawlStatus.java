package org.arachne.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A crawl on Redis as {@code arachne status} shows it: how far it got for all workers together,
 * each host (politeness slot) with work, and each worker, read in one script ({@code
 * control/status.lua}) so the numbers agree with each other; for a crawl of several partitions, one
 * on each, summed. Immutable.
 *
 * @param crawl the crawl's name
 * @param state starting, running, finished, stopping or stopped
 * @param at the server's time when it was read
 * @param stoppedAt when {@code arachne stop} stopped it, or null
 * @param queued requests queued, retries waiting for their time included
 * @param retriesWaiting of those, retries waiting for their time
 * @param inFlight leases out
 * @param inFlightExpired of those, past their deadline (their worker is gone; the next take of any
 *     worker queues them again)
 * @param done leases done (a response handled)
 * @param retried leases ended to be tried again
 * @param failed leases failed for good
 * @param leasesExpired leases whose worker did not renew them, queued again
 * @param seen requests seen (the seen set's fingerprints)
 * @param itemBatches item batches committed to the crawl's stream (one per page that gave items)
 * @param itemBatchesExported of those, acknowledged by {@code arachne export} (and trimmed)
 * @param hosts the slots with requests queued or in flight, most queued first
 * @param workers the workers known (by their entries and by their leases), by name
 */
public record CrawlStatus(
        String crawl,
        State state,
        Instant at,
        @Nullable Instant stoppedAt,
        long queued,
        long retriesWaiting,
        long inFlight,
        long inFlightExpired,
        long done,
        long retried,
        long failed,
        long leasesExpired,
        long seen,
        long itemBatches,
        long itemBatchesExported,
        List<Host> hosts,
        List<Worker> workers) {

    /** How long a worker's entry goes without a heartbeat before the worker counts as gone. */
    public static final Duration GONE_AFTER = WorkerRegistration.CLAIM_LASTS;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The counters each partition's meta holds, summed over the partitions. */
    private static final Set<String> COUNTERS =
            Set.of("queued", "done", "retried", "failed", "leases_expired", "sequence", "outgoing");

    public CrawlStatus {
        Objects.requireNonNull(crawl, "crawl");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        hosts = List.copyOf(hosts);
        workers = List.copyOf(workers);
    }

    /** Where the crawl is. */
    public enum State {
        /** Opened by its first worker, which has not queued the start requests yet. */
        STARTING,
        /** Requests are queued or in flight, and no stop was asked. */
        RUNNING,
        /** Nothing is queued and no lease is out, and no stop was asked: every worker exits 0. */
        FINISHED,
        /** Stopped by {@code arachne stop}; workers finish the leases they hold (in force). */
        STOPPING,
        /**
         * Stopped by {@code arachne stop}, no lease in force: what is queued stays queued, for
         * {@code arachne worker --resume}.
         */
        STOPPED
    }

    /**
     * One politeness slot with work.
     *
     * @param slot its name (a host, or an IP with {@code concurrent_requests_per_ip})
     * @param queued requests in its queue
     * @param inFlight its permits in use
     * @param concurrency its permits
     * @param nextStartIn how long until it may start a request (zero when it may now)
     * @param pausedFor how long a Retry-After pause still holds it (zero for none)
     * @param errorStreak responses in a row that failed (its error backoff grows with it)
     * @param delay its download delay
     * @param done its requests that ended done (by every worker, since the crawl began)
     * @param failed its requests that failed for good
     */
    public record Host(
            String slot,
            long queued,
            long inFlight,
            long concurrency,
            Duration nextStartIn,
            Duration pausedFor,
            long errorStreak,
            Duration delay,
            long done,
            long failed) {}

    /**
     * One worker of the crawl.
     *
     * @param name its name
     * @param state running, finished, stopped, interrupted, aborted as its entry says; {@code gone}
     *     for a running one without a heartbeat for {@link #GONE_AFTER} (killed, or cut off from
     *     Redis); {@code unknown} for one known only by its leases
     * @param leases leases it holds now
     * @param report what it said last (null for one known only by its leases)
     * @param heartbeatAgo since its last heartbeat (null without an entry)
     * @param unwrittenBatches for a worker writing its own file: batches committed to its stream
     *     and not in its file yet (a gone worker's are exported with {@code arachne export
     *     --worker})
     */
    public record Worker(
            String name,
            String state,
            long leases,
            @Nullable WorkerReport report,
            @Nullable Duration heartbeatAgo,
            long unwrittenBatches) {}

    /** The crawl's partitions as partition 0's reply of {@code control/status.lua} says. */
    static int partitions(List<Object> reply) {
        if (RedisCrawl.number(reply.get(0)) == 0) {
            return 1;
        }
        return (int) Math.max(1, field(pairs(list(reply.get(2))), "partitions"));
    }

    /**
     * Reads the replies of {@code control/status.lua}, one per partition (partition 0's first), as
     * one crawl: counters summed, slot lists joined (a slot is in one partition), leases by worker
     * summed, the workers and their heartbeats from partition 0; null when the crawl is not there.
     */
    static @Nullable CrawlStatus read(String crawl, List<List<Object>> replies) {
        List<Object> reply = replies.getFirst();
        if (RedisCrawl.number(reply.get(0)) == 0) {
            return null;
        }
        long now = RedisCrawl.number(reply.get(1));
        Map<String, String> meta = pairs(list(reply.get(2)));
        List<Object> slots = new ArrayList<>();
        List<Object> leaseCounts = new ArrayList<>();
        for (List<Object> partition : replies) {
            if (partition != reply) {
                addCounters(meta, pairs(list(partition.get(2))));
            }
            slots.addAll(list(partition.get(8)));
            leaseCounts.addAll(list(partition.get(9)));
        }
        addAcknowledged(meta);
        long leasesOut = RedisCrawl.sum(replies, 3);
        long queued = field(meta, "queued");
        long stopped = field(meta, "stopped");
        long pastDeadline = RedisCrawl.sum(replies, 4);
        State state;
        if (stopped > 0) {
            // a lease past its deadline is no worker's any more (one taken as a worker stopped
            // and never sent, or a killed worker's): queued again by the next take
            state = leasesOut - pastDeadline > 0 ? State.STOPPING : State.STOPPED;
        } else if (queued > 0 || leasesOut > 0 || field(meta, "outgoing") > 0) {
            state = State.RUNNING;
        } else {
            state = field(meta, "sequence") == 0 ? State.STARTING : State.FINISHED;
        }
        return new CrawlStatus(
                crawl,
                state,
                instant(now),
                stopped > 0 ? instant(stopped) : null,
                queued,
                RedisCrawl.sum(replies, 5),
                leasesOut,
                pastDeadline,
                field(meta, "done"),
                field(meta, "retried"),
                field(meta, "failed"),
                field(meta, "leases_expired"),
                RedisCrawl.sum(replies, 6),
                field(meta, "outbox_sequence"),
                field(meta, "acknowledged"),
                hosts(slots, now),
                workers(meta, leaseCounts, list(reply.get(10)), list(reply.get(11)), now));
    }

    /** The counters of a partition's meta (k &ge; 1) added to the crawl's. */
    private static void addCounters(Map<String, String> meta, Map<String, String> partition) {
        partition.forEach(
                (name, value) -> {
                    if (COUNTERS.contains(name) || name.startsWith("outbox_sequence")) {
                        meta.put(name, Long.toString(field(meta, name) + Long.parseLong(value)));
                    }
                });
    }

    /**
     * The acknowledged sequences of partition k &ge; 1's streams, kept in partition 0's meta as
     * {@code acknowledged<suffix>/<k>}, added to {@code acknowledged<suffix>}.
     */
    private static void addAcknowledged(Map<String, String> meta) {
        Map<String, Long> added = new HashMap<>();
        meta.forEach(
                (name, value) -> {
                    int slash = name.lastIndexOf('/');
                    if (name.startsWith("acknowledged") && slash > 0) {
                        added.merge(name.substring(0, slash), Long.parseLong(value), Long::sum);
                    }
                });
        added.forEach((name, n) -> meta.put(name, Long.toString(field(meta, name) + n)));
    }

    private static List<Host> hosts(List<Object> flat, long now) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i + 9 < flat.size(); i += 10) {
            long nextStart = RedisCrawl.number(flat.get(i + 4));
            long pausedUntil = RedisCrawl.number(flat.get(i + 5));
            hosts.add(
                    new Host(
                            text(flat.get(i)),
                            RedisCrawl.number(flat.get(i + 1)),
                            RedisCrawl.number(flat.get(i + 2)),
                            RedisCrawl.number(flat.get(i + 3)),
                            Duration.ofNanos(Math.max(0, nextStart - now) * 1000),
                            Duration.ofNanos(Math.max(0, pausedUntil - now) * 1000),
                            RedisCrawl.number(flat.get(i + 6)),
                            Duration.ofNanos(RedisCrawl.number(flat.get(i + 7))),
                            RedisCrawl.number(flat.get(i + 8)),
                            RedisCrawl.number(flat.get(i + 9))));
        }
        hosts.sort(
                Comparator.comparingLong((Host h) -> -h.queued())
                        .thenComparingLong(h -> -h.inFlight())
                        .thenComparing(Host::slot));
        return hosts;
    }

    private static List<Worker> workers(
            Map<String, String> meta,
            List<Object> leaseCounts,
            List<Object> entries,
            List<Object> heartbeats,
            long nowMicros) {
        Map<String, Long> leases = new HashMap<>();
        for (int i = 0; i + 1 < leaseCounts.size(); i += 2) {
            leases.merge(
                    text(leaseCounts.get(i)), RedisCrawl.number(leaseCounts.get(i + 1)), Long::sum);
        }
        Map<String, String> beats = pairs(heartbeats);
        Map<String, Worker> workers = new java.util.TreeMap<>();
        for (Map.Entry<String, String> entry : pairs(entries).entrySet()) {
            String name = entry.getKey();
            WorkerReport report = report(entry.getValue());
            String seen = beats.get(name);
            Duration ago =
                    seen == null
                            ? null
                            : Duration.ofMillis(
                                    Math.max(0, nowMicros / 1000 - Long.parseLong(seen)));
            String state = report == null ? "unknown" : report.state();
            if ("running".equals(state) && (ago == null || ago.compareTo(GONE_AFTER) > 0)) {
                state = "gone";
            }
            long unwritten =
                    field(meta, "outbox_sequence:" + name) - field(meta, "acknowledged:" + name);
            workers.put(
                    name,
                    new Worker(
                            name,
                            state,
                            leases.getOrDefault(name, 0L),
                            report,
                            ago,
                            Math.max(0, unwritten)));
        }
        leases.forEach(
                (name, n) ->
                        workers.computeIfAbsent(
                                name, w -> new Worker(w, "unknown", n, null, null, 0)));
        return new ArrayList<>(workers.values());
    }

    /** A worker's entry, or null when it cannot be read (written by another version). */
    private static @Nullable WorkerReport report(String json) {
        try {
            return JSON.readValue(json, WorkerReport.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The entry a worker writes with each heartbeat, as JSON. */
    static String json(WorkerReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a worker's entry cannot be written as JSON", e);
        }
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static long field(Map<String, String> meta, String name) {
        String v = meta.get(name);
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }

    private static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return map;
    }

    private static String text(Object value) {
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalStateException("the status script answered " + value + ", no list");
    }
}
