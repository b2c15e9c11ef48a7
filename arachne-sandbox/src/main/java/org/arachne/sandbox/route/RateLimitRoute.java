package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/ratelimit?key=K&fails=N&retry_after=S} (defaults: key "default", 1, 1): the first N
 * requests for key K get 429 with {@code Retry-After: S}, later ones a 200 page.
 */
public final class RateLimitRoute implements Route {
    private final AttemptCounter attempts = new AttemptCounter();

    @Override
    public String path() {
        return "/fault/ratelimit";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        String key = q.get("key", "default");
        int fails = q.intValue("fails", 1, 0, 1_000_000);
        int retryAfter = q.intValue("retry_after", 1, 0, 86_400);
        int attempt = attempts.next(key);
        if (attempt <= fails) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfter));
            Replies.page(exchange, 429, "Too many requests");
        } else {
            Replies.page(exchange, 200, "Attempt " + attempt + " succeeded");
        }
    }

    @Override
    public void reset() {
        attempts.clear();
    }
}
