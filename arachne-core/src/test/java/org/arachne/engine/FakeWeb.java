package org.arachne.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.arachne.http.Body;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;

/**
 * A downloader over an in-memory web: routes by exact URL, 404 otherwise; records every URL
 * fetched, in order. For engine tests that need no sockets.
 */
final class FakeWeb implements Downloader {
    private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
    final List<String> fetched = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    FakeWeb page(String url, String html) {
        routes.put(url, r -> html(r, 200, html));
        return this;
    }

    FakeWeb route(String url, Function<Request, Response> handler) {
        routes.put(url, handler);
        return this;
    }

    static Response html(Request request, int status, String html) {
        return new Response(
                request,
                request.url(),
                status,
                Headers.of("Content-Type", "text/html; charset=utf-8"),
                Body.utf8(html),
                Duration.ofMillis(1));
    }

    static Response redirect(Request request, String location) {
        return new Response(
                request,
                request.url(),
                302,
                Headers.of("Location", location),
                Body.EMPTY,
                Duration.ofMillis(1));
    }

    @Override
    public Response fetch(Request request) throws DownloadException {
        fetched.add(request.url());
        Function<Request, Response> route = routes.get(request.url());
        if (route == null) {
            return html(request, 404, "not found");
        }
        Response response = route.apply(request);
        if (response == null) {
            throw new DownloadException(
                    DownloadException.Kind.CONNECTION_RESET, request.url(), "reset by fake web");
        }
        return response;
    }

    long count(String url) {
        return fetched.stream().filter(url::equals).count();
    }

    @Override
    public void close() {
        closed = true;
    }
}
