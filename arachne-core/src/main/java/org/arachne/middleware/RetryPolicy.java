package org.arachne.middleware;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.arachne.frontier.Ticker;
import org.arachne.http.DownloadException;
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
public final class RetryPolicy implements ResponseStage {
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

    /** Whether responses of this status are retried. */
    public boolean retriesStatus(int status) {
        return enabled && httpCodes.contains(status);
    }

    /**
     * A response of a {@code retry_http_codes} status is tried again (a 429 or 503 with a {@code
     * Retry-After} within {@code retry_backoff_max} also pauses its whole slot: the server
     * throttles the site, not one URL); others go on.
     */
    @Override
    public StageResult<Response> onResponse(Response response, SlotReport slot) {
        int status = response.status();
        if (!retriesStatus(status)) {
            return StageResult.next(response);
        }
        Duration retryAfter = retryAfter(response);
        if ((status == 429 || status == 503)
                && retryAfter != null
                && retryAfter.isPositive()
                && retryAfter.compareTo(backoff.max()) <= 0) {
            slot.pause(retryAfter);
        }
        return StageResult.end(
                decide(response.request(), response, "HTTP " + status, "http_status/" + status));
    }

    /** A retryable download failure is tried again; others are left to the next stage. */
    @Override
    public @Nullable Outcome onError(Request request, DownloadException error) {
        if (!error.kind().retryable()) {
            return null;
        }
        return decide(request, null, error.getMessage(), "download/" + error.kind().statName());
    }

    /**
     * The outcome for a request whose download failed or whose response has a retried status: a
     * retry after the backoff (at least the {@code Retry-After}), or a failure once the retries are
     * used up, retry is off, or the server asks for longer than {@code retry_backoff_max}.
     *
     * @param response the response, or null when the download failed
     * @param what a short description of the failure, used in the reason
     * @param kind what failed, as a stat key suffix ({@code http_status/503}, {@code
     *     download/timeout})
     */
    public Outcome decide(Request request, @Nullable Response response, String what, String kind) {
        int done = retries(request);
        if (!enabled) {
            return new Outcome.Fail(what + " (retry disabled)", kind);
        }
        if (done >= maxRetries) {
            return new Outcome.Fail(
                    what + " (gave up after " + done + " retries)",
                    kind,
                    List.of("retry/max_reached"));
        }
        Duration delay = backoff.after(done + 1, random);
        Duration retryAfter = response == null ? null : retryAfter(response);
        if (retryAfter != null) {
            if (retryAfter.compareTo(backoff.max()) > 0) {
                return new Outcome.Fail(
                        what
                                + " (Retry-After "
                                + retryAfter.toSeconds()
                                + "s is longer than retry_backoff_max)",
                        kind);
            }
            if (retryAfter.compareTo(delay) > 0) {
                delay = retryAfter;
            }
        }
        return new Outcome.Retry(request.withMeta(RETRY_TIMES, done + 1), delay, what, kind);
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
