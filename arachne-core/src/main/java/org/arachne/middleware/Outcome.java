package org.arachne.middleware;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.arachne.http.Request;

/**
 * How a stage ends a lease before the callback: the request is done with (dropped, or replaced by
 * another request), tried again, put back to wait, or failed for good. The lease handler turns it
 * into the frontier ending, and the crawl's events listener counts it: each outcome names the stats
 * it counts, so stages increment nothing themselves.
 */
public sealed interface Outcome {

    /** Done with the request; nothing to crawl from it. */
    record Drop(String reason, List<String> counters) implements Outcome {
        public Drop {
            Objects.requireNonNull(reason, "reason");
            counters = List.copyOf(counters);
        }
    }

    /** Done with the request; this one is queued in its place (a redirect). */
    record Replace(Request request, String reason, List<String> counters) implements Outcome {
        public Replace {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(reason, "reason");
            counters = List.copyOf(counters);
        }
    }

    /**
     * A failure that may pass: the request (its retry count raised) is tried again after the delay;
     * counted as {@code retry/count} and {@code retry/reason_count/<kind>}.
     */
    record Retry(Request request, Duration delay, String reason, String kind) implements Outcome {
        public Retry {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** Not a failure: the request is put back to wait for something (its origin's robots.txt). */
    record Wait(Request request, Duration delay, String reason) implements Outcome {
        public Wait {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A failure for good: the request is a dead letter, counted as {@code error_count/<errorKind>}
     * and logged with its URL.
     */
    record Fail(String reason, String errorKind, List<String> counters) implements Outcome {
        public Fail {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(errorKind, "errorKind");
            counters = List.copyOf(counters);
        }

        /** A failure that counts nothing but its error. */
        public Fail(String reason, String errorKind) {
            this(reason, errorKind, List.of());
        }
    }
}
