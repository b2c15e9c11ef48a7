package org.arachne.frontier;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.arachne.http.Body;
import org.jspecify.annotations.Nullable;

/**
 * What one fetch of an origin's robots.txt found, as a durable frontier keeps it across runs
 * ({@link RobotsTxtStore}, #10): the file as fetched, or that everything is allowed, and when. The
 * body is kept rather than the rules parsed from it, so a later run reads it for its own {@code
 * user_agent} and {@code robotstxt_max_crawl_delay}. A fetch that gave its origin up (a 5xx, a 429,
 * a network error) is not kept: the next run asks again. Immutable.
 *
 * @param origin the origin whose {@code /robots.txt} it is ({@code http://a.test:8080})
 * @param fetchedAt when it was fetched, on the wall clock (compared across runs)
 * @param kind a file of rules, or everything allowed
 * @param body the file as read (cut after its last whole line when it was longer than the stage
 *     reads); empty for {@link Kind#ALLOW_ALL}
 * @param contentType the response's {@code Content-Type}, or null when it sent none
 * @param crawlDelay the {@code Crawl-delay} the file asked of this crawl, before any cap; zero for
 *     none
 */
public record RobotsTxtRecord(
        String origin,
        Instant fetchedAt,
        Kind kind,
        Body body,
        @Nullable String contentType,
        Duration crawlDelay) {

    /**
     * How long a record is used after its fetch: RFC 9309 section 2.4 asks crawlers not to use a
     * cached robots.txt for more than 24 hours; the in-memory store keeps its entries as long.
     */
    public static final Duration LIFETIME = Duration.ofHours(24);

    /** What the fetch found. */
    public enum Kind {
        /** A 2xx: the body holds the rules. */
        RULES,
        /**
         * A 4xx other than 429, or a file its redirects cannot reach (RFC 9309 2.3.1.2): everything
         * is allowed.
         */
        ALLOW_ALL
    }

    public RobotsTxtRecord {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(crawlDelay, "crawlDelay");
        if (origin.isBlank()) {
            throw new IllegalArgumentException("the origin is blank");
        }
        if (crawlDelay.isNegative()) {
            throw new IllegalArgumentException("the Crawl-delay is negative: " + crawlDelay);
        }
        if (kind == Kind.ALLOW_ALL && (!body.isEmpty() || !crawlDelay.isZero())) {
            throw new IllegalArgumentException(
                    "an allow-all record has no body and no Crawl-delay");
        }
    }

    /** Everything allowed for the origin, found at {@code fetchedAt}. */
    public static RobotsTxtRecord allowAll(String origin, Instant fetchedAt) {
        return new RobotsTxtRecord(
                origin, fetchedAt, Kind.ALLOW_ALL, Body.EMPTY, null, Duration.ZERO);
    }

    /**
     * How much of its {@link #LIFETIME} is left at {@code now}: zero or less once it is used up,
     * and zero for a record fetched after {@code now} (the wall clock was set back since: it cannot
     * be told how old it is).
     */
    public Duration lifeLeft(Instant now) {
        if (fetchedAt.isAfter(now)) {
            return Duration.ZERO;
        }
        return LIFETIME.minus(Duration.between(fetchedAt, now));
    }
}
