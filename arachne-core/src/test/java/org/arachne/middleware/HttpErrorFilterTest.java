package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpErrorFilterTest {
    private final HttpErrorFilter filter = new HttpErrorFilter();
    private final RecordingSlot slot = new RecordingSlot();

    private static Response response(Request request, int status) {
        return new Response(
                request, request.url(), status, Headers.EMPTY, Body.EMPTY, Duration.ZERO);
    }

    @Test
    void onResponse_handleListOfStrings_passes() {
        // a YAML spider may give the codes as strings
        Request request =
                Request.get("http://a.test/page")
                        .withMeta(HttpErrorFilter.HANDLE_LIST, List.of("404", "410"));
        Response gone = response(request, 410);

        assertThat(filter.onResponse(gone, slot)).isEqualTo(StageResult.next(gone));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // status | handle_httpstatus_list (; between codes) | handle_httpstatus_all |
                // passes
                "200 |         |       | true",
                "204 |         |       | true",
                "299 |         |       | true",
                "100 |         |       | false",
                "304 |         |       | false",
                "404 |         |       | false",
                "500 |         |       | false",
                "404 | 404     |       | true",
                "404 | 500;404 |       | true",
                "404 | 500     |       | false",
                "503 |         | true  | true",
                "503 |         | false | false",
                "200 | 404     |       | true",
            })
    void onResponse_passesSuccessAndTheStatusesTheRequestHandles(
            int status, String handleList, Boolean handleAll, boolean passes) {
        Request request = Request.get("http://a.test/page");
        if (handleList != null) {
            List<Integer> codes =
                    Arrays.stream(handleList.split(";")).map(Integer::valueOf).toList();
            request = request.withMeta(HttpErrorFilter.HANDLE_LIST, codes);
        }
        if (handleAll != null) {
            request = request.withMeta(HttpErrorFilter.HANDLE_ALL, handleAll);
        }
        Response response = response(request, status);

        StageResult<Response> result = filter.onResponse(response, slot);

        if (passes) {
            assertThat(result).isEqualTo(StageResult.next(response));
        } else {
            assertThat(result)
                    .isEqualTo(
                            StageResult.end(
                                    new Outcome.Drop(
                                            "HTTP status " + status + " not handled",
                                            List.of(
                                                    "httperror/response_ignored_count",
                                                    "httperror/response_ignored_status_count/"
                                                            + status))));
        }
    }

    @Test
    void proxyAuthenticationRequired_isAnError() {
        Response refused =
                new Response(
                        Request.get("http://a.test/"),
                        "http://a.test/",
                        407,
                        Headers.of("Proxy-Authenticate", "Basic realm=\"proxy\""),
                        Body.EMPTY,
                        Duration.ofMillis(1));

        StageResult<Response> result =
                new HttpErrorFilter().onResponse(refused, new RecordingSlot());

        assertThat(result).isInstanceOf(StageResult.End.class);
        Outcome outcome = ((StageResult.End<Response>) result).outcome();
        assertThat(outcome).isInstanceOf(Outcome.Fail.class);
        assertThat(((Outcome.Fail) outcome).errorKind()).isEqualTo("proxy/auth_required");
    }

    @ParameterizedTest
    @CsvSource({
        // handle_httpstatus_list, ending
        ",    fail",
        "503, next",
        "500, fail",
    })
    void onResponse_aResponseTheRetryStageGaveUpOn_failsUnlessTheRequestHandlesIt(
            Integer handled, String ending) {
        HttpErrorFilter afterRetries =
                new HttpErrorFilter(
                        r -> r.status() == 503 ? "HTTP 503 (gave up after 2 retries)" : null);
        Request request = Request.get("http://a.test/page");
        if (handled != null) {
            request = request.withMeta(HttpErrorFilter.HANDLE_LIST, List.of(handled));
        }
        Response busy = response(request, 503);

        StageResult<Response> result = afterRetries.onResponse(busy, slot);

        if (ending.equals("next")) {
            assertThat(result).isEqualTo(StageResult.next(busy));
        } else {
            assertThat(result)
                    .isEqualTo(
                            StageResult.end(
                                    new Outcome.Fail(
                                            "HTTP 503 (gave up after 2 retries)",
                                            "http_status/503",
                                            List.of(
                                                    "httperror/response_ignored_count",
                                                    "httperror/response_ignored_status_count/503"))));
        }
    }
}
