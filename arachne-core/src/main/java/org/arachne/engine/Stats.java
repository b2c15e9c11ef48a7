package org.arachne.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of everything a crawl does, keyed like Scrapy's stats ({@code
 * downloader/response_status_count/200}, {@code item_scraped_count}, {@code
 * error_count/download/timeout}). Thread-safe and cheap to increment from any thread.
 */
final class Stats implements StatsView {
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void inc(String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    public void inc(String key, long amount) {
        counters.computeIfAbsent(key, k -> new LongAdder()).add(amount);
    }

    /** Sets a counter to a value measured elsewhere (a frontier's figures). */
    public void set(String key, long value) {
        LongAdder adder = counters.computeIfAbsent(key, k -> new LongAdder());
        adder.reset();
        adder.add(value);
    }

    /** Counts a failure: {@code error_count} and {@code error_count/<stage>/<exception class>}. */
    public void countError(String stage, Throwable e) {
        countError(stage + "/" + e.getClass().getSimpleName());
    }

    /** Counts a failure of this kind: {@code error_count} and {@code error_count/<kind>}. */
    public void countError(String kind) {
        inc(StatKeys.ERROR_COUNT);
        inc(StatKeys.error(kind));
    }

    @Override
    public long get(String key) {
        LongAdder adder = counters.get(key);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
