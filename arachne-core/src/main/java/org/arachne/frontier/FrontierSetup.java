package org.arachne.frontier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.Throttle;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link FrontierFactory} needs to open a frontier for one crawl: the politeness rules
 * and throttle functions it enforces, its order and deduplication, its memory bound, how long a
 * lease lasts without renewal, and the crawl's clock. Immutable; copies change one field.
 *
 * @param crawl the crawl's name (the spider's), under which a durable frontier keeps its state
 * @param rules slots and their fixed rules
 * @param throttle the functions that turn lease endings into slot numbers
 * @param order breadth or depth first among requests of equal priority
 * @param dedup how seen requests are dropped; null to keep every request
 * @param memoryQueueLimit queued requests a frontier keeps in memory before spilling to disk
 * @param spillDirectory where spill files go; null for a temporary directory removed at the end
 * @param leaseDuration how long a lease lasts unless renewed
 * @param ticker the crawl's clocks
 */
public record FrontierSetup(
        String crawl,
        SlotRules rules,
        Throttle throttle,
        CrawlOrder order,
        @Nullable Dedup dedup,
        long memoryQueueLimit,
        @Nullable Path spillDirectory,
        Duration leaseDuration,
        Ticker ticker) {

    /** How long a lease lasts unless renewed, by default. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofMinutes(1);

    public FrontierSetup {
        Objects.requireNonNull(crawl, "crawl");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(ticker, "ticker");
        if (memoryQueueLimit < 1) {
            throw new IllegalArgumentException(
                    "the memory queue limit must be at least 1, got " + memoryQueueLimit);
        }
        if (!leaseDuration.isPositive()) {
            throw new IllegalArgumentException("the lease duration must be positive");
        }
    }

    /**
     * A setup with these rules and defaults for the rest: breadth first, exact deduplication,
     * everything in memory, {@link #DEFAULT_LEASE_DURATION}.
     */
    public static FrontierSetup of(SlotRules rules, Throttle throttle, Ticker ticker) {
        return new FrontierSetup(
                "crawl",
                rules,
                throttle,
                CrawlOrder.BFS,
                Dedup.EXACT,
                Long.MAX_VALUE,
                null,
                DEFAULT_LEASE_DURATION,
                ticker);
    }

    /**
     * A plain ordered and deduplicated queue on the system clock: one slot per host without limits
     * or delays, for tools and benchmarks.
     */
    public static FrontierSetup plainQueue() {
        return of(SlotRules.perHostUnlimited(), Throttle.none(), Ticker.system());
    }

    public FrontierSetup withCrawl(String name) {
        return new FrontierSetup(
                name,
                rules,
                throttle,
                order,
                dedup,
                memoryQueueLimit,
                spillDirectory,
                leaseDuration,
                ticker);
    }

    public FrontierSetup withOrder(CrawlOrder newOrder) {
        return new FrontierSetup(
                crawl,
                rules,
                throttle,
                newOrder,
                dedup,
                memoryQueueLimit,
                spillDirectory,
                leaseDuration,
                ticker);
    }

    /** A copy with this deduplication; null keeps every request. */
    public FrontierSetup withDedup(@Nullable Dedup newDedup) {
        return new FrontierSetup(
                crawl,
                rules,
                throttle,
                order,
                newDedup,
                memoryQueueLimit,
                spillDirectory,
                leaseDuration,
                ticker);
    }

    public FrontierSetup withMemoryQueueLimit(long limit) {
        return new FrontierSetup(
                crawl, rules, throttle, order, dedup, limit, spillDirectory, leaseDuration, ticker);
    }

    public FrontierSetup withSpillDirectory(@Nullable Path directory) {
        return new FrontierSetup(
                crawl,
                rules,
                throttle,
                order,
                dedup,
                memoryQueueLimit,
                directory,
                leaseDuration,
                ticker);
    }

    public FrontierSetup withLeaseDuration(Duration duration) {
        return new FrontierSetup(
                crawl,
                rules,
                throttle,
                order,
                dedup,
                memoryQueueLimit,
                spillDirectory,
                duration,
                ticker);
    }
}
