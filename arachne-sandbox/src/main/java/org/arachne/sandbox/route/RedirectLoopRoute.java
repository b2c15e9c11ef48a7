package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/redirect-loop}: redirects (302) to {@code /fault/redirect-loop?to=b}, which
 * redirects back to {@code /fault/redirect-loop}: a loop a client must detect or cap.
 */
public final class RedirectLoopRoute implements Route {
    @Override
    public String path() {
        return "/fault/redirect-loop";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean atB = Query.of(exchange).get("to", "a").equals("b");
        Replies.redirect(exchange, 302, atB ? path() : path() + "?to=b");
    }
}
