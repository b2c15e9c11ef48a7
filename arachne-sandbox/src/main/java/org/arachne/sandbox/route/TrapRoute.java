package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/trap/N}: an endless link trap. Every page links to {@code /fault/trap/N+1} and to
 * {@code /fault/trap/N+1?x=...}, so a crawler without a depth limit or URL budget never finishes.
 */
public final class TrapRoute implements Route {
    @Override
    public String path() {
        return "/fault/trap/";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String rest = exchange.getRequestURI().getPath().substring(path().length());
        long n;
        try {
            n = rest.isEmpty() ? 0 : Long.parseLong(rest);
        } catch (NumberFormatException e) {
            Replies.page(exchange, 404, "No trap page " + rest);
            return;
        }
        String x = Query.of(exchange).get("x", "");
        long next = n + 1;
        String body =
                "<p>Trap page "
                        + n
                        + "</p>\n<ul>\n<li><a href=\"/fault/trap/"
                        + next
                        + "\">deeper</a></li>\n<li><a href=\"/fault/trap/"
                        + next
                        + "?x="
                        + Long.toHexString(next * 31 + x.length())
                        + "\">deeper with a query</a></li>\n</ul>\n";
        Replies.html(exchange, 200, Replies.simplePage("Trap " + n, body));
    }
}
