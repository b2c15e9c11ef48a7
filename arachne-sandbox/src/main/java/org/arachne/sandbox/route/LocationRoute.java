package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/location?to=VALUE&code=C} (default code 302): a redirect whose {@code Location} is
 * VALUE exactly as given, valid or not ({@code http://}, {@code http://[::1}): what a client does
 * with a target it cannot parse.
 */
public final class LocationRoute implements Route {
    @Override
    public String path() {
        return "/fault/location";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        int code = q.intValue("code", 302, 300, 399);
        String to = q.get("to", "");
        if (to.contains("\r") || to.contains("\n")) {
            throw new IllegalArgumentException("query parameter 'to' must be one line");
        }
        Replies.redirect(exchange, code, to);
    }
}
