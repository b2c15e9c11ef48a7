package org.arachne.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.arachne.select.Page;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * A downloaded HTTP response together with the request that produced it. Immutable from the
 * outside; the decoded text and the parsed page are computed once, on first use, so a page is
 * decoded and parsed (as HTML, or as JSON by {@link #json()}) at most once however many selectors
 * run on it.
 *
 * <p>Thread-safety: safe to share; the parsed page is computed at most once (the charset and text
 * may be computed twice under a race, with the same result).
 */
public final class Response {
    /**
     * Reads bodies as JSON: numbers with a fraction as {@link java.math.BigDecimal}, as written (a
     * price stays 12.50, not 12.5 nor the double nearest it), and a body with anything after its
     * value is no JSON.
     */
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .build();

    private final Request request;
    private final String url;
    private final int status;
    private final Headers headers;
    private final Body body;
    private final Duration latency;
    private final String protocol;
    private final boolean truncated;

    private volatile @Nullable Charset charset;
    private volatile @Nullable String text;
    private volatile @Nullable Page page;
    private volatile @Nullable JsonNode json;

    /**
     * @param request the request as it was sent
     * @param url the final URL of the response (differs from the request's after redirects)
     * @param status HTTP status code
     * @param headers response header fields
     * @param body the body, already decompressed
     * @param latency time from sending the request to having the whole body
     * @param protocol the HTTP version the exchange used: {@code HTTP/1.1}, {@code HTTP/2} or
     *     {@code HTTP/1.0}; {@code data} for a {@code data:} URL answered from itself
     * @param truncated whether the body is only the first bytes of a longer one, cut at the
     *     request's largest size as its meta {@code download_truncate} asked
     */
    public Response(
            Request request,
            String url,
            int status,
            Headers headers,
            Body body,
            Duration latency,
            String protocol,
            boolean truncated) {
        this.request = Objects.requireNonNull(request, "request");
        this.url = Objects.requireNonNull(url, "url");
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.truncated = truncated;
    }

    /** A response with its whole body. */
    public Response(
            Request request,
            String url,
            int status,
            Headers headers,
            Body body,
            Duration latency,
            String protocol) {
        this(request, url, status, headers, body, latency, protocol, false);
    }

    /** A response received over HTTP/1.1, for downloaders that speak nothing else. */
    public Response(
            Request request, String url, int status, Headers headers, Body body, Duration latency) {
        this(request, url, status, headers, body, latency, "HTTP/1.1");
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

    /**
     * The HTTP version of the exchange, as negotiated with the server: {@code HTTP/2}, {@code
     * HTTP/1.1} or {@code HTTP/1.0}; {@code data} for a {@code data:} URL, answered without one
     * ({@link DataUrlDownloader}).
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Whether the body is only the first bytes of a longer one: cut at the request's largest size
     * (meta {@code download_maxsize}, else {@code download_maxsize}) because its meta {@code
     * download_truncate} asked for that rather than a failure. The robots.txt stage asks it.
     */
    public boolean truncated() {
        return truncated;
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
     * <meta>} or XML declaration in the body, then the bytes (ASCII or valid UTF-8 is UTF-8, else a
     * guess). See {@link CharsetDetector}.
     */
    public Charset charset() {
        Charset result = charset;
        if (result == null) {
            result = CharsetDetector.detect(contentType(), body.unsafeBytes());
            charset = result;
        }
        return result;
    }

    /**
     * The body decoded with {@link #charset()} as WHATWG's decoders do (a byte order mark is
     * dropped).
     */
    public String text() {
        String result = text;
        if (result == null) {
            result = CharsetDetector.decode(body.unsafeBytes(), charset());
            text = result;
        }
        return result;
    }

    /** The body parsed as HTML, once: every selector on this response shares the one parse. */
    public Page page() {
        Page result = page;
        if (result == null) {
            synchronized (this) {
                result = page;
                if (result == null) {
                    result = Page.parse(text(), url, charset());
                    page = result;
                }
            }
        }
        return result;
    }

    /**
     * The body parsed as JSON, once, as Scrapy's {@code response.json()}: decoded with {@link
     * #charset()} (JSON is UTF-8 by RFC 8259, which a missing charset gives), numbers with a
     * fraction as {@link java.math.BigDecimal}s. The tree is shared by every caller: read it, do
     * not change it.
     *
     * @throws UncheckedIOException naming the URL, when the body is not one JSON value (empty,
     *     HTML, truncated, or with text after the value)
     */
    public JsonNode json() {
        JsonNode result = json;
        if (result == null) {
            try {
                result = JSON.readTree(text());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(
                        "the body of "
                                + Urls.redacted(url)
                                + " is not JSON: "
                                + e.getOriginalMessage(),
                        e);
            }
            if (result == null || result.isMissingNode()) {
                String message = "the body of " + Urls.redacted(url) + " is empty, not JSON";
                throw new UncheckedIOException(message, new IOException(message));
            }
            json = result;
        }
        return result;
    }

    /**
     * Evaluates an XPath 1.0 expression on the page, as Scrapy users write it: {@code
     * response.xpath("//div[@class='pl2']/a/@href").getAll()}.
     *
     * @throws IllegalArgumentException naming the expression, when it is invalid
     */
    public Selection xpath(String expression) {
        return page().xpath(expression);
    }

    /**
     * Matches a CSS query on the page, with parsel's {@code ::text} and {@code ::attr(name)}.
     *
     * @throws IllegalArgumentException naming the query, when it cannot be parsed
     */
    public Selection css(String query) {
        return page().css(query);
    }

    /**
     * Applies a regular expression (Python's syntax, as Scrapy users write it) to the page text, as
     * {@link Selection#re(String)} does: parsel's {@code re}.
     *
     * @throws java.util.regex.PatternSyntaxException if the regex is invalid
     */
    public List<String> re(String regex) {
        return Selection.ofText(text()).re(regex);
    }

    /**
     * Resolves a link (relative or absolute) against this response's URL. Whitespace around the
     * link is removed; a fragment is kept (the frontier drops it when deduplicating). The link's
     * query is percent-encoded in {@link #charset()}, its path in UTF-8, as browsers do.
     *
     * @throws IllegalArgumentException when the link cannot be resolved to a URL
     */
    public String urljoin(String href) {
        return Urls.resolve(url, href, charset());
    }

    @Override
    public String toString() {
        return "<" + status + " " + url + ">";
    }
}
