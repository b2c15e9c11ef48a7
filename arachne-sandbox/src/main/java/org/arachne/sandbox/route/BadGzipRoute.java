package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /fault/bad-gzip}: declares {@code Content-Encoding: gzip} but sends bytes that are not
 * gzip (no magic number), so decompression must fail cleanly.
 */
public final class BadGzipRoute implements Route {
    @Override
    public String path() {
        return "/fault/bad-gzip";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] garbage =
                "this is not gzip at all, just bytes pretending to be compressed"
                        .repeat(4)
                        .getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        Replies.send(exchange, 200, Replies.HTML_UTF8, garbage);
    }
}
