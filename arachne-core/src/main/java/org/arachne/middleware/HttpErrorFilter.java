package org.arachne.middleware;

import java.util.List;
import java.util.function.Function;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;

/**
 * Keeps responses that are not 2xx from callbacks, as Scrapy's HttpErrorMiddleware does, unless the
 * request asks for them with meta {@code handle_httpstatus_list} (a list of codes) or {@code
 * handle_httpstatus_all}. They are counted as {@code httperror/response_ignored_count} and {@code
 * httperror/response_ignored_status_count/<code>}, as in Scrapy. Two are errors besides: a 407 (the
 * proxy refused the crawl's credentials, which fails every request: {@code proxy/auth_required}),
 * and a response the retry stage gave up on ({@code http_status/<code>}: a {@code retry_http_codes}
 * status after its retries, a page never obtained), which Scrapy logs as an error too ("Gave up
 * retrying"). The last built-in response stage.
 */
public final class HttpErrorFilter implements ResponseStage {
    /** Meta key: status codes the request's callback handles itself. */
    public static final String HANDLE_LIST = "handle_httpstatus_list";

    /** Meta key: true when the request's callback handles every status. */
    public static final String HANDLE_ALL = "handle_httpstatus_all";

    private final Function<Response, @Nullable String> gaveUp;

    /** A filter for a crawl without retries of HTTP statuses. */
    public HttpErrorFilter() {
        this(response -> null);
    }

    /**
     * @param gaveUp why the retry stage did not try this response again ({@link
     *     RetryPolicy#gaveUp}), or null when it was not a retried status
     */
    public HttpErrorFilter(Function<Response, @Nullable String> gaveUp) {
        this.gaveUp = gaveUp;
    }

    @Override
    public StageResult<Response> onResponse(Response response, SlotReport slot) {
        int status = response.status();
        if ((status >= 200 && status < 300) || handles(response.request(), status)) {
            return StageResult.next(response);
        }
        if (status == 407) {
            return StageResult.end(
                    new Outcome.Fail(
                            "the proxy asks for credentials it did not accept (HTTP 407) for "
                                    + response.url(),
                            "proxy/auth_required"));
        }
        List<String> ignored =
                List.of(
                        "httperror/response_ignored_count",
                        "httperror/response_ignored_status_count/" + status);
        String retryGaveUp = gaveUp.apply(response);
        if (retryGaveUp != null) {
            return StageResult.end(new Outcome.Fail(retryGaveUp, "http_status/" + status, ignored));
        }
        return StageResult.end(new Outcome.Drop("HTTP status " + status + " not handled", ignored));
    }

    private static boolean handles(Request request, int status) {
        Object list = request.meta(HANDLE_LIST);
        return Boolean.TRUE.equals(request.meta(HANDLE_ALL))
                || (list instanceof List<?> codes
                        && codes.stream()
                                .anyMatch(c -> String.valueOf(status).equals(String.valueOf(c))));
    }
}
