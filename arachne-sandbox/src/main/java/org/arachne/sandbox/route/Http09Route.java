package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /wire/http09}: an HTTP/0.9 reply, the body alone with no status line or header fields,
 * ended by closing the connection.
 */
public final class Http09Route implements WireRoute {
    /** The title of the page sent. */
    public static final String TITLE = "HTTP/0.9 reply";

    @Override
    public String path() {
        return "/wire/http09";
    }

    @Override
    public Duration answer(WireRequest request, OutputStream out) throws IOException {
        out.write(
                Replies.simplePage(TITLE, "<p>no status line</p>")
                        .getBytes(StandardCharsets.UTF_8));
        out.flush();
        return Duration.ZERO;
    }
}
