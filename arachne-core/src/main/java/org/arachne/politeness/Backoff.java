package org.arachne.politeness;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, the one formula behind retry delays and a slot's error backoff:
 * after {@code n} failures in a row the wait is {@code base × 2^(n−1)}, times a random factor
 * between 0.5 and 1.5, and never more than {@code max}.
 *
 * @param base the wait after the first failure (before jitter)
 * @param max the longest wait
 */
public record Backoff(Duration base, Duration max) {
    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
    }

    /**
     * The wait after this many failures in a row.
     *
     * @param failures at least 1; zero or less gives no wait
     */
    public Duration after(int failures, RandomGenerator random) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        long maxNanos = max.toNanos();
        long nanos = base.toNanos() << Math.min(failures - 1, 30);
        if (nanos <= 0 || nanos > maxNanos) {
            nanos = maxNanos;
        }
        double jitter = 0.5 + random.nextDouble();
        return Duration.ofNanos(Math.min(maxNanos, Math.round(nanos * jitter)));
    }
}
