package org.arachne.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP proxy from a URL such as {@code http://user:pass@127.0.0.1:3128}, with its optional
 * credentials. The password never leaves this record except as the {@code Proxy-Authorization}
 * value: {@link #toString()} and every error message mask it.
 *
 * @param host the proxy's host name or IP address
 * @param port the proxy's port
 * @param user the user name, or null for no credentials
 * @param password the password (empty when only a user is given), or null with no user
 */
public record HttpProxy(String host, int port, @Nullable String user, @Nullable String password) {

    public HttpProxy {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be in 1..65535, got " + port);
        }
        if (user != null && password == null) {
            password = "";
        }
    }

    /**
     * Parses a proxy URL ({@code http://[user[:password]@]host[:port]}, port 80 by default; the
     * scheme may be left out). Blank gives null: no proxy.
     *
     * @throws IllegalArgumentException when it is not such a URL; the message never holds the
     *     credentials
     */
    public static @Nullable HttpProxy parse(@Nullable String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String text = url.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, "it is not a URL");
        }
        if (!"http".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw invalid(text, "only http:// proxies are supported");
        }
        if (uri.getHost() == null) {
            throw invalid(text, "it has no host");
        }
        if (uri.getPort() < 0) {
            // proxies have no usual port: a value without one is more likely a mistake (#9)
            throw invalid(text, "it has no port; write host:port, e.g. http://proxy.example:3128");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        return new HttpProxy(uri.getHost(), uri.getPort(), user, password);
    }

    /** The {@code Proxy-Authorization} value ({@code Basic ...}), or null without credentials. */
    public @Nullable String authorization() {
        if (user == null) {
            return null;
        }
        String pair = user + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The proxy URL with the password masked: {@code http://user:****@host:port}. */
    @Override
    public String toString() {
        return "http://" + (user == null ? "" : user + ":****@") + host + ":" + port;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("invalid proxy URL '" + mask(url) + "': " + why);
    }

    /**
     * The URL with its user information masked ({@code http://****@host:port}), for messages about
     * a proxy URL that may not parse.
     */
    public static String mask(String url) {
        int start = url.indexOf("://");
        int from = start < 0 ? 0 : start + 3;
        int end = url.indexOf('/', from);
        String authority = end < 0 ? url.substring(from) : url.substring(from, end);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        return url.substring(0, from) + "****" + url.substring(from + at);
    }
}
