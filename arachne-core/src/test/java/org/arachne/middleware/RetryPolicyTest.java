package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.arachne.http.Body;
import org.arachne.http.DownloadException;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.politeness.Backoff;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retry stage, with time on a {@link ManualTicker} (its wall clock reads 2026-01-01T00:00:01Z)
 * and the jitter drawn from a fixed or seeded generator.
 */
class RetryPolicyTest {
    private static final String URL = "http://a.test/page";
    private static final List<Integer> CODES = List.of(500, 502, 503, 504, 522, 524, 408, 429);
    private static final Backoff BACKOFF =
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingSlot slot = new RecordingSlot();

    /** A generator whose every draw is {@code value}: jitter 0.5 + value. */
    private static RandomGenerator drawing(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is drawn");
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private RetryPolicy policy(int retryTimes, RandomGenerator random) {
        return new RetryPolicy(true, retryTimes, CODES, BACKOFF, random, ticker);
    }

    /** Two retries, jitter 1.0: the n-th retry waits exactly base × 2^(n−1). */
    private RetryPolicy policy() {
        return policy(2, drawing(0.5));
    }

    private static Response response(Request request, int status, String... headers) {
        return new Response(
                request, request.url(), status, Headers.of(headers), Body.EMPTY, Duration.ZERO);
    }

    private static Outcome outcomeOf(StageResult<Response> result) {
        assertThat(result).isInstanceOf(StageResult.End.class);
        return ((StageResult.End<Response>) result).outcome();
    }

    @Test
    void onResponse_retriedStatus_retriesUpToRetryTimesThenGivesUp() {
        RetryPolicy policy = policy();
        Request request = Request.get(URL);
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            Outcome outcome = outcomeOf(policy.onResponse(response(request, 503), slot));
            assertThat(outcome).isInstanceOf(Outcome.Retry.class);
            Outcome.Retry retry = (Outcome.Retry) outcome;
            assertThat(retry.request().meta(RetryPolicy.RETRY_TIMES)).isEqualTo(attempt);
            assertThat(retry.reason()).isEqualTo("HTTP 503");
            assertThat(retry.kind()).isEqualTo("http_status/503");
            delays.add(retry.delay());
            request = retry.request();
        }

        Response last = response(request, 503);
        StageResult<Response> passed = policy.onResponse(last, slot);

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        // the last response goes on, as Scrapy's RetryMiddleware returns it (#9)
        assertThat(passed).isEqualTo(StageResult.next(last, List.of("retry/max_reached")));
        assertThat(policy.gaveUp(last)).isEqualTo("HTTP 503 (gave up after 2 retries)");
        assertThat(slot.pauses).isEmpty();
    }

    @Test
    void gaveUp_aStatusNotRetriedOrStillRetried_isNull() {
        RetryPolicy policy = policy();

        assertThat(policy.gaveUp(response(Request.get(URL), 404))).isNull();
        assertThat(policy.gaveUp(response(Request.get(URL), 503))).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        // retries done, draw, delay ms: base 1 s doubling, jitter 0.5 + draw, at most 60 s
        "0, 0.5,  1000",
        "1, 0.5,  2000",
        "2, 0.5,  4000",
        "5, 0.5, 32000",
        "6, 0.5, 60000",
        "9, 0.5, 60000",
        "0, 0.0,   500",
        "2, 0.0,  2000",
        "6, 0.0, 30000",
        "0, 0.75, 1250",
        "5, 0.75, 40000",
        "6, 0.75, 60000",
    })
    void decide_backoffDoublesWithJitterUpToTheMax(int done, double draw, long delayMillis) {
        RetryPolicy policy = policy(10, drawing(draw));
        Request request = Request.get(URL).withMeta(RetryPolicy.RETRY_TIMES, done);

        Outcome outcome = policy.decide(request, null, "timeout", "download/timeout");

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).delay()).isEqualTo(Duration.ofMillis(delayMillis));
    }

    @Test
    void decide_seededRandom_jitterWithinHalfToOneAndAHalfAndRepeatable() {
        RetryPolicy one = policy(10, new Random(42));
        RetryPolicy same = policy(10, new Random(42));
        List<Duration> delays = new ArrayList<>();
        for (int done = 0; done < 5; done++) {
            Request request = Request.get(URL).withMeta(RetryPolicy.RETRY_TIMES, done);
            Duration delay = ((Outcome.Retry) one.decide(request, null, "x", "k")).delay();
            Duration again = ((Outcome.Retry) same.decide(request, null, "x", "k")).delay();
            long nominal = 1000L << done;
            assertThat(delay).isEqualTo(again);
            assertThat(delay.toMillis()).isBetween(nominal / 2, nominal * 3 / 2);
            delays.add(delay.dividedBy(1L << done));
        }
        assertThat(delays).as("the jitter varies").doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // Retry-After | delay ms (the backoff is 1 s)
                "30                            | 30000",
                "0                             |  1000",
                "' 45 '                        | 45000",
                "Thu, 01 Jan 2026 00:00:46 GMT | 45000",
                "Thu, 01 Jan 2026 00:00:00 GMT |  1000",
                "soon                          |  1000",
                "-5                            |  1000",
            })
    void onResponse_retryAfter_raisesTheDelay(String retryAfter, long delayMillis) {
        Outcome outcome =
                outcomeOf(
                        policy().onResponse(
                                        response(Request.get(URL), 503, "Retry-After", retryAfter),
                                        slot));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcome).delay()).isEqualTo(Duration.ofMillis(delayMillis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"61", "3600", "Thu, 01 Jan 2026 01:00:01 GMT"})
    void onResponse_retryAfterLongerThanTheMax_givesUpWithoutPausing(String retryAfter) {
        Response busy = response(Request.get(URL), 503, "Retry-After", retryAfter);

        StageResult<Response> result = policy().onResponse(busy, slot);

        assertThat(result).as("no retry was used up").isEqualTo(StageResult.next(busy));
        assertThat(policy().gaveUp(busy)).contains("is longer than retry_backoff_max");
        assertThat(slot.pauses).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // status, Retry-After, pause in seconds (0: none)
        "503, 30, 30",
        "429, 5, 5",
        "429, 60, 60",
        "503, 61, 0",
        "503, 0, 0",
        "503, '', 0",
        "500, 30, 0",
        "502, 10, 0",
    })
    void onResponse_pausesTheSlotOnlyFor429Or503WithARetryAfterWithinTheMax(
            int status, String retryAfter, long pauseSeconds) {
        String[] headers =
                retryAfter.isEmpty() ? new String[0] : new String[] {"Retry-After", retryAfter};

        policy().onResponse(response(Request.get(URL), status, headers), slot);

        assertThat(slot.pauses)
                .isEqualTo(
                        pauseSeconds == 0 ? List.of() : List.of(Duration.ofSeconds(pauseSeconds)));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 301, 404, 501})
    void onResponse_statusNotRetried_goesOn(int status) {
        Response response = response(Request.get(URL), status, "Retry-After", "5");

        assertThat(policy().onResponse(response, slot)).isEqualTo(StageResult.next(response));
        assertThat(slot.pauses).isEmpty();
    }

    @Test
    void retryDisabled_statusGoesOnAndDownloadErrorsGiveUp() {
        RetryPolicy disabled = new RetryPolicy(false, 2, CODES, BACKOFF, drawing(0.5), ticker);
        Response busy = response(Request.get(URL), 503, "Retry-After", "5");

        assertThat(disabled.retriesStatus(503)).isFalse();
        assertThat(disabled.onResponse(busy, slot)).isEqualTo(StageResult.next(busy));
        Outcome outcome =
                disabled.onError(
                        Request.get(URL),
                        new DownloadException(DownloadException.Kind.TIMEOUT, URL, "slow"));
        assertThat(outcome).isInstanceOf(Outcome.Fail.class);
        assertThat(((Outcome.Fail) outcome).reason()).endsWith("(retry disabled)");
        assertThat(((Outcome.Fail) outcome).counters()).as("no retries to use up").isEmpty();
        assertThat(slot.pauses).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DownloadException.Kind.class)
    void onError_retriesRetryableKindsAndLeavesTheOthers(DownloadException.Kind kind) {
        DownloadException error = new DownloadException(kind, URL, "scripted");

        Outcome outcome = policy().onError(Request.get(URL), error);

        if (kind.retryable()) {
            assertThat(outcome).isInstanceOf(Outcome.Retry.class);
            Outcome.Retry retry = (Outcome.Retry) outcome;
            assertThat(retry.kind()).isEqualTo("download/" + kind.statName());
            assertThat(retry.reason()).isEqualTo(error.getMessage());
            assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(1));
        } else {
            assertThat(outcome).isNull();
        }
    }

    @Test
    void onError_retriesUsedUp_givesUpWithTheDownloadKind() {
        Request spent = Request.get(URL).withMeta(RetryPolicy.RETRY_TIMES, 2);

        Outcome outcome =
                policy().onError(
                                spent,
                                new DownloadException(
                                        DownloadException.Kind.CONNECT, URL, "refused"));

        assertThat(outcome).isInstanceOf(Outcome.Fail.class);
        assertThat(((Outcome.Fail) outcome).errorKind()).isEqualTo("download/connect");
        assertThat(((Outcome.Fail) outcome).counters()).containsExactly("retry/max_reached");
    }

    @Test
    void constructor_negativeRetryTimes_isRefused() {
        assertThatThrownBy(() -> policy(-1, drawing(0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry_times");
    }
}
