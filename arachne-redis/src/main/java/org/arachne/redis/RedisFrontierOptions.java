package org.arachne.redis;

import java.util.Objects;

/**
 * How a {@link RedisFrontier} works beside what its {@code FrontierSetup} says: whose clock the
 * crawl's politeness and leases run on, and the name of the worker it serves. Immutable; copies
 * change one field.
 *
 * @param clock where "now" comes from
 * @param worker this worker's name, recorded with each lease it takes (letters, digits, {@code .},
 *     {@code _}, {@code -}; at most 100)
 */
public record RedisFrontierOptions(Clock clock, String worker) {

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

    public RedisFrontierOptions {
        Objects.requireNonNull(clock, "clock");
        CrawlKeys.checkName("worker", worker);
    }

    /** The server's clock, and a worker named after this host and process. */
    public static RedisFrontierOptions defaults() {
        return new RedisFrontierOptions(Clock.SERVER, defaultWorker());
    }

    public RedisFrontierOptions withClock(Clock newClock) {
        return new RedisFrontierOptions(newClock, worker);
    }

    public RedisFrontierOptions withWorker(String name) {
        return new RedisFrontierOptions(clock, name);
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
