package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Set;

/**
 * {@code /fault/redirect?n=N&code=C} (defaults 3, 302): a chain of N redirects with status C (301,
 * 302, 303, 307 or 308), each to {@code ?n=N-1}, ending at a 200 page titled {@value #FINAL_TITLE}.
 */
public final class RedirectRoute implements Route {
    /** The title of the page at the end of every chain. */
    public static final String FINAL_TITLE = "End of the redirect chain";

    private static final Set<Integer> CODES = Set.of(301, 302, 303, 307, 308);

    @Override
    public String path() {
        return "/fault/redirect";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Query q = Query.of(exchange);
        int n = q.intValue("n", 3, 0, 10_000);
        int code = q.intValue("code", 302, 300, 399);
        if (!CODES.contains(code)) {
            throw new IllegalArgumentException("query parameter 'code' must be one of " + CODES);
        }
        if (n == 0) {
            Replies.page(exchange, 200, FINAL_TITLE);
        } else {
            Replies.redirect(exchange, code, path() + "?n=" + (n - 1) + "&code=" + code);
        }
    }
}
