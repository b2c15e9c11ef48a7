package org.arachne.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request to make, and where its response goes. Immutable; copies that change one field
 * are made with the {@code with...} methods.
 *
 * <p>A request is a plain value so that every frontier (memory, SQLite, Redis) can store it: the
 * callback is the <em>name</em> of a spider method, and {@code meta} holds only JSON-like values
 * (strings, numbers, booleans, lists and maps of those).
 *
 * @param url absolute http or https URL
 * @param method HTTP method, upper case; GET when null
 * @param headers request header fields; defaults and {@code User-Agent} are added by the engine
 * @param body request body, empty for GET
 * @param priority higher is taken first; 0 by default
 * @param depth link hops from a start request (start requests are 0)
 * @param dontFilter true to skip deduplication (and offsite filtering) for this request
 * @param callback name of the spider method that parses the response; null means {@code parse}
 * @param meta values carried from the request to its response and to requests derived from it
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
        Map<String, Object> meta) {

    public Request {
        Objects.requireNonNull(url, "url");
        checkUrl(url);
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Headers.EMPTY : headers;
        body = body == null ? Body.EMPTY : body;
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0, got " + depth + " for " + url);
        }
        if (meta == null || meta.isEmpty()) {
            meta = Map.of();
        } else {
            meta.forEach((key, value) -> checkMetaValue(url, key, value));
            meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        }
    }

    /** Meta must survive a trip through JSON, so that every frontier can store the request. */
    private static void checkMetaValue(String url, String key, @Nullable Object value) {
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Double) {
            return;
        }
        if (value instanceof List<?> list) {
            list.forEach(element -> checkMetaValue(url, key, element));
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach(
                    (k, v) -> {
                        if (!(k instanceof String)) {
                            throw notJsonLike(url, key, k);
                        }
                        checkMetaValue(url, key, v);
                    });
            return;
        }
        throw notJsonLike(url, key, value);
    }

    private static IllegalArgumentException notJsonLike(String url, String key, Object value) {
        return new IllegalArgumentException(
                "meta '"
                        + key
                        + "' of "
                        + url
                        + " holds a "
                        + value.getClass().getName()
                        + "; meta values must be strings, booleans, int/long/double numbers, lists"
                        + " or maps with string keys, so that the request can be stored");
    }

    /** A GET request for this URL with every other field at its default. */
    public static Request get(String url) {
        return new Request(url, "GET", Headers.EMPTY, Body.EMPTY, 0, 0, false, null, Map.of());
    }

    /** A GET request for this URL whose response goes to the named callback. */
    public static Request get(String url, @Nullable String callback) {
        return new Request(url, "GET", Headers.EMPTY, Body.EMPTY, 0, 0, false, callback, Map.of());
    }

    private static void checkUrl(String url) {
        if (Urls.isPlainHttpUrl(url)) {
            return; // the common case, checked by a scan instead of a parse
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL '" + url + "': " + e.getReason(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(
                    "invalid URL '" + url + "': only absolute http and https URLs can be crawled");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("invalid URL '" + url + "': no host");
        }
    }

    /** The host of {@link #url()}, lower case, without port; IPv6 literals keep their brackets. */
    public String host() {
        return Urls.host(url);
    }

    /** The name of the callback, {@code parse} when none was given. */
    public String callbackName() {
        return callback == null ? "parse" : callback;
    }

    /** A meta value, or null when absent. */
    public @Nullable Object meta(String key) {
        return meta.get(key);
    }

    public Request withUrl(String newUrl) {
        return new Request(
                newUrl, method, headers, body, priority, depth, dontFilter, callback, meta);
    }

    public Request withMethod(String newMethod) {
        return new Request(
                url, newMethod, headers, body, priority, depth, dontFilter, callback, meta);
    }

    public Request withHeaders(Headers newHeaders) {
        return new Request(
                url, method, newHeaders, body, priority, depth, dontFilter, callback, meta);
    }

    public Request withHeader(String name, String value) {
        return withHeaders(headers.with(name, value));
    }

    public Request withBody(Body newBody) {
        return new Request(
                url, method, headers, newBody, priority, depth, dontFilter, callback, meta);
    }

    public Request withPriority(int newPriority) {
        return new Request(
                url, method, headers, body, newPriority, depth, dontFilter, callback, meta);
    }

    public Request withDepth(int newDepth) {
        return new Request(
                url, method, headers, body, priority, newDepth, dontFilter, callback, meta);
    }

    public Request withDontFilter(boolean newDontFilter) {
        return new Request(
                url, method, headers, body, priority, depth, newDontFilter, callback, meta);
    }

    public Request withCallback(@Nullable String newCallback) {
        return new Request(
                url, method, headers, body, priority, depth, dontFilter, newCallback, meta);
    }

    public Request withMeta(Map<String, Object> newMeta) {
        return new Request(
                url, method, headers, body, priority, depth, dontFilter, callback, newMeta);
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

    @Override
    public String toString() {
        return method + " " + url;
    }
}
