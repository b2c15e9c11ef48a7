package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code /fault/echo-cookie}: answers the cookies the request carried as a JSON object. */
public final class EchoCookieRoute implements Route {
    @Override
    public String path() {
        return "/fault/echo-cookie";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> cookies = new TreeMap<>();
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
        }
        Replies.json(exchange, cookies);
    }
}
