package org.arachne.frontier;

import java.time.Instant;
import java.util.Objects;
import org.arachne.http.Request;

/**
 * A request that failed for good, as a durable frontier keeps it: for the dead-letter feed and for
 * queueing it again.
 *
 * @param url the request's URL
 * @param reason why it failed, as the engine said
 * @param attempts how often it was tried: 1 + its {@code retry_times}
 * @param failedAt when it was given up
 * @param request the request as it was last leased
 */
public record DeadLetter(
        String url, String reason, int attempts, Instant failedAt, Request request) {
    public DeadLetter {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(request, "request");
    }
}
