package org.arachne.url;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * An absolute http(s) URL split into its components as written (RFC 3986 appendix B; the user info
 * ends at the last {@code @} of the authority, as the WHATWG parser reads it). Nothing is decoded;
 * absent components are null (an empty path is never absent). The slow path of {@link Urls}: the
 * common URL never gets here.
 */
record UrlParts(
        String scheme,
        @Nullable String userinfo,
        String host,
        @Nullable String port,
        String path,
        @Nullable String query,
        @Nullable String fragment) {

    /**
     * Splits an http or https URL.
     *
     * @throws IllegalArgumentException with the reason (no scheme, not http(s), no host), without
     *     the URL
     */
    static UrlParts split(String url) {
        int colon = schemeEnd(url);
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "no scheme (a request needs an absolute URL, such as http://example.com/)");
        }
        String scheme = url.substring(0, colon);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new IllegalArgumentException(
                    "scheme '"
                            + scheme
                            + "' cannot be fetched: only http and https URLs can be crawled"
                            + " (and data: URLs read, which hold their content)");
        }
        if (!url.startsWith("//", colon + 1)) {
            throw new IllegalArgumentException("no host (write " + scheme + "://host/...)");
        }
        int start = colon + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        String userinfo = at >= start ? url.substring(start, at) : null;
        int hostStart = at >= start ? at + 1 : start;
        int portColon;
        if (hostStart < end && url.charAt(hostStart) == '[') {
            int close = url.indexOf(']', hostStart);
            if (close < 0 || close >= end) {
                portColon = -1;
            } else if (close + 1 < end && url.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(
                        "'" + url.substring(hostStart, end) + "' is not an IPv6 address and port");
            } else {
                portColon = close + 1 < end ? close + 1 : -1;
            }
        } else {
            portColon = url.indexOf(':', hostStart);
            if (portColon >= end) {
                portColon = -1;
            }
        }
        String host = url.substring(hostStart, portColon >= 0 ? portColon : end);
        String port = portColon >= 0 ? url.substring(portColon + 1, end) : null;
        int hash = url.indexOf('#', end);
        int question = url.indexOf('?', end);
        if (hash >= 0 && question > hash) {
            question = -1;
        }
        int pathEnd = question >= 0 ? question : hash >= 0 ? hash : url.length();
        String path = url.substring(end, pathEnd);
        String query =
                question >= 0 ? url.substring(question + 1, hash >= 0 ? hash : url.length()) : null;
        String fragment = hash >= 0 ? url.substring(hash + 1) : null;
        return new UrlParts(scheme, userinfo, host, port, path, query, fragment);
    }

    /** The index of the colon after a valid scheme ({@code ALPHA *(ALPHA/DIGIT/+-.)}), or -1. */
    static int schemeEnd(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            boolean other = c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
            if (c == ':') {
                return i > 0 ? i : -1;
            }
            if (!letter && (i == 0 || !other)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * The URL as a request sends it: host in ASCII, an empty port dropped, every component
     * percent-encoded as {@link PercentEncoding} says (the query in {@code queryCharset}).
     *
     * @throws IllegalArgumentException with the reason when the host or port is invalid
     */
    String encoded(Charset queryCharset) {
        StringBuilder out = new StringBuilder(host.length() + path.length() + 32);
        out.append(scheme).append("://");
        if (userinfo != null) {
            PercentEncoding.encode(out, userinfo, PercentEncoding.USERINFO, StandardCharsets.UTF_8);
            out.append('@');
        }
        out.append(HostNames.toAscii(host));
        if (port != null && !port.isEmpty()) {
            out.append(':').append(checkedPort());
        }
        PercentEncoding.encode(out, path, PercentEncoding.PATH, StandardCharsets.UTF_8);
        if (query != null) {
            out.append('?');
            PercentEncoding.encode(out, query, PercentEncoding.QUERY, queryCharset);
        }
        if (fragment != null) {
            out.append('#');
            PercentEncoding.encode(out, fragment, PercentEncoding.QUERY, StandardCharsets.UTF_8);
        }
        return out.toString();
    }

    /**
     * The port as a number (-1 for none or an empty one).
     *
     * @throws IllegalArgumentException when it is not a number from 0 to 65535
     */
    int portNumber() {
        return port == null || port.isEmpty() ? -1 : Integer.parseInt(checkedPort());
    }

    private String checkedPort() {
        String p = port == null ? "" : port;
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                throw new IllegalArgumentException("port '" + p + "' is not a number");
            }
        }
        if (p.length() > 5 || Integer.parseInt(p) > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range (at most 65535)");
        }
        return p;
    }
}
