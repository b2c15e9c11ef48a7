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
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a failed download or a response with a {@code retry_http_codes} status is tried
 * again, and after how long: exponential backoff from {@code retry_backoff_base} with jitter
 * (0.5–1.5×), at most {@code retry_backoff_max}, and never sooner than the server's {@code
 * Retry-After}. A Retry-After longer than {@code retry_backoff_max} is not waited for: the request
 * fails, so a server asking for hours does not stall the crawl. The attempt count travels in the
 * request's meta as {@code retry_times}, as in Scrapy.
 */
public final class RetryPolicy implements ResponseStage {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

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
     * throttles the site, not one URL). When it is not tried again (its retries are used up, or the
     * server asks to wait longer than {@code retry_backoff_max}), the response goes on, as Scrapy's
     * RetryMiddleware returns the last response: to the callback when the request handles its
     * status ({@code handle_httpstatus_list}), else the {@link HttpErrorFilter} fails it (see
     * {@link #gaveUp}). Responses of other statuses go on untouched.
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
        Outcome outcome = decideOnStatus(response);
        if (outcome instanceof Outcome.Fail gaveUp) {
            LOG.debug(
                    "{}: {}; the response goes on", Urls.redacted(response.url()), gaveUp.reason());
            return StageResult.next(response, gaveUp.counters());
        }
        return StageResult.end(outcome);
    }

    /**
     * Why this response of a {@code retry_http_codes} status was not tried again ({@code HTTP 503
     * (gave up after 2 retries)}), or null when its status is not retried: the reason the {@link
     * HttpErrorFilter} fails it with when the request does not handle the status.
     */
    public @Nullable String gaveUp(Response response) {
        if (!retriesStatus(response.status())) {
            return null;
        }
        return decideOnStatus(response) instanceof Outcome.Fail gaveUp ? gaveUp.reason() : null;
    }

    private Outcome decideOnStatus(Response response) {
        int status = response.status();
        return decide(response.request(), response, "HTTP " + status, "http_status/" + status);
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
     * used up, retry is off, or the server asks for longer than {@code retry_backoff_max}. Draws
     * the jitter only for a retry.
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
        Duration retryAfter = response == null ? null : retryAfter(response);
        if (retryAfter != null && retryAfter.compareTo(backoff.max()) > 0) {
            return new Outcome.Fail(
                    what
                            + " (Retry-After "
                            + retryAfter.toSeconds()
                            + "s is longer than retry_backoff_max)",
                    kind);
        }
        Duration delay = backoff.after(done + 1, random);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
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
