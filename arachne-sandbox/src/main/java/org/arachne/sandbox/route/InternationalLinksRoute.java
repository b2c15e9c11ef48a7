package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Links as browsers must encode them (issue #9), under {@code /fault/intl/}:
 *
 * <ul>
 *   <li>{@code /fault/intl/}: a windows-1252 page (declared in the header) linking to {@code
 *       echo?q=é&p=a b} (the query encoded in the page's charset, the space escaped) and to {@code
 *       http://www.bücher.test:PORT/fault/intl/echo?q=é}, an international host name that a test
 *       maps to the sandbox with {@code dns_overrides};
 *   <li>{@code /fault/intl/echo}: a page whose title is the {@code Host} header and the raw query
 *       the server received, such as {@code www.xn--bcher-kva.test:8321 q=%E9}.
 * </ul>
 */
public final class InternationalLinksRoute implements Route {
    /** The international host name the index links to. */
    public static final String HOST = "www.bücher.test";

    private static final Charset PAGE_CHARSET = Charset.forName("windows-1252");

    @Override
    public String path() {
        return "/fault/intl/";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/fault/intl/echo")) {
            String host =
                    Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Host"), "");
            String query = Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), "");
            Replies.page(exchange, 200, host + " " + query);
            return;
        }
        if (!path.equals("/fault/intl/")) {
            Replies.page(exchange, 404, "Not found");
            return;
        }
        int port = exchange.getLocalAddress().getPort();
        String html =
                "<!DOCTYPE html>\n<html><head><title>International links</title></head><body>\n"
                        + "<a href=\"echo?q=é&amp;p=a b\">here</a>\n"
                        + "<a href=\"http://"
                        + HOST
                        + ":"
                        + port
                        + "/fault/intl/echo?q=é\">Bücher</a>\n"
                        + "</body></html>\n";
        Replies.send(exchange, 200, "text/html; charset=windows-1252", html.getBytes(PAGE_CHARSET));
    }
}
