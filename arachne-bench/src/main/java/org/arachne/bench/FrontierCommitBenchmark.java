package org.arachne.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.FetchedPage;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.MemoryFrontier;
import org.arachne.frontier.SqliteFrontier;
import org.arachne.frontier.Ticker;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What does a job dir cost per page on the frontier's side: how many leases per second end with
 * their commit, in memory and in a job dir's SQLite database ({@code -p frontier=sqlite})? One
 * operation is {@code take} and {@code done} of one request whose response produced {@value #LINKS}
 * links ({@value #NEW_LINKS} new, the others seen before) and {@value #ITEMS} items, the shape of a
 * bench-site page; the queue stays near {@value #QUEUED} requests over {@value #SLOTS} slots
 * without limits or delays. The feed writer's side is included: every {@code ackEvery} operations
 * the outbox is polled and acknowledged (1: one thread committing and draining; 64: the feed
 * writer's largest poll, what it does under load). With {@code -p page=true} each {@code done} also
 * gives the page fetched ({@link FetchedPage}: validators and a 20 KB body, a bench-site page's
 * size), which a job dir keeps for recrawls (its body hashed, a row of its {@code pages}).
 *
 * <p>The state is shared: {@code -t N} shows the frontier's lock under contention. Each iteration
 * starts from a fresh frontier (and job dir), since the seen set grows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED") // sqlite-jdbc's native library
public class FrontierCommitBenchmark {
    static final int SLOTS = 1024;
    static final int QUEUED = 16 * SLOTS;
    static final int LINKS = 4;
    static final int NEW_LINKS = 1;
    static final int ITEMS = 2;
    static final int PAGE_BYTES = 20_000;

    @Param({"memory", "sqlite"})
    public String frontier;

    @Param({"1", "64"})
    public int ackEvery;

    @Param({"false", "true"})
    public boolean page;

    private Frontier f;
    private Path jobDir;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private List<Item> items;
    private final Body body = Body.wrap(new byte[PAGE_BYTES]);

    @Setup(Level.Iteration)
    public void open() throws IOException {
        SlotRules rules =
                new SlotRules(16, 0, Duration.ZERO, false, Map.of(), UnaryOperator.identity());
        FrontierSetup setup = FrontierSetup.of(rules, Throttle.none(), Ticker.system());
        if (frontier.equals("sqlite")) {
            jobDir = Files.createTempDirectory("arachne-bench-job-");
            f = SqliteFrontier.open(jobDir, setup);
        } else {
            f = new MemoryFrontier(setup);
        }
        List<Request> start = new ArrayList<>(QUEUED);
        for (int i = 0; i < QUEUED; i++) {
            start.add(request(sequence.getAndIncrement()));
        }
        f.add(start);
        items =
                List.of(
                        Item.of("title", "A Light in the Attic", "price", "£51.77", "stock", 22),
                        Item.of("title", "Tipping the Velvet", "price", "£53.74", "stock", 20));
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        f.close();
        if (jobDir != null) {
            try (Stream<Path> files = Files.walk(jobDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
            jobDir = null;
        }
    }

    @Benchmark
    public int takeDone() throws InterruptedException {
        // never null: thousands of requests are ready in every slot
        Lease lease = Objects.requireNonNull(f.take(Duration.ZERO), "no ready request");
        List<Request> links = new ArrayList<>(LINKS);
        long first = sequence.getAndAdd(NEW_LINKS);
        for (int i = 0; i < NEW_LINKS; i++) {
            links.add(request(first + i));
        }
        for (int i = NEW_LINKS; i < LINKS; i++) {
            links.add(request(first - i)); // queued or crawled before: a duplicate
        }
        FetchedPage fetched =
                page
                        ? new FetchedPage(
                                lease.request(), "\"v1\"", "Wed, 01 Jan 2025 12:00:00 GMT", body)
                        : null;
        int queued = f.done(lease, links, items, SlotSignals.NONE, fetched).queued();
        if (operations.incrementAndGet() % ackEvery == 0) {
            List<CommittedItems> batches = f.outbox().poll(ackEvery, Duration.ZERO);
            if (!batches.isEmpty()) { // with -t N another thread may have taken them
                f.outbox().acknowledge(batches.getLast().sequence());
            }
        }
        return queued;
    }

    /** A URL on the next slot, in the shape of a bench-site book page. */
    private static Request request(long n) {
        return Request.get(
                "http://host-" + (n % SLOTS) + ".bench.test/catalogue/book-" + n + ".html");
    }
}
