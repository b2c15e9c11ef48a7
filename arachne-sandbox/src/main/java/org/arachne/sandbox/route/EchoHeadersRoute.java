package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /fault/echo-headers}: answers the request headers as a JSON object mapping each
 * lower-cased header name to the list of its values.
 */
public final class EchoHeadersRoute implements Route {
    @Override
    public String path() {
        return "/fault/echo-headers";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        Replies.json(exchange, headers);
    }
}
