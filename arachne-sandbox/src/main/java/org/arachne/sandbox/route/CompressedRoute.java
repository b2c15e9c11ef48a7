package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /fault/gzip} and {@code /fault/deflate}: a UTF-8 page containing {@link #PHRASE}, sent
 * with {@code Content-Encoding: gzip} (RFC 1952) or {@code deflate} (zlib, RFC 1950) whatever the
 * request's Accept-Encoding says.
 */
public final class CompressedRoute implements Route {
    /** Text inside the compressed page, to check that a client decompressed it. */
    public static final String PHRASE = "Compressed page — 压缩页面 — décompressé";

    private final String encoding;

    private CompressedRoute(String encoding) {
        this.encoding = encoding;
    }

    /** The route at {@code /fault/gzip}. */
    public static CompressedRoute gzip() {
        return new CompressedRoute("gzip");
    }

    /** The route at {@code /fault/deflate}. */
    public static CompressedRoute deflate() {
        return new CompressedRoute("deflate");
    }

    @Override
    public String path() {
        return "/fault/" + encoding;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String page =
                Replies.simplePage(
                        "Encoded with " + encoding, ("<p>" + PHRASE + "</p>\n").repeat(20));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z =
                encoding.equals("gzip")
                        ? new GZIPOutputStream(bytes)
                        : new DeflaterOutputStream(bytes)) {
            z.write(page.getBytes(StandardCharsets.UTF_8));
        }
        exchange.getResponseHeaders().set("Content-Encoding", encoding);
        Replies.send(exchange, 200, Replies.HTML_UTF8, bytes.toByteArray());
    }
}
