package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/status?code=N} (default 200): answers status N with a small page, or with no body
 * for 204 and 304.
 */
public final class StatusRoute implements Route {
    @Override
    public String path() {
        return "/fault/status";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        int code = Query.of(exchange).intValue("code", 200, 200, 599);
        if (code == 204 || code == 304) {
            Replies.send(exchange, code, Replies.HTML_UTF8, new byte[0]);
        } else {
            Replies.page(exchange, code, "Status " + code);
        }
    }
}
