package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/meta-refresh?to=URL&delay=N} (defaults: itself, 0): a 200 HTML page whose {@code
 * <meta http-equiv="refresh" content="N; url=URL">} sends a browser on to URL (a path, or any text,
 * valid or not, such as {@code http://[::1}) after N seconds; without {@code to} the page refreshes
 * to itself, a loop a client must detect.
 */
public final class MetaRefreshRoute implements Route {
    /** The title of every meta refresh page. */
    public static final String TITLE = "Meta refresh";

    @Override
    public String path() {
        return "/fault/meta-refresh";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        String to = q.get("to", path());
        int delay = q.intValue("delay", 0, 0, 86_400);
        if (to.contains("\"")) {
            throw new IllegalArgumentException("query parameter 'to' must hold no '\"', got " + to);
        }
        String html =
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                        + "<meta http-equiv=\"refresh\" content=\""
                        + delay
                        + "; url="
                        + to
                        + "\"><title>"
                        + TITLE
                        + "</title></head>\n<body><h1>"
                        + TITLE
                        + "</h1></body></html>\n";
        Replies.html(exchange, 200, html);
    }
}
