package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How wire routes write a plain HTTP/1.1 answer: status line, fields, a sized body. */
public final class WireReplies {
    private WireReplies() {}

    /**
     * Writes {@code status}, the given extra header lines (each without its CRLF), a {@code
     * Content-Length} and the body, and flushes.
     */
    public static void send(
            OutputStream out, int status, String reason, byte[] body, String... extraFields)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        head.append("Content-Type: ").append(Replies.HTML_UTF8).append("\r\n");
        for (String field : extraFields) {
            head.append(field).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Sends a small 200 page titled {@code title}. */
    public static void page(OutputStream out, String title, String... extraFields)
            throws IOException {
        send(
                out,
                200,
                "OK",
                Replies.simplePage(title, "").getBytes(StandardCharsets.UTF_8),
                extraFields);
    }
}
