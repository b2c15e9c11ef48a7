package org.arachne.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.frontier.MemoryFrontier;
import org.arachne.frontier.Ticker;
import org.arachne.http.Request;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How many requests per second can pass through the {@link MemoryFrontier}? One operation is the
 * life of one request: {@code add} (fingerprint, dedup, slot queue), {@code take} (best ready slot,
 * permit) and {@code done}. The frontier holds {@value #QUEUED} requests over {@value #SLOTS}
 * slots, 16 permits per slot and no delay, so politeness bookkeeping is measured, not waiting.
 *
 * <p>The state is shared: run with {@code -t N} to see the lock under contention. Each iteration
 * starts from a fresh frontier, since the seen-set grows by one fingerprint per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrontierBenchmark {
    static final int SLOTS = 1024;
    static final int QUEUED = 16 * SLOTS;

    private final AtomicLong sequence = new AtomicLong();
    private MemoryFrontier frontier;

    @Setup(Level.Iteration)
    public void fill() {
        SlotRules rules =
                new SlotRules(16, 0, Duration.ZERO, false, Map.of(), UnaryOperator.identity());
        frontier = new MemoryFrontier(FrontierSetup.of(rules, Throttle.none(), Ticker.system()));
        List<Request> start = new ArrayList<>(QUEUED);
        for (int i = 0; i < QUEUED; i++) {
            start.add(nextRequest());
        }
        frontier.add(start);
    }

    @TearDown(Level.Iteration)
    public void close() {
        frontier.close();
    }

    @Benchmark
    public int addTakeDone() throws InterruptedException {
        int added = frontier.add(List.of(nextRequest()));
        // never null: thousands of requests are ready in every slot
        Lease lease = Objects.requireNonNull(frontier.take(Duration.ZERO), "no ready request");
        return added + frontier.done(lease, List.of(), List.of(), SlotSignals.NONE).queued();
    }

    /** A new URL on the next slot, in the shape of a bench-site book page. */
    private Request nextRequest() {
        long n = sequence.getAndIncrement();
        return Request.get(
                "http://host-" + (n % SLOTS) + ".bench.test/catalogue/book-" + n + ".html");
    }
}
