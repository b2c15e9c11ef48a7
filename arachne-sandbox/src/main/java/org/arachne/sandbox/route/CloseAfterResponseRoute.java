package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * {@code /wire/close/ANY?header=B} (default false): a small page titled with its path, after which
 * the server closes the connection. With {@code header=true} the response says so ({@code
 * Connection: close}, the polite way); without it the client learns only when it sends its next
 * request on the connection (the hostile way: a pooled connection that is already dead). A HEAD
 * gets the body too, as some servers wrongly send: bytes left on the connection after the head.
 */
public final class CloseAfterResponseRoute implements WireRoute {
    @Override
    public String path() {
        return "/wire/close/";
    }

    @Override
    public Duration answer(WireRequest request, OutputStream out) throws IOException {
        boolean header = Boolean.parseBoolean(request.query().get("header", "false"));
        if (header) {
            WireReplies.page(out, request.path(), "Connection: close");
        } else {
            WireReplies.page(out, request.path());
        }
        return Duration.ZERO;
    }
}
