package org.arachne.middleware;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.arachne.frontier.Ticker;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.politeness.Backoff;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a failed download or a response with a {@code retry_http_codes} status is tried
 * again, and after how long: exponential backoff from {@code retry_backoff_base} with jitter
 * (0.5–1.5×), at most {@code retry_backoff_max}, and never sooner than the server's {@code
 * Retry-After}. A Retry-After longer than {@code retry_backoff_max} is not waited for: the request
 * fails, so a server asking for hours does not stall the crawl. The attempt count travels in the
 * request's meta as {@code retry_times}, as in Scrapy.
 */
public final class RetryPolicy {
    /** Meta key holding how many retries a request has had. */
    public static final String RETRY_TIMES = "retry_times";

    private final boolean enabled;
    private final int maxRetries;
    private final List<Integer> httpCodes;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Ticker ticker;

    /**
     * @param backoff {@code retry_backoff_base} and {@code retry_backoff_max}
     * @param random draws the jitter
     * @param ticker the wall clock, for {@code Retry-After} dates
     */
    public RetryPolicy(
            boolean enabled,
            int maxRetries,
            List<Integer> httpCodes,
            Backoff backoff,
            RandomGenerator random,
            Ticker ticker) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("setting 'retry_times' must be 0 or more");
        }
        this.enabled = enabled;
        this.maxRetries = maxRetries;
        this.httpCodes = List.copyOf(httpCodes);
        this.backoff = backoff;
        this.random = random;
        this.ticker = ticker;
    }

    /** What to do with a request that failed. */
    public sealed interface Decision {}

    /** Try again after {@code delay}, with this request (its retry count raised). */
    public record Retry(Request request, Duration delay) implements Decision {}

    /** Give up, for this reason. */
    public record GiveUp(String reason) implements Decision {}

    /** Whether responses of this status are retried. */
    public boolean retriesStatus(int status) {
        return enabled && httpCodes.contains(status);
    }

    /**
     * The decision for a request whose download failed or whose response has a retried status.
     *
     * @param response the response, or null when the download failed
     * @param what a short description of the failure, used in the reason
     */
    public Decision decide(Request request, @Nullable Response response, String what) {
        int done = retries(request);
        if (!enabled || done >= maxRetries) {
            return new GiveUp(
                    what
                            + (enabled
                                    ? " (gave up after " + done + " retries)"
                                    : " (retry disabled)"));
        }
        Duration delay = backoff.after(done + 1, random);
        Duration retryAfter = response == null ? null : retryAfter(response);
        if (retryAfter != null) {
            if (retryAfter.compareTo(backoff.max()) > 0) {
                return new GiveUp(
                        what
                                + " (Retry-After "
                                + retryAfter.toSeconds()
                                + "s is longer than retry_backoff_max)");
            }
            if (retryAfter.compareTo(delay) > 0) {
                delay = retryAfter;
            }
        }
        return new Retry(request.withMeta(RETRY_TIMES, done + 1), delay);
    }

    /** The longest wait between retries ({@code retry_backoff_max}). */
    public Duration maxBackoff() {
        return backoff.max();
    }

    /** How many retries the request has had. */
    public static int retries(Request request) {
        return request.meta(RETRY_TIMES) instanceof Number n ? n.intValue() : 0;
    }

    /** The Retry-After header as a duration (seconds, or an HTTP date), or null. */
    public @Nullable Duration retryAfter(Response response) {
        String value = response.headers().first("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ticker.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
