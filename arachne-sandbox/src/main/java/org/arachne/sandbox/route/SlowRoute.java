package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;

/** {@code /fault/slow?ms=N} (default 1000): waits N milliseconds, then answers a small page. */
public final class SlowRoute implements Route {
    @Override
    public String path() {
        return "/fault/slow";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        int ms = Query.of(exchange).intValue("ms", 1000, 0, 600_000);
        Replies.pause(Duration.ofMillis(ms));
        Replies.page(exchange, 200, "Slow page after " + ms + " ms");
    }
}
