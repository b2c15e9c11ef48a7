package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * One special behaviour of the sandbox, served on every host. Each implementation answers one path
 * (or, when {@link #path()} ends with {@code /}, every path under it), like the route classes of
 * jsoup's integration tests.
 *
 * <p>Thread-safety: implementations are called concurrently from many virtual threads.
 */
public interface Route {
    /** The path this route answers, e.g. {@code /fault/slow}; a trailing {@code /} is a prefix. */
    String path();

    /**
     * Answers one request and closes the exchange. An {@link IllegalArgumentException} from here (a
     * bad query parameter) becomes a 400 answer.
     */
    void handle(HttpExchange exchange) throws IOException;

    /** Forgets per-key state such as attempt counters; stateless routes do nothing. */
    default void reset() {}
}
