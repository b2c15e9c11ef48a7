package org.arachne.url;

import crawlercommons.filters.basic.BasicURLNormalizer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Resolving links against a page URL and bringing URLs to one canonical form, the way browsers and
 * Scrapy's {@code canonicalize_url} do.
 *
 * <p>Resolution follows RFC 3986 ({@link ReferenceResolver}) and then percent-encodes what a URI
 * may not hold (spaces, non-ASCII characters) as UTF-8. Canonicalisation (through crawler-commons'
 * normaliser) lower-cases scheme and host, drops the default port, the fragment and dot segments,
 * normalises percent-encoding and sorts query parameters.
 */
public final class Urls {
    private static final BasicURLNormalizer NORMALIZER =
            BasicURLNormalizer.newBuilder().queryParamsToRemove(Set.of()).build();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Urls() {}

    /**
     * Resolves {@code href} (absolute or relative) against {@code base}. Surrounding whitespace and
     * embedded tabs and line breaks are removed, as browsers do.
     *
     * @throws IllegalArgumentException when the result is not a valid http(s) URL
     */
    public static String resolve(String base, String href) {
        String cleaned = stripControl(href);
        String fast = resolveCommon(base, cleaned);
        if (fast != null) {
            return encodeIllegal(fast);
        }
        String resolved = ReferenceResolver.resolve(base, cleaned);
        if (resolved == null) {
            throw new IllegalArgumentException(
                    "cannot resolve link '" + href + "' against '" + base + "'");
        }
        return encodeIllegal(resolved);
    }

    /**
     * The three shapes of link that make up nearly every page, resolved without parsing: absolute
     * http(s) URLs, absolute paths ({@code /a/b}) and plain relative paths ({@code b.html}, {@code
     * dir/b.html}). Anything else (dot segments, {@code ?query}, {@code #frag}, {@code //host},
     * other schemes, an unusual base) returns null and goes through the full RFC 3986 resolution.
     */
    private static @Nullable String resolveCommon(String base, String href) {
        if (href.startsWith("http://") || href.startsWith("https://")) {
            return href;
        }
        if (href.isEmpty()
                || href.contains("./")
                || href.endsWith(".")
                || href.indexOf('\\') >= 0) {
            return null;
        }
        char first = href.charAt(0);
        if (first == '?' || first == '#' || href.startsWith("//")) {
            return null;
        }
        int schemeEnd = base.indexOf("://");
        if (schemeEnd <= 0 || !isHttp(base)) {
            return null;
        }
        int pathStart = schemeEnd + 3;
        while (pathStart < base.length() && "/?#".indexOf(base.charAt(pathStart)) < 0) {
            pathStart++;
        }
        if (first == '/') {
            return base.substring(0, pathStart) + href;
        }
        int colon = href.indexOf(':');
        if (colon >= 0 && colon < firstOf(href, "/?#")) {
            return null; // a scheme (mailto:, javascript:) or something that looks like one
        }
        int pathEnd = firstOf(base, "?#", pathStart);
        int lastSlash = base.lastIndexOf('/', pathEnd - 1);
        if (lastSlash < pathStart) {
            return base.substring(0, pathStart) + "/" + href;
        }
        return base.substring(0, lastSlash + 1) + href;
    }

    private static int firstOf(String s, String chars) {
        return firstOf(s, chars, 0);
    }

    private static int firstOf(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /**
     * The canonical form of an absolute URL, used for deduplication: two URLs that name the same
     * resource in different spellings get the same canonical form.
     *
     * @throws IllegalArgumentException when the URL cannot be parsed
     */
    public static String canonicalize(String url) {
        String fast = alreadyCanonical(url);
        if (fast != null) {
            return fast;
        }
        String normalized = NORMALIZER.filter(encodeIllegal(url));
        if (normalized == null) {
            throw new IllegalArgumentException("invalid URL '" + url + "'");
        }
        return normalized;
    }

    /**
     * The URL without its fragment when that is already its canonical form, which is the case for
     * most links (lower-case scheme and host, no default port, a path without dot segments or
     * escapes, no query); otherwise null and the normaliser decides.
     */
    private static @Nullable String alreadyCanonical(String url) {
        int hash = url.indexOf('#');
        String u = hash >= 0 ? url.substring(0, hash) : url;
        if (!isPlainHttpUrl(u) || u.indexOf('?') >= 0 || u.indexOf('%') >= 0) {
            return null;
        }
        int hostStart = u.indexOf("://") + 3;
        int pathStart = firstOf(u, "/", hostStart);
        if (pathStart == u.length()) {
            return null; // no path: the normaliser adds "/"
        }
        for (int i = 0; i < pathStart; i++) {
            char c = u.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return null;
            }
        }
        String authority = u.substring(hostStart, pathStart);
        if ((u.startsWith("http://") && authority.endsWith(":80"))
                || (u.startsWith("https://") && authority.endsWith(":443"))) {
            return null;
        }
        String path = u.substring(pathStart);
        if (path.contains("/./")
                || path.contains("/../")
                || path.contains("//")
                || path.endsWith("/.")
                || path.endsWith("/..")) {
            return null;
        }
        return u;
    }

    /**
     * The host of an absolute URL, lower case, without port; IPv6 literals keep their brackets.
     *
     * @throws IllegalArgumentException when the URL has no host
     */
    public static String host(String url) {
        int start = url.indexOf("://");
        if (start > 0) {
            start += 3;
            int end = firstOf(url, "/?#", start);
            int colon = url.indexOf(':', start);
            int at = url.indexOf('@', start);
            int hostEnd = colon >= 0 && colon < end ? colon : end;
            if (hostEnd > start && (at < 0 || at >= end) && isPlainHost(url, start, hostEnd)) {
                return url.substring(start, hostEnd).toLowerCase(Locale.ROOT);
            }
        }
        String host = URI.create(url).getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("invalid URL '" + url + "': no host");
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /**
     * The origin of an absolute http(s) URL: {@code scheme://host[:port]}, lower case, without a
     * default port or user info.
     *
     * @throws IllegalArgumentException when the URL has no host
     */
    public static String origin(String url) {
        if (isPlainHttpUrl(url)) {
            int end = firstOf(url, "/?#", url.indexOf("://") + 3);
            String origin = url.substring(0, end).toLowerCase(Locale.ROOT);
            if (origin.startsWith("http://") && origin.endsWith(":80")) {
                return origin.substring(0, origin.length() - 3);
            }
            if (origin.startsWith("https://") && origin.endsWith(":443")) {
                return origin.substring(0, origin.length() - 4);
            }
            return origin;
        }
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1
                        || (scheme.equals("http") && port == 80)
                        || (scheme.equals("https") && port == 443);
        return scheme + "://" + host(url) + (defaultPort ? "" : ":" + port);
    }

    /**
     * Whether a URL is, by a quick scan, an absolute http(s) URL with a plain host name or IPv4
     * address, an optional numeric port, and only characters a URI may hold. A URL that fails the
     * scan is not necessarily invalid: callers check it fully with {@link URI}.
     */
    public static boolean isPlainHttpUrl(String url) {
        if (!isHttp(url)) {
            return false;
        }
        int start = url.indexOf("://") + 3;
        int end = firstOf(url, "/?#", start);
        int colon = url.indexOf(':', start);
        int hostEnd = colon >= 0 && colon < end ? colon : end;
        if (hostEnd == start || !isPlainHost(url, start, hostEnd)) {
            return false;
        }
        for (int i = hostEnd + 1; i < end; i++) {
            char c = url.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        for (int i = end; i < url.length(); i++) {
            if (!isLegal(url, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainHost(String url, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = url.charAt(i);
            boolean ok =
                    c >= 'a' && c <= 'z'
                            || c >= 'A' && c <= 'Z'
                            || c >= '0' && c <= '9'
                            || c == '.'
                            || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether the URL has an http or https scheme (case-insensitive). */
    public static boolean isHttp(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7)
                || url.regionMatches(true, 0, "https://", 0, 8);
    }

    private static String stripControl(String href) {
        String trimmed = href.strip();
        if (trimmed.indexOf('\n') < 0 && trimmed.indexOf('\r') < 0 && trimmed.indexOf('\t') < 0) {
            return trimmed;
        }
        StringBuilder sb = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c != '\n' && c != '\r' && c != '\t') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Percent-encodes (as UTF-8) every character a URI may not contain; valid {@code %XX} escapes
     * and reserved characters are kept as they are.
     */
    static String encodeIllegal(String url) {
        int i = 0;
        while (i < url.length() && isLegal(url, i)) {
            i++;
        }
        if (i == url.length()) {
            return url;
        }
        StringBuilder sb = new StringBuilder(url.length() + 16);
        sb.append(url, 0, i);
        while (i < url.length()) {
            int cp = url.codePointAt(i);
            int width = Character.charCount(cp);
            if (isLegal(url, i)) {
                sb.append((char) cp);
            } else {
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    sb.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            i += width;
        }
        return sb.toString();
    }

    private static boolean isLegal(String s, int i) {
        char c = s.charAt(i);
        if (c == '%') {
            return i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2));
        }
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
