package org.arachne.frontier;

import org.jspecify.annotations.Nullable;

/**
 * A frontier could not do what it was asked because its store failed (a disk, a database, a Redis
 * server), as opposed to a bug. The engine's one policy for it: a {@linkplain #isTransient
 * transient} failure is tried again with capped backoff and logged every few seconds; any other
 * stops the crawl cleanly (no new leases; the feeds are closed), so a durable frontier resumes from
 * what it had committed.
 */
public final class FrontierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    /**
     * @param transientFailure whether trying again later may succeed (a connection lost, a database
     *     busy)
     */
    public FrontierException(String message, boolean transientFailure, @Nullable Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether trying again later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
