package org.arachne.frontier;

/**
 * Whether a frontier starts a new crawl or goes on with one whose state it kept. The engine seeds
 * start requests only into a {@link #FRESH} frontier.
 */
public enum Opening {
    /** Nothing was kept: the crawl starts from its start requests. */
    FRESH,
    /** Queued requests, the seen set, leases in flight at the stop and counters were kept. */
    RESUMED
}
