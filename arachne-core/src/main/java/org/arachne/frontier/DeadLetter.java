package org.arachne.frontier;

import java.time.Instant;
import java.util.Objects;
import org.arachne.http.Request;

/**
 * A request that failed for good: a line of the dead-letter feed ({@code failed.jsonl}), and what a
 * durable frontier keeps to queue it again ({@code --retry-failed}).
 *
 * @param url the request's URL
 * @param reason why it failed, as the engine said
 * @param attempts how often it was tried: 1 + its {@code retry_times}
 * @param status the HTTP status of its last response, 0 when none came (the download failed)
 * @param failedAt when it was given up
 * @param request the request as it was last leased
 */
public record DeadLetter(
        String url, String reason, int attempts, int status, Instant failedAt, Request request) {
    public DeadLetter {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(request, "request");
    }

    /** Meta key of the retries a request has had, as the retry stage counts them. */
    static final String RETRY_TIMES = "retry_times";

    /** The dead letter of a request that failed now, its attempts counted from its meta. */
    public static DeadLetter of(Request request, String reason, int status, Instant failedAt) {
        return new DeadLetter(
                request.url(), reason, attemptsOf(request), status, failedAt, request);
    }

    /** Tries of a request: the first, and the retries the retry stage counted in its meta. */
    public static int attemptsOf(Request request) {
        return request.meta(RETRY_TIMES) instanceof Number retries ? 1 + retries.intValue() : 1;
    }
}
