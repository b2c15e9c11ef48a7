package org.arachne.sandbox.route;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A behaviour the JDK's HTTP server cannot show, answered on the raw connection of the sandbox's
 * wire port ({@code Sandbox#wireUri}): closing a connection the client believes kept alive, closing
 * idle connections early, malformed status lines, replies without any. Each implementation answers
 * one path, or every path under it when {@link #path()} ends with {@code /}.
 *
 * <p>Thread-safety: implementations are called concurrently from many virtual threads.
 */
public interface WireRoute {
    /** How long a connection waits for its next request unless a route says otherwise. */
    Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /** The path this route answers, e.g. {@code /wire/http09}; a trailing {@code /} is a prefix. */
    String path();

    /**
     * Writes the whole answer to {@code request} as raw bytes (status line, header fields, body, or
     * anything else) and says what the connection does next.
     *
     * @return how long the connection then waits for another request before the server closes it;
     *     {@link Duration#ZERO} closes it at once
     * @throws IllegalArgumentException for a bad query parameter (answered with a 400)
     */
    Duration answer(WireRequest request, OutputStream out) throws IOException;
}
