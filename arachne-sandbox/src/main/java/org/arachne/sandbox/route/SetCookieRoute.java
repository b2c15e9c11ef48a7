package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/set-cookie?name=value&...}: sets one cookie ({@code Path=/}) per query parameter
 * and answers a small page.
 */
public final class SetCookieRoute implements Route {
    @Override
    public String path() {
        return "/fault/set-cookie";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        q.values()
                .forEach(
                        (name, value) ->
                                exchange.getResponseHeaders()
                                        .add("Set-Cookie", name + "=" + value + "; Path=/"));
        Replies.page(exchange, 200, "Set " + q.values().size() + " cookies");
    }
}
