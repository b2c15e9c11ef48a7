package org.arachne.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.arachne.internal.JsonValues;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request to make, and where its response goes. Immutable; copies that change one field
 * are made with the {@code with...} methods.
 *
 * <p>A request is a plain value so that every frontier (memory, SQLite, Redis) can store it: the
 * callback is the <em>name</em> of a spider method, and {@code meta} holds only JSON-like values
 * (strings, booleans, numbers, null, lists, and maps with string keys; see {@link JsonValues}),
 * deeply copied. Other values are refused with an {@link IllegalArgumentException} naming the key
 * path, the type and the URL.
 *
 * @param url absolute http or https URL, or a {@code data:} URL (RFC 2397), answered from itself by
 *     {@link DataUrlDownloader}; stored as {@link Urls#requestUrl} gives it (surrounding whitespace
 *     trimmed, backslashes in the authority and path read as slashes, unsafe characters
 *     percent-encoded, an international host in punycode), refused with the reason when no browser
 *     would load it
 * @param method HTTP method, upper case; GET when null
 * @param headers request header fields; defaults and {@code User-Agent} are added by the engine
 * @param body request body, empty for GET
 * @param priority higher is taken first; 0 by default
 * @param depth link hops from a start request (start requests are 0)
 * @param dontFilter true to skip deduplication (and offsite filtering) for this request
 * @param callback name of the spider method that parses the response; null means {@code parse}
 * @param meta values carried from the request to its response and to requests derived from it
 * @param errback name of the spider method called when this request fails for good (Scrapy's
 *     errback, {@code void name(Failure, Output)}); null means the spider's default {@code errback}
 */
public record Request(
        String url,
        String method,
        Headers headers,
        Body body,
        int priority,
        int depth,
        boolean dontFilter,
        @Nullable String callback,
        Map<String, Object> meta,
        @Nullable String errback) {

    /** The header that names a body's media type. */
    private static final String CONTENT_TYPE = "Content-Type";

    private static final String JSON_TYPE = "application/json";

    public Request {
        // what a browser would load is sent as it would send it (#9); the rest is refused here
        url = Urls.requestUrl(Objects.requireNonNull(url, "url"));
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Headers.EMPTY : headers;
        body = body == null ? Body.EMPTY : body;
        if (depth < 0) {
            throw new IllegalArgumentException(
                    "depth must be >= 0, got " + depth + " for " + Urls.redacted(url));
        }
        // meta must survive a trip through any frontier's storage (#4, #8)
        meta =
                meta == null || meta.isEmpty()
                        ? Map.of()
                        : JsonValues.copyFields(meta, "meta", Urls.redacted(url));
    }

    /** A request without an errback of its own (the spider's default {@code errback} then). */
    public Request(
            String url,
            String method,
            Headers headers,
            Body body,
            int priority,
            int depth,
            boolean dontFilter,
            @Nullable String callback,
            Map<String, Object> meta) {
        this(url, method, headers, body, priority, depth, dontFilter, callback, meta, null);
    }

    /** A GET request for this URL with every other field at its default. */
    public static Request get(String url) {
        return new Request(url, "GET", Headers.EMPTY, Body.EMPTY, 0, 0, false, null, Map.of());
    }

    /** A GET request for this URL whose response goes to the named callback. */
    public static Request get(String url, @Nullable String callback) {
        return new Request(url, "GET", Headers.EMPTY, Body.EMPTY, 0, 0, false, callback, Map.of());
    }

    /**
     * A POST of this body, with this {@code Content-Type} (null for none), to {@code parse}.
     *
     * @throws IllegalArgumentException if the URL cannot be requested
     */
    public static Request post(String url, Body body, @Nullable String contentType) {
        Headers headers =
                contentType == null ? Headers.EMPTY : Headers.EMPTY.with(CONTENT_TYPE, contentType);
        return new Request(url, "POST", headers, body, 0, 0, false, null, Map.of());
    }

    /**
     * A POST of this value as JSON ({@code Content-Type: application/json}), to {@code parse}:
     * maps, lists, strings, numbers, booleans, null, records or any other value Jackson writes.
     *
     * @throws IllegalArgumentException if the value cannot be written as JSON, or the URL cannot be
     *     requested
     */
    public static Request postJson(String url, @Nullable Object value) {
        return post(url, Body.json(value), JSON_TYPE);
    }

    /**
     * A POST of these fields as an HTML form sends them ({@code application/x-www-form-urlencoded},
     * UTF-8), in the map's order, to {@code parse}. A value that is a collection sends the field
     * once per element ({@code tag=a&tag=b}); other values are sent as their {@code toString()}.
     *
     * @throws IllegalArgumentException if the URL cannot be requested
     */
    public static Request postForm(String url, Map<String, ?> fields) {
        return post(url, Body.form(fields), FormEncoding.CONTENT_TYPE);
    }

    /**
     * A copy that sends this value as JSON, with {@code Content-Type: application/json} (replacing
     * one set before); the method stays as it is.
     *
     * @throws IllegalArgumentException if Jackson cannot write the value
     */
    public Request withJsonBody(@Nullable Object value) {
        return withBody(Body.json(value)).withHeaders(headers.with(CONTENT_TYPE, JSON_TYPE));
    }

    /**
     * The host of {@link #url()}, lower case, without port; IPv6 literals keep their brackets.
     * Empty for a {@code data:} URL, which names none.
     */
    public String host() {
        return Urls.isData(url) ? "" : Urls.host(url);
    }

    /** The name of the callback, {@code parse} when none was given. */
    public String callbackName() {
        return callback == null ? "parse" : callback;
    }

    /** The name of the errback, {@code errback} (the spider's default) when none was given. */
    public String errbackName() {
        return errback == null ? "errback" : errback;
    }

    /**
     * A copy whose failure for good goes to the named spider method {@code void name(Failure,
     * Output)}; null for the spider's default {@code errback}.
     */
    public Request withErrback(@Nullable String newErrback) {
        return new Request(
                url,
                method,
                headers,
                body,
                priority,
                depth,
                dontFilter,
                callback,
                meta,
                newErrback);
    }

    /** A meta value, or null when absent. */
    public @Nullable Object meta(String key) {
        return meta.get(key);
    }

    public Request withUrl(String newUrl) {
        return new Request(
                newUrl,
                method,
                headers,
                body,
                priority,
                depth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    public Request withMethod(String newMethod) {
        return new Request(
                url,
                newMethod,
                headers,
                body,
                priority,
                depth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    public Request withHeaders(Headers newHeaders) {
        return new Request(
                url,
                method,
                newHeaders,
                body,
                priority,
                depth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    public Request withHeader(String name, String value) {
        return withHeaders(headers.with(name, value));
    }

    public Request withBody(Body newBody) {
        return new Request(
                url,
                method,
                headers,
                newBody,
                priority,
                depth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    public Request withPriority(int newPriority) {
        return new Request(
                url,
                method,
                headers,
                body,
                newPriority,
                depth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    public Request withDepth(int newDepth) {
        return new Request(
                url,
                method,
                headers,
                body,
                priority,
                newDepth,
                dontFilter,
                callback,
                meta,
                errback);
    }

    public Request withDontFilter(boolean newDontFilter) {
        return new Request(
                url,
                method,
                headers,
                body,
                priority,
                depth,
                newDontFilter,
                callback,
                meta,
                errback);
    }

    public Request withCallback(@Nullable String newCallback) {
        return new Request(
                url,
                method,
                headers,
                body,
                priority,
                depth,
                dontFilter,
                newCallback,
                meta,
                errback);
    }

    public Request withMeta(Map<String, Object> newMeta) {
        return new Request(
                url,
                method,
                headers,
                body,
                priority,
                depth,
                dontFilter,
                callback,
                newMeta,
                errback);
    }

    /** A copy with one meta value set (or removed, when value is null). */
    public Request withMeta(String key, @Nullable Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(meta);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return withMeta(copy);
    }

    /** The method and the URL, its credentials masked (see {@link Urls#redacted}). */
    @Override
    public String toString() {
        return method + " " + Urls.redacted(url);
    }
}
