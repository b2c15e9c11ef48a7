package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * {@code /wire/idle-close/ANY?ms=N} (default 300): a small page titled with its path, on a
 * connection kept alive (no {@code Connection: close}) that the server closes when no next request
 * came within N ms, as servers with a short keep-alive timeout do.
 */
public final class IdleCloseRoute implements WireRoute {
    @Override
    public String path() {
        return "/wire/idle-close/";
    }

    @Override
    public Duration answer(WireRequest request, OutputStream out) throws IOException {
        int ms = request.query().intValue("ms", 300, 1, 600_000);
        WireReplies.page(out, request.path());
        return Duration.ofMillis(ms);
    }
}
