package org.arachne.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What one host (one IP) of the sandbox received: every request's start in arrival order, per-path
 * counts, and the most requests it had in flight at once. Politeness tests assert against it.
 *
 * <p>A request is in flight from the moment its handler starts until just before the last byte of
 * its response is handed to the socket, so a client that waits for a full response before sending
 * the next request is never counted twice.
 *
 * <p>Thread-safety: safe for concurrent use; readers get snapshots.
 */
public final class RequestLog {
    private final List<RequestStart> starts = new ArrayList<>();
    private final Map<String, LongAdder> perPath = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    RequestLog() {}

    /** Records a request's arrival and counts it in flight until {@link #finished()}. */
    void started(
            String method,
            String path,
            String target,
            @Nullable String host,
            @Nullable String referer) {
        synchronized (starts) {
            // the clock is read under the lock so that arrival order and nanos agree
            starts.add(new RequestStart(System.nanoTime(), method, path, target, host, referer));
        }
        perPath.computeIfAbsent(path, p -> new LongAdder()).increment();
        int now = inFlight.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /** Number of requests received. */
    public int count() {
        synchronized (starts) {
            return starts.size();
        }
    }

    /** Number of requests received for {@code path} (without query), e.g. {@code /robots.txt}. */
    public int count(String path) {
        @Nullable LongAdder n = perPath.get(path);
        return n == null ? 0 : n.intValue();
    }

    /** The most requests this host had in flight at the same time since the last reset. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Requests in flight right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Every request's start, in arrival order (a snapshot). */
    public List<RequestStart> starts() {
        synchronized (starts) {
            return List.copyOf(starts);
        }
    }

    /** The distinct paths requested (without query), in order of first arrival. */
    public Set<String> paths() {
        Set<String> paths = new LinkedHashSet<>();
        for (RequestStart s : starts()) {
            paths.add(s.path());
        }
        return paths;
    }

    /**
     * The shortest time between two consecutive request starts, or null with fewer than two
     * requests. Compare it with a download delay to check that a crawler waited.
     */
    public @Nullable Duration minGapBetweenStarts() {
        List<RequestStart> all = starts();
        long min = Long.MAX_VALUE;
        for (int i = 1; i < all.size(); i++) {
            min = Math.min(min, all.get(i).nanos() - all.get(i - 1).nanos());
        }
        return all.size() < 2 ? null : Duration.ofNanos(min);
    }

    /** Forgets everything received; requests still in flight keep being counted as such. */
    public void reset() {
        synchronized (starts) {
            starts.clear();
        }
        perPath.clear();
        maxConcurrent.set(inFlight.get());
    }
}
