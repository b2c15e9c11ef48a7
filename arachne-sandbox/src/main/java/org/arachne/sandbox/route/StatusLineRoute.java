package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /wire/status-line?line=TEXT} (default {@code HTTP/1.1 000 Zero}): answers with TEXT as its
 * status line, then ordinary header fields and a small page, and closes: a status code out of range
 * or a line that is no status line at all.
 */
public final class StatusLineRoute implements WireRoute {
    @Override
    public String path() {
        return "/wire/status-line";
    }

    @Override
    public Duration answer(WireRequest request, OutputStream out) throws IOException {
        String line = request.query().get("line", "HTTP/1.1 000 Zero");
        if (line.contains("\r") || line.contains("\n")) {
            throw new IllegalArgumentException("query parameter 'line' must be one line");
        }
        byte[] body = Replies.simplePage("Status line", "").getBytes(StandardCharsets.UTF_8);
        String head =
                line
                        + "\r\nContent-Type: "
                        + Replies.HTML_UTF8
                        + "\r\nContent-Length: "
                        + body.length
                        + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return Duration.ZERO;
    }
}
