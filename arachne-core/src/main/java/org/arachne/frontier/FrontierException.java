package org.arachne.frontier;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A frontier could not do what it was asked because its store failed (a disk, a database, a Redis
 * server), as opposed to a bug. The engine's one policy for it: a {@linkplain #isTransient
 * transient} failure is tried again with capped backoff and logged every few seconds; any other
 * stops the crawl cleanly (no new leases; the feeds are closed), so a durable frontier resumes from
 * what it had committed. Its {@link #kind} says what a user can do about it.
 */
public final class FrontierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure it is, so that a command can tell the user what to do (#10). */
    public enum Kind {
        /** The store failed: a lost connection, an error inside the store. */
        FAILED,
        /**
         * The store's files cannot be written or read (a full disk, a file-size limit, an I/O
         * error, no permission): a later run, once that is mended, goes on from the last commit.
         */
        STORAGE,
        /** Another process (or another frontier of this one) holds the store: one at a time. */
        IN_USE,
        /**
         * The store cannot be used as it is: damaged, foreign, of a newer format or of another
         * crawl. It is left as it was; a person decides what to do with it.
         */
        REFUSED
    }

    private final boolean transientFailure;
    private final Kind kind;

    /**
     * A failure of kind {@link Kind#FAILED}.
     *
     * @param transientFailure whether trying again later may succeed (a connection lost, a database
     *     busy)
     */
    public FrontierException(String message, boolean transientFailure, @Nullable Throwable cause) {
        this(message, Kind.FAILED, transientFailure, cause);
    }

    /** A failure of the given kind. */
    public FrontierException(
            String message, Kind kind, boolean transientFailure, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.transientFailure = transientFailure;
    }

    /** Whether trying again later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** What kind of failure it is. */
    public Kind kind() {
        return kind;
    }
}
