package org.arachne.http;

import crawlercommons.filters.basic.BasicURLNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jsoup.internal.StringUtil;

/**
 * Resolving links against a page URL and bringing URLs to one canonical form, the way browsers and
 * Scrapy's {@code canonicalize_url} do.
 *
 * <p>Resolution follows RFC 3986 (through jsoup) and then percent-encodes what a URI may not hold
 * (spaces, non-ASCII characters) as UTF-8. Canonicalisation (through crawler-commons' normaliser)
 * lower-cases scheme and host, drops the default port, the fragment and dot segments, normalises
 * percent-encoding and sorts query parameters.
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
        String resolved = StringUtil.resolve(base, cleaned);
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot resolve link '" + href + "' against '" + base + "'");
        }
        return encodeIllegal(resolved);
    }

    /**
     * The canonical form of an absolute URL, used for deduplication: two URLs that name the same
     * resource in different spellings get the same canonical form.
     *
     * @throws IllegalArgumentException when the URL cannot be parsed
     */
    public static String canonicalize(String url) {
        String normalized = NORMALIZER.filter(encodeIllegal(url));
        if (normalized == null) {
            throw new IllegalArgumentException("invalid URL '" + url + "'");
        }
        return normalized;
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
