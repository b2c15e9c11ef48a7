package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /account/...}, pages only a logged-in user sees (the session cookie of {@link
 * LoginRoute}); without it every one redirects (302) to {@code /login?next=PATH}. {@code /account/}
 * greets the user ({@code <p class="user">Signed in as alice</p>}, a {@code a.logout} link) and
 * links {@value #ORDERS} orders, {@code /account/orders/N}, each with {@code h1} "Order N", {@code
 * span.total} and {@code span.status}: {@link #orders()} is what a crawl must find.
 */
public final class AccountRoute implements Route {
    /** Orders in the account. */
    public static final int ORDERS = 6;

    private static final Pattern ORDER = Pattern.compile("/account/orders/(\\d{1,3})");

    private final Sessions sessions;

    /** One order as its page shows it. */
    public record Order(int id, BigDecimal total, String status) {}

    public AccountRoute(Sessions sessions) {
        this.sessions = sessions;
    }

    /** Every order, by id from 1. */
    public static List<Order> orders() {
        List<Order> orders = new ArrayList<>();
        for (int id = 1; id <= ORDERS; id++) {
            orders.add(order(id));
        }
        return orders;
    }

    private static Order order(int id) {
        return new Order(
                id,
                BigDecimal.valueOf(1000 + id * 1234L % 9000, 2),
                id % 3 == 0 ? "shipped" : "delivered");
    }

    @Override
    public String path() {
        return "/account/";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!sessions.isLoggedIn(exchange)) {
            Replies.redirect(exchange, 302, "/login?next=" + path);
            return;
        }
        if (path.equals("/account/")) {
            StringBuilder links = new StringBuilder();
            links.append("<p class=\"user\">Signed in as ")
                    .append(LoginRoute.USERNAME)
                    .append("</p>\n<a class=\"logout\" href=\"/logout\">Log out</a>\n<ul>\n");
            for (int id = 1; id <= ORDERS; id++) {
                links.append("<li><a class=\"order\" href=\"/account/orders/")
                        .append(id)
                        .append("\">Order ")
                        .append(id)
                        .append("</a></li>\n");
            }
            Replies.html(exchange, 200, Replies.simplePage("Your account", links + "</ul>\n"));
            return;
        }
        Matcher m = ORDER.matcher(path);
        int id = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        if (id < 1 || id > ORDERS) {
            Replies.page(exchange, 404, "Not found");
            return;
        }
        Order order = order(id);
        Replies.html(
                exchange,
                200,
                Replies.simplePage(
                        "Order " + id,
                        "<p>Total <span class=\"total\">£"
                                + order.total()
                                + "</span></p>\n<p>Status <span class=\"status\">"
                                + order.status()
                                + "</span></p>\n"));
    }
}
