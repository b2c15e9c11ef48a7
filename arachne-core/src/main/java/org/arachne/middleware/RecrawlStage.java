package org.arachne.middleware;

import java.util.List;
import org.arachne.frontier.FetchedPage;
import org.arachne.frontier.PageRecord;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;

/**
 * The recrawl of a job dir (#10), for the requests it queued again with their page's {@link
 * PageRecord} (meta {@link PageRecord#META}); other requests pass untouched. With {@code
 * recrawl_items: changed} it asks the server whether the page changed ({@code If-None-Match} with
 * the kept {@code ETag}, {@code If-Modified-Since} with the kept {@code Last-Modified}, RFC 9110
 * 13.1) and keeps unchanged pages from the callback: a {@code 304 Not Modified}, or a 2xx whose
 * body hashes as the kept one (a server that ignores conditional requests), ends the lease as done
 * with nothing, counted {@code recrawl/not_modified} or {@code recrawl/unchanged}; the page's links
 * were followed when it was first fetched. A changed page goes on, counted {@code recrawl/changed}.
 * With {@code recrawl_items: all} no condition is sent: every page comes whole and goes to its
 * callback, its items emitted again (counted changed or unchanged all the same).
 *
 * <p>A request stage after robots.txt and a response stage after retry, both before the user's, so
 * a 304 never reaches the HTTP error filter. Thread-safety: stateless.
 */
public final class RecrawlStage implements RequestStage, ResponseStage {
    /** Recrawled pages the server answered {@code 304 Not Modified}. */
    public static final String NOT_MODIFIED = "recrawl/not_modified";

    /** Recrawled pages sent whole but with the body they had. */
    public static final String UNCHANGED = "recrawl/unchanged";

    /** Recrawled pages whose body changed (or that no hash was kept for). */
    public static final String CHANGED = "recrawl/changed";

    private final boolean conditional;

    /**
     * @param everyPage {@code recrawl_items: all}: no conditional requests, every page to its
     *     callback
     */
    public RecrawlStage(boolean everyPage) {
        this.conditional = !everyPage;
    }

    @Override
    public StageResult<Request> onRequest(Request request, SlotReport slot) {
        PageRecord record = PageRecord.of(request);
        if (!conditional || record == null) {
            return StageResult.next(request);
        }
        Headers headers = request.headers();
        if (record.etag() != null) {
            headers = headers.withDefault("If-None-Match", record.etag());
        }
        if (record.lastModified() != null) {
            headers = headers.withDefault("If-Modified-Since", record.lastModified());
        }
        return StageResult.next(request.withHeaders(headers));
    }

    @Override
    public StageResult<Response> onResponse(Response response, SlotReport slot) {
        PageRecord record = PageRecord.of(response.request());
        int status = response.status();
        if (record == null) {
            return StageResult.next(response);
        }
        if (status == 304 && conditional) {
            return StageResult.end(
                    new Outcome.Drop(
                            "not modified since " + record.fetchedAt(), List.of(NOT_MODIFIED)));
        }
        if (status < 200 || status >= 300) {
            return StageResult.next(response);
        }
        boolean same =
                record.contentHash() != null
                        && record.contentHash().equals(FetchedPage.contentHash(response.body()));
        if (!same) {
            return StageResult.next(response, List.of(CHANGED));
        }
        if (!conditional) {
            return StageResult.next(response, List.of(UNCHANGED));
        }
        return StageResult.end(
                new Outcome.Drop("the same body as on " + record.fetchedAt(), List.of(UNCHANGED)));
    }

    /**
     * The request that fetches a page again, made of the one that fetched it: without its retry and
     * redirect counts and the record of its last fetch, which belonged to that fetch only.
     */
    public static Request toFetchAgain(Request fetched) {
        Request again = fetched;
        for (String key :
                List.of(
                        RetryPolicy.RETRY_TIMES,
                        RedirectPolicy.REDIRECT_TIMES,
                        RedirectPolicy.REDIRECT_URLS,
                        PageRecord.META)) {
            if (again.meta(key) != null) {
                again = again.withMeta(key, null);
            }
        }
        return again;
    }

    /**
     * What a lease that got this response fetched, for its frontier to keep: a 2xx page's
     * validators and body, or a recrawl's 304 (which keeps the body's record); null for anything
     * else (an error, a redirect, a robots.txt).
     *
     * @param leased the request as the lease took it, before the request stages
     */
    public static @Nullable FetchedPage fetchedPage(Request leased, Response response) {
        if (RobotsStage.isRobotsRequest(leased)) {
            return null;
        }
        int status = response.status();
        boolean whole = status >= 200 && status < 300;
        if (!whole && !(status == 304 && PageRecord.of(leased) != null)) {
            return null;
        }
        return new FetchedPage(
                toFetchAgain(leased),
                response.headers().first("ETag"),
                response.headers().first("Last-Modified"),
                whole ? response.body() : null);
    }
}
