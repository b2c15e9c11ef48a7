package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/headers?lines=N&bytes=B} (defaults 0, 0): a small page with N extra header fields
 * ({@code X-Filler-1} to {@code X-Filler-N}) and, when B is above 0, one field {@code X-Big} whose
 * value is B bytes long: the heads real sites send with many cookies or long policies.
 */
public final class HeadersRoute implements Route {
    /** The title of the page sent. */
    public static final String TITLE = "Many headers";

    @Override
    public String path() {
        return "/fault/headers";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        int lines = q.intValue("lines", 0, 0, 10_000);
        int bytes = q.intValue("bytes", 0, 0, 1 << 20);
        int big = q.intValue("big", 1, 1, 100);
        for (int i = 1; i <= lines; i++) {
            exchange.getResponseHeaders().add("X-Filler-" + i, "value " + i);
        }
        for (int i = 1; bytes > 0 && i <= big; i++) {
            exchange.getResponseHeaders().set("X-Big-" + i, "b".repeat(bytes));
        }
        Replies.page(exchange, 200, TITLE);
    }
}
