package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /fault/gzip-bomb?mb=N} (default 10, at most 1024): a gzip body of a few kilobytes per MiB
 * that inflates to exactly N MiB of HTML; a client must cap the decompressed size.
 */
public final class GzipBombRoute implements Route {
    @Override
    public String path() {
        return "/fault/gzip-bomb";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        int mb = Query.of(exchange).intValue("mb", 10, 1, 1024);
        byte[] head = "<!DOCTYPE html>\n<html><body><p>".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "</p></body></html>\n".getBytes(StandardCharsets.US_ASCII);
        byte[] filler = new byte[1 << 16];
        Arrays.fill(filler, (byte) 'A');
        long total = (long) mb << 20;
        long fill = total - head.length - tail.length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z =
                new GZIPOutputStream(bytes, 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_COMPRESSION);
                    }
                }) {
            z.write(head);
            for (long left = fill; left > 0; left -= filler.length) {
                z.write(filler, 0, (int) Math.min(filler.length, left));
            }
            z.write(tail);
        }
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        Replies.send(exchange, 200, Replies.HTML_UTF8, bytes.toByteArray());
    }
}
