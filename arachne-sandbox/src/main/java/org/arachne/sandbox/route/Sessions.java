package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The state the login routes share: the CSRF tokens the login form handed out (each good for one
 * login) and the sessions a login opened. Thread-safe.
 */
public final class Sessions {
    /** The cookie that holds a session. */
    public static final String COOKIE = "sandbox_session";

    private final SecureRandom random = new SecureRandom();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    /** A new CSRF token for one form. */
    String issueToken() {
        String token = randomHex();
        tokens.add(token);
        return token;
    }

    /** Whether the token was handed out and not used yet; it is used up either way. */
    boolean useToken(@Nullable String token) {
        return token != null && tokens.remove(token);
    }

    /** A new session's id. */
    String open() {
        String session = randomHex();
        sessions.add(session);
        return session;
    }

    /** Whether the request carries the cookie of an open session. */
    boolean isLoggedIn(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                if (p.startsWith(COOKIE + "=")
                        && sessions.contains(p.substring(COOKIE.length() + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    void reset() {
        tokens.clear();
        sessions.clear();
    }

    private String randomHex() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
