package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /wire/bad-chunk}: a chunked response whose first chunk-size line is not a hexadecimal
 * number but {@link #CHUNK_LINE} (an ANSI sequence that would clear a terminal and turn its text
 * red, and a bell): a client that copies the line into a log message writes them to the terminal.
 */
public final class BadChunkRoute implements WireRoute {
    /** The chunk-size line sent, control characters included. */
    public static final String CHUNK_LINE = "\u001b[2J\u001b[31mpwned\u0007";

    @Override
    public String path() {
        return "/wire/bad-chunk";
    }

    @Override
    public Duration answer(WireRequest request, OutputStream out) throws IOException {
        String reply =
                "HTTP/1.1 200 OK\r\nContent-Type: "
                        + Replies.HTML_UTF8
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + CHUNK_LINE
                        + "\r\n<html></html>\r\n0\r\n\r\n";
        out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return Duration.ZERO;
    }
}
