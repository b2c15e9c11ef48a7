package org.arachne.politeness;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one named slot that differ from the crawl's ({@code download_slots}, like Scrapy's
 * DOWNLOAD_SLOTS): its concurrency, its delay and whether the delay is randomised. A null field
 * keeps the crawl's value.
 */
public record SlotOverride(
        @Nullable Integer concurrency, @Nullable Duration delay, @Nullable Boolean randomizeDelay) {
    public SlotOverride {
        if (concurrency != null && concurrency < 1) {
            throw new IllegalArgumentException(
                    "concurrency must be at least 1, got " + concurrency);
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
    }
}
