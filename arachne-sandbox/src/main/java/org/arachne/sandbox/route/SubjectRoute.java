package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code /subject/ID/}: the detail page of one {@link Top250Route} entry, so that crawlers
 * following the list's links get pages, not errors. Refuses non-browser clients with 418 too.
 */
public final class SubjectRoute implements Route {
    @Override
    public String path() {
        return "/subject/";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Top250Route.refuseRobot(exchange)) {
            return;
        }
        String rest = exchange.getRequestURI().getPath().substring(path().length());
        int i;
        try {
            i =
                    Integer.parseInt(
                                    rest.endsWith("/")
                                            ? rest.substring(0, rest.length() - 1)
                                            : rest)
                            - Top250Route.FIRST_ID;
        } catch (NumberFormatException e) {
            i = -1;
        }
        if (i < 0 || i >= Top250Route.TOTAL) {
            Replies.page(exchange, 404, "No such subject");
            return;
        }
        String title = Top250Route.escape(Top250Route.title(i));
        Replies.html(
                exchange,
                200,
                Replies.simplePage(
                        title,
                        "<span property=\"v:itemreviewed\">"
                                + title
                                + "</span>\n<p>Top 250 No."
                                + (i + 1)
                                + "</p>\n"));
    }
}
