package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;

/** {@code /fault/drop}: closes the connection without sending any response at all. */
public final class DropRoute implements Route {
    @Override
    public String path() {
        return "/fault/drop";
    }

    @Override
    public void handle(HttpExchange exchange) {
        // an exchange closed before its headers are sent closes the connection
        exchange.close();
    }
}
