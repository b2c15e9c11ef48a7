package org.arachne.spider.yaml;

import java.time.Duration;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;

/** Responses for spider tests, as the downloader would hand them over. */
final class TestResponses {
    private TestResponses() {}

    /** A 200 UTF-8 HTML page at {@code url}, fetched by a GET of it. */
    static Response html(String url, String html) {
        return html(Request.get(url), html);
    }

    /** A 200 UTF-8 HTML page, the answer to {@code request} from its URL. */
    static Response html(Request request, String html) {
        return new Response(
                request,
                request.url(),
                200,
                Headers.of("Content-Type", "text/html; charset=utf-8"),
                Body.utf8(html),
                Duration.ZERO);
    }

    /** A 200 UTF-8 JSON response at {@code url}, fetched by a GET of it. */
    static Response json(String url, String json) {
        return json(Request.get(url), json);
    }

    /** A 200 UTF-8 JSON response, the answer to {@code request} from its URL. */
    static Response json(Request request, String json) {
        return new Response(
                request,
                request.url(),
                200,
                Headers.of("Content-Type", "application/json"),
                Body.utf8(json),
                Duration.ZERO);
    }
}
