package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /login}, a site's login as real sites have it: a GET answers a page with a search form
 * first and then the login form ({@code form#login}: a hidden {@code csrf_token} good for one
 * login, {@code username}, {@code password}, a checked {@code remember} box); a POST of that form
 * with the token and {@link #USERNAME}/{@link #PASSWORD} sets the session cookie ({@value
 * Sessions#COOKIE}, {@code Path=/; HttpOnly}) and redirects (302) to {@code /account/}. Wrong
 * credentials answer the form again (200) with {@code <p class="error">}; a missing or used token
 * answers 403.
 */
public final class LoginRoute implements Route {
    /** The one user who can log in. */
    public static final String USERNAME = "alice";

    /** Her password. */
    public static final String PASSWORD = "wonderland-42";

    private final Sessions sessions;

    public LoginRoute(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public String path() {
        return "/login";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            Replies.html(exchange, 200, form(""));
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = Query.parse(body).values();
        if (!sessions.useToken(fields.get("csrf_token"))) {
            Replies.html(
                    exchange,
                    403,
                    Replies.simplePage("Forbidden", "<p class=\"error\">Invalid CSRF token</p>\n"));
            return;
        }
        if (!USERNAME.equals(fields.get("username")) || !PASSWORD.equals(fields.get("password"))) {
            Replies.html(
                    exchange, 200, form("<p class=\"error\">Wrong username or password</p>\n"));
            return;
        }
        exchange.getResponseHeaders()
                .add("Set-Cookie", Sessions.COOKIE + "=" + sessions.open() + "; Path=/; HttpOnly");
        Replies.redirect(exchange, 302, "/account/");
    }

    private String form(String error) {
        return Replies.simplePage(
                "Log in",
                """
                <form action="/search" method="get"><input name="q"><button>Search</button></form>
                ERROR<form id="login" action="/login" method="post">
                  <input type="hidden" name="csrf_token" value="TOKEN">
                  <label>User <input name="username"></label>
                  <label>Password <input type="password" name="password"></label>
                  <label><input type="checkbox" name="remember" value="yes" checked> Remember me</label>
                  <button type="submit">Log in</button>
                </form>
                """
                        .replace("ERROR", error)
                        .replace("TOKEN", sessions.issueToken()));
    }

    @Override
    public void reset() {
        sessions.reset();
    }
}
