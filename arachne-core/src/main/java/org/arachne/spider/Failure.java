package org.arachne.spider;

import java.util.Objects;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;

/**
 * Why a request failed for good, as its errback is told (Scrapy's errback {@code Failure}): the
 * retries of a download error or of a {@code retry_http_codes} status were used up, a status the
 * request does not handle came back, or a stage refused it (too large, a private address, its
 * origin's robots.txt could not be had).
 *
 * @param request the request that failed, as the frontier leased it
 * @param kind what failed, as counted under {@code error_count/}: {@code http_status/404}, {@code
 *     download/connect}, {@code download/too_large}, {@code robotstxt/gave_up}, ...
 * @param reason a sentence saying what happened
 * @param status the HTTP status of the last response, 0 when none came back
 * @param exception the download error, null when the failure was not one
 * @param response the last response, null when none came back
 */
public record Failure(
        Request request,
        String kind,
        String reason,
        int status,
        @Nullable Throwable exception,
        @Nullable Response response) {
    public Failure {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
