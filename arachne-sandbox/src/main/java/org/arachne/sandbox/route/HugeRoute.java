package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code /fault/huge?mb=N&chunked=B} (defaults 100, false): streams exactly N MiB of HTML, with a
 * Content-Length, or with chunked transfer encoding and no length when {@code chunked=true}; a
 * client must stop at its maximum size.
 */
public final class HugeRoute implements Route {
    @Override
    public String path() {
        return "/fault/huge";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        int mb = q.intValue("mb", 100, 1, 65_536);
        boolean chunked = Boolean.parseBoolean(q.get("chunked", "false"));
        long total = (long) mb << 20;
        byte[] head = "<!DOCTYPE html>\n<html><body>\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "</body></html>\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = "<p>huge page line of filler text.</p>\n".getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[line.length * 1024];
        for (int i = 0; i < 1024; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        exchange.getResponseHeaders().set("Content-Type", Replies.HTML_UTF8);
        exchange.sendResponseHeaders(200, chunked ? 0 : total);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            long left = total - head.length - tail.length;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
            out.write(tail);
        } catch (IOException e) {
            // the client stopped reading at its size limit: expected, nothing left to answer
            exchange.close();
        }
    }
}
