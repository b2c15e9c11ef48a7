package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code /fault/reset}: promises a {@value #PROMISED}-byte body, sends a few hundred bytes of it
 * and closes the connection, so the client sees a truncated response.
 */
public final class ResetRoute implements Route {
    /** The Content-Length this route declares but never delivers. */
    public static final int PROMISED = 10_000;

    @Override
    public String path() {
        return "/fault/reset";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] start =
                Replies.simplePage("Truncated", "<p>" + "cut short ".repeat(30))
                        .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", Replies.HTML_UTF8);
        exchange.sendResponseHeaders(200, PROMISED);
        OutputStream out = exchange.getResponseBody();
        out.write(start);
        out.flush();
        // closing short of the declared length makes the server drop the connection
        exchange.close();
    }
}
