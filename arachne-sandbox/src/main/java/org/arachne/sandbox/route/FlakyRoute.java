package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/flaky?key=K&fails=N&status=S} (defaults: key "default", 2, 503): the first N
 * requests for key K get status S, later ones a 200 page. Counters live until the sandbox resets.
 */
public final class FlakyRoute implements Route {
    private final AttemptCounter attempts = new AttemptCounter();

    @Override
    public String path() {
        return "/fault/flaky";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        String key = q.get("key", "default");
        int fails = q.intValue("fails", 2, 0, 1_000_000);
        int status = q.intValue("status", 503, 200, 599);
        int attempt = attempts.next(key);
        if (attempt <= fails) {
            Replies.page(exchange, status, "Attempt " + attempt + " failed");
        } else {
            Replies.page(exchange, 200, "Attempt " + attempt + " succeeded");
        }
    }

    @Override
    public void reset() {
        attempts.clear();
    }
}
