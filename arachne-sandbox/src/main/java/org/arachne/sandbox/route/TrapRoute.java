package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /fault/trap/N}: an endless link trap. Every page links to {@code /fault/trap/N+1} and to
 * {@code /fault/trap/N+1?x=...}, so a crawler without a depth limit or URL budget never finishes.
 *
 * <p>{@code /fault/trap/N?fanout=K} is a wide trap: every page links to K new pages (a K-ary tree
 * numbered by {@code x}), so the crawl's queue grows K-fold per page crawled.
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
        Query query = Query.of(exchange);
        String x = query.get("x", "");
        long next = n + 1;
        int fanout = query.intValue("fanout", 0, 0, 1000);
        if (fanout > 0) {
            long id = x.isEmpty() ? 0 : Long.parseLong(x, 16);
            StringBuilder links = new StringBuilder("<p>Wide trap page " + n + "</p>\n<ul>\n");
            for (int i = 0; i < fanout; i++) {
                links.append("<li><a href=\"/fault/trap/")
                        .append(next)
                        .append("?fanout=")
                        .append(fanout)
                        .append("&amp;x=")
                        .append(Long.toHexString(id * fanout + i + 1))
                        .append("\">child ")
                        .append(i)
                        .append("</a></li>\n");
            }
            links.append("</ul>\n");
            Replies.html(exchange, 200, Replies.simplePage("Trap " + n, links.toString()));
            return;
        }
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
