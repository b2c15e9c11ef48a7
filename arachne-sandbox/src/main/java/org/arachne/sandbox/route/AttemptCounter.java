package org.arachne.sandbox.route;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the attempts per key for routes that fail the first N times. */
final class AttemptCounter {
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    /** Counts one more attempt for {@code key} and returns its number, starting at 1. */
    int next(String key) {
        return attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    void clear() {
        attempts.clear();
    }
}
