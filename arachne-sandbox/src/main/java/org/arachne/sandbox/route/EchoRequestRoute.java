package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /echo/request} with any method: answers what it received as JSON, {@code {"method",
 * "query", "headers": {name: value}, "body"}} (header names in lower case, several values of one
 * joined by {@code ", "}, the body as UTF-8 text), so a test sees exactly the method, headers and
 * body a crawl sent.
 */
public final class EchoRequestRoute implements Route {
    @Override
    public String path() {
        return "/echo/request";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders()
                .forEach(
                        (name, values) ->
                                headers.put(
                                        name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", exchange.getRequestMethod());
        String query = exchange.getRequestURI().getRawQuery();
        json.put("query", query == null ? "" : query);
        json.put("headers", headers);
        json.put("body", body);
        Replies.json(exchange, json);
    }
}
