package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The decoded query parameters of one request (the first value of each name), with typed getters
 * that name the parameter when its value is malformed.
 */
public record Query(Map<String, String> values) {
    public Query {
        values = Map.copyOf(values);
    }

    /** Parses the raw query of the exchange's request URI; no query gives an empty one. */
    public static Query of(HttpExchange exchange) {
        return parse(exchange.getRequestURI().getRawQuery());
    }

    /** Parses a raw {@code a=1&b=x%20y} query string; null gives an empty query. */
    public static Query parse(@Nullable String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                values.putIfAbsent(decode(name), decode(value));
            }
        }
        return new Query(values);
    }

    /** The value of {@code name}, or {@code fallback} when absent. */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * The integer value of {@code name} within {@code [min, max]}, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException when present but not an integer in range
     */
    public int intValue(String name, int fallback, int min, int max) {
        @Nullable String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(
                "query parameter '"
                        + name
                        + "' must be an integer in "
                        + min
                        + ".."
                        + max
                        + ", got '"
                        + v
                        + "'");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
