package org.arachne.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.frontier.Dedup;
import org.arachne.frontier.Fingerprint;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.MemoryFrontier;
import org.arachne.frontier.SeenSet;
import org.arachne.http.Request;
import org.arachne.politeness.SlotSignals;

/**
 * How much heap do queued requests and seen fingerprints take, and how fast do requests go in and
 * out of a bounded frontier, at millions of requests? Not JMH: each figure is one long run, heap is
 * measured after full collections. Run by {@code bench/frontier-memory}, which sets the heap limit.
 *
 * <p>Arguments: {@code REQUESTS MEMORY_QUEUE_LIMIT exact|bloom}. Prints one JSON object.
 */
public final class FrontierMemory {
    private static final int HOSTS = 100;
    private static final int BATCH = 20; // links per page on the bench site

    private FrontierMemory() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FrontierMemory REQUESTS MEMORY_QUEUE_LIMIT exact|bloom");
            System.exit(2);
        }
        int requests = Integer.parseInt(args[0]);
        int limit = Integer.parseInt(args[1]);
        boolean bloom = args[2].equals("bloom");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("requests", requests);
        report.put("memory_queue_limit", limit);
        report.put("dupefilter", bloom ? "bloom" : "exact");
        report.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);

        long base = usedHeap();
        SeenSet alone = seenSet(bloom, requests);
        for (int i = 0; i < requests; i++) {
            alone.add(Fingerprint.of(request(i)));
        }
        long seenBytes = usedHeap() - base;
        Reference.reachabilityFence(alone); // measured while still in use
        report.put("heap_bytes_per_fingerprint", round(seenBytes / (double) requests));

        // Bytes per queued request: a sample held wholly in memory, the seen set's share taken off.
        int sample = Math.min(requests, 1_000_000);
        base = usedHeap();
        MemoryFrontier unbounded = new MemoryFrontier(FrontierSetup.plainQueue().withDedup(null));
        push(unbounded, 0, sample);
        report.put("heap_bytes_per_queued_request", round((usedHeap() - base) / (double) sample));
        Reference.reachabilityFence(unbounded);
        unbounded.close();

        base = usedHeap();
        MemoryFrontier bounded =
                new MemoryFrontier(
                        FrontierSetup.plainQueue()
                                .withDedup(bloom ? Dedup.bloom(requests, 0.001) : Dedup.EXACT)
                                .withMemoryQueueLimit(limit));
        long start = System.nanoTime();
        push(bounded, 0, requests);
        double pushSeconds = (System.nanoTime() - start) / 1e9;
        report.put("push_per_second", Math.round(requests / pushSeconds));
        report.put("heap_mib_with_all_queued", (usedHeap() - base) >> 20);
        Reference.reachabilityFence(bounded);
        Map<String, Long> stats = bounded.stats();
        report.put("spill_file_mib", stats.getOrDefault("scheduler/disk_bytes", 0L) >> 20);

        start = System.nanoTime();
        int taken = 0;
        Lease lease;
        while ((lease = bounded.take(Duration.ZERO)) != null) {
            bounded.done(lease, List.of(), List.of(), SlotSignals.NONE);
            taken++;
        }
        double popSeconds = (System.nanoTime() - start) / 1e9;
        long queued = bounded.stats().get("dupefilter/seen");
        if (taken != queued) {
            throw new IllegalStateException("took " + taken + " of " + queued + " requests");
        }
        report.put("dropped_as_false_positives", requests - queued);
        report.put("pop_per_second", Math.round(requests / popSeconds));
        report.put("frontier_stats", bounded.stats());
        bounded.close();
        System.out.println(new ObjectMapper().writeValueAsString(report));
    }

    private static SeenSet seenSet(boolean bloom, int expected) {
        return bloom ? SeenSet.bloom(expected, 0.001) : SeenSet.exact();
    }

    /** Adds requests {@code from..to} in batches of one page's links. */
    private static void push(MemoryFrontier frontier, int from, int to) {
        List<Request> batch = new ArrayList<>(BATCH);
        for (int i = from; i < to; i++) {
            batch.add(request(i));
            if (batch.size() == BATCH) {
                frontier.add(batch);
                batch.clear();
            }
        }
        frontier.add(batch);
    }

    /** A book page URL of the bench site's shape, on one of {@value #HOSTS} hosts. */
    /** Request {@code n} of the bench site's shape: 100 hosts, depth 1 to 3. */
    static Request request(int n) {
        return Request.get(
                        "http://host-"
                                + (n % HOSTS)
                                + ".bench.test/catalogue/book-"
                                + n
                                + ".html?ref=listing")
                .withDepth(1 + n % 3);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
