package org.arachne.redis;

import java.util.Objects;

/**
 * How a {@link RedisFrontier} works beside what its {@code FrontierSetup} says: whose clock the
 * crawl's politeness and leases run on, the name of the worker it serves, and where its items go.
 * Immutable; copies change one field.
 *
 * @param clock where "now" comes from
 * @param worker this worker's name, recorded with each lease it takes (letters, digits, {@code .},
 *     {@code _}, {@code -}; at most 100)
 * @param items where the items of this worker's done leases go, and who reads them
 * @param partitions the number of partitions of a crawl this frontier makes ({@code 1} to {@value
 *     #MAX_PARTITIONS}), or {@code 0} for "as the crawl has, 1 when this frontier makes it"; a
 *     frontier that asks for a number the crawl was not made with is refused (docs/redis.md,
 *     "Partitions")
 */
public record RedisFrontierOptions(Clock clock, String worker, Items items, int partitions) {

    /** The most partitions a crawl may have. */
    public static final int MAX_PARTITIONS = 1024;

    /** Where the scripts take "now" from. */
    public enum Clock {
        /**
         * The Redis server's clock ({@code TIME} inside each script): one clock for every worker on
         * every machine, whatever their own clocks say. The default.
         */
        SERVER,
        /**
         * The wall clock of the setup's {@code Ticker}, passed with every call: for tests that move
         * a {@code ManualTicker}, and for workers that share one clock (one machine).
         */
        TICKER
    }

    /**
     * Where a done lease's items go (in the script that ends the lease), and what the frontier's
     * {@code outbox()} gives the engine's feeds. A stream has one reader at a time.
     */
    public enum Items {
        /**
         * The crawl's stream ({@code items}), read by this frontier's outbox: the engine's feeds
         * get the items of every worker of the crawl. For one process on a crawl (a Java program
         * with feeds). The default.
         */
        CRAWL_STREAM,
        /**
         * The crawl's stream, read by {@code arachne export} ({@link CrawlExport}) alone: the
         * outbox gives the engine this worker's own batches as it commits them, from memory (its
         * counts, nothing for feeds to cut back), and never reads, acknowledges or trims the
         * stream. What {@code arachne worker} does without {@code -o}.
         */
        FOR_EXPORT,
        /**
         * This worker's own stream ({@code items:<worker>}, with its own sequence, acknowledgement
         * and feed positions), read by this frontier's outbox: the worker's local feed, which a
         * worker of the same name resumes exactly where the last one acknowledged. What {@code
         * arachne worker -o FILE} does.
         */
        WORKER_STREAM
    }

    public RedisFrontierOptions {
        Objects.requireNonNull(clock, "clock");
        CrawlKeys.checkName("worker", worker);
        Objects.requireNonNull(items, "items");
        if (partitions < 0 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "partitions: " + partitions + " is not between 1 and " + MAX_PARTITIONS);
        }
    }

    /**
     * The server's clock, a worker named after this host and process, the crawl's stream, the
     * crawl's partitions.
     */
    public static RedisFrontierOptions defaults() {
        return new RedisFrontierOptions(Clock.SERVER, defaultWorker(), Items.CRAWL_STREAM, 0);
    }

    public RedisFrontierOptions withClock(Clock newClock) {
        return new RedisFrontierOptions(newClock, worker, items, partitions);
    }

    public RedisFrontierOptions withWorker(String name) {
        return new RedisFrontierOptions(clock, name, items, partitions);
    }

    public RedisFrontierOptions withItems(Items where) {
        return new RedisFrontierOptions(clock, worker, where, partitions);
    }

    public RedisFrontierOptions withPartitions(int count) {
        return new RedisFrontierOptions(clock, worker, items, count);
    }

    /**
     * The suffix of the names of the outbox's stream and its counters: empty for the crawl's
     * stream, {@code :<worker>} for a worker's own (see {@code docs/redis.md}, "Items").
     */
    String outboxSuffix() {
        return items == Items.WORKER_STREAM ? ":" + worker : "";
    }

    /** The host's name as the environment gives it (no DNS lookup) and the process id. */
    private static String defaultWorker() {
        String host = System.getenv("HOSTNAME");
        String cleaned = host == null ? "" : host.replaceAll("[^A-Za-z0-9._-]", "");
        if (cleaned.isEmpty() || cleaned.length() > 60) {
            cleaned = "worker";
        }
        return cleaned + "-" + ProcessHandle.current().pid();
    }
}
