package org.arachne.http;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A downloaded HTTP response together with the request that produced it. Immutable from the
 * outside; the decoded text and the parsed page are computed once, on first use, so a page is
 * decoded and parsed at most once however many selectors run on it.
 *
 * <p>Thread-safety: safe to share; lazy fields are computed under a lock at most once.
 */
public final class Response {
    private final Request request;
    private final String url;
    private final int status;
    private final Headers headers;
    private final Body body;
    private final Duration latency;

    private volatile @Nullable Charset charset;
    private volatile @Nullable String text;

    /**
     * @param request the request as it was sent
     * @param url the final URL of the response (differs from the request's after redirects)
     * @param status HTTP status code
     * @param headers response header fields
     * @param body the body, already decompressed
     * @param latency time from sending the request to having the whole body
     */
    public Response(
            Request request, String url, int status, Headers headers, Body body, Duration latency) {
        this.request = Objects.requireNonNull(request, "request");
        this.url = Objects.requireNonNull(url, "url");
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    public Request request() {
        return request;
    }

    /** The URL this response came from; relative links resolve against it. */
    public String url() {
        return url;
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    public Body body() {
        return body;
    }

    /** Time from sending the request to receiving the whole body. */
    public Duration latency() {
        return latency;
    }

    /** A meta value of the request, or null. */
    public @Nullable Object meta(String key) {
        return request.meta(key);
    }

    /** The {@code Content-Type} header, or null. */
    public @Nullable String contentType() {
        return headers.first("Content-Type");
    }

    /**
     * The charset of the body: from a byte order mark, the {@code Content-Type} header, a {@code
     * <meta charset>} in the page, then detection from the bytes; UTF-8 when nothing decides. See
     * {@link CharsetDetector}.
     */
    public Charset charset() {
        Charset result = charset;
        if (result == null) {
            result = CharsetDetector.detect(contentType(), body.unsafeBytes());
            charset = result;
        }
        return result;
    }

    /** The body decoded with {@link #charset()} (a byte order mark is dropped). */
    public String text() {
        String result = text;
        if (result == null) {
            result = CharsetDetector.decode(body.unsafeBytes(), charset());
            text = result;
        }
        return result;
    }

    /**
     * Resolves a link (relative or absolute) against this response's URL. Whitespace around the
     * link is removed; a fragment is kept (the frontier drops it when deduplicating).
     *
     * @throws IllegalArgumentException when the link cannot be resolved to a URL
     */
    public String urljoin(String href) {
        return Urls.resolve(url, href);
    }

    @Override
    public String toString() {
        return "<" + status + " " + url + ">";
    }
}
