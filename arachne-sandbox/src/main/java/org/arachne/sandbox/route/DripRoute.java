package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code /fault/drip?bytes=N&ms=M&chunk=C} (defaults 10, 100, 1): sends an N-byte text body with
 * its Content-Length, C bytes at a time, flushing each chunk and waiting M ms before the next.
 * Tests download timeouts that must count the whole body, not each read.
 */
public final class DripRoute implements Route {
    @Override
    public String path() {
        return "/fault/drip";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        int bytes = q.intValue("bytes", 10, 1, 64 << 20);
        int ms = q.intValue("ms", 100, 0, 60_000);
        int chunk = q.intValue("chunk", 1, 1, 1 << 20);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes);
        byte[] buf = new byte[Math.min(chunk, bytes)];
        Arrays.fill(buf, (byte) '*');
        try (OutputStream out = exchange.getResponseBody()) {
            for (int sent = 0; sent < bytes; ) {
                if (sent > 0) {
                    Replies.pause(Duration.ofMillis(ms));
                }
                int n = Math.min(buf.length, bytes - sent);
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
        }
    }
}
