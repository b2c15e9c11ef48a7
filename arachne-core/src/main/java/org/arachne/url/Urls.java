package org.arachne.url;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * URLs as text: resolving links against a page URL, the form a request sends, the canonical form
 * requests are deduplicated by, hosts and origins, and URLs with their credentials masked for logs.
 *
 * <p>Backslashes in http(s) URLs are first read as the WHATWG URL standard reads them, a slash in
 * the authority and path ({@link #specialSlashes}). Resolution then follows RFC 3986 ({@link
 * ReferenceResolver}); what a URI may not hold is then percent-encoded as the WHATWG URL standard
 * does (the path in UTF-8, the query in the page's encoding, an international host in punycode:
 * {@link PercentEncoding}, {@link HostNames}). The canonical form follows w3lib's {@code
 * canonicalize_url}, what Scrapy fingerprints ({@link CanonicalForm}). Each has a quick scan for
 * the common URL, which needs none of this work.
 */
public final class Urls {
    private static final AsciiSet HOST_LABEL = AsciiSet.ALPHANUMERIC.with("-");

    private Urls() {}

    /**
     * Resolves {@code href} (absolute or relative) against {@code base}, as a link on a UTF-8 page.
     * Surrounding whitespace and embedded tabs and line breaks are removed, as browsers do.
     *
     * @throws IllegalArgumentException when the result is not a valid URL
     */
    public static String resolve(String base, String href) {
        return resolve(base, href, StandardCharsets.UTF_8);
    }

    /**
     * Resolves {@code href} against {@code base} as a link on a page in {@code pageCharset}: the
     * result's query is percent-encoded in that charset (UTF-8 for UTF-16 pages), as browsers and
     * Scrapy do; its path, fragment and user info in UTF-8; an international host in punycode. A
     * link with another scheme ({@code mailto:}) is resolved and encoded as UTF-8.
     *
     * @throws IllegalArgumentException when the result is not a valid URL, saying why
     */
    public static String resolve(String base, String href, Charset pageCharset) {
        String cleaned = specialSlashes(trimmed(href), base);
        String resolved = resolveCommon(base, cleaned);
        if (resolved == null) {
            resolved = ReferenceResolver.resolve(base, cleaned);
        }
        if (resolved == null) {
            throw new IllegalArgumentException(
                    "cannot resolve link '"
                            + redacted(href)
                            + "' against '"
                            + redacted(base)
                            + "'");
        }
        if (isPlainHttpUrl(resolved)) {
            return resolved;
        }
        if (!isHttp(resolved)) {
            StringBuilder out = new StringBuilder(resolved.length() + 16);
            PercentEncoding.encode(
                    out, resolved, PercentEncoding.QUERY.with("#"), StandardCharsets.UTF_8);
            return out.toString();
        }
        try {
            return UrlParts.split(resolved).encoded(queryCharset(pageCharset));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid link '" + redacted(resolved) + "': " + e.getMessage(), e);
        }
    }

    /**
     * {@code href} resolved against {@code base} by RFC 3986 alone, nothing encoded or checked:
     * what Python's {@code urljoin} gives, for hooks that rewrite link values as Scrapy's {@code
     * process_value} does. A value with a scheme other than http(s) ({@code javascript:...}), or
     * one that cannot be resolved, is returned as it is (trimmed).
     */
    public static String join(String base, String href) {
        String cleaned = specialSlashes(trimmed(href), base);
        if (UrlParts.schemeEnd(cleaned) > 0 && !isHttp(cleaned)) {
            return cleaned;
        }
        String resolved = resolveCommon(base, cleaned);
        if (resolved == null) {
            resolved = ReferenceResolver.resolve(base, cleaned);
        }
        return resolved == null ? cleaned : resolved;
    }

    /**
     * The URL as a request sends it, from what a user or a page wrote: what Scrapy's {@code
     * Request} takes and a browser loads. Surrounding whitespace and embedded tabs and line breaks
     * are removed; backslashes in the authority and path are slashes ({@code http:\\a.test\p} is
     * {@code http://a.test/p}); spaces and other characters a URI cannot hold are percent-encoded
     * as UTF-8 (as the WHATWG URL standard does); an international host becomes punycode; an empty
     * port is dropped. Nothing else changes (case, dot segments, the order of the query stay as
     * written). The result is always a valid {@link URI} with a host.
     *
     * <p>A {@code data:} URL is kept as WHATWG keeps it (non-ASCII and controls encoded), and
     * refused without the comma its data follows.
     *
     * @throws IllegalArgumentException when no browser would load it either, saying why: no scheme,
     *     not http(s) or data, no host, a host or port that cannot be
     */
    public static String requestUrl(String url) {
        if (isPlainHttpUrl(url)) {
            return url; // the common case: nothing to trim or encode
        }
        String cleaned = specialSlashes(trimmed(url), null);
        if (isPlainHttpUrl(cleaned)) {
            return cleaned;
        }
        try {
            if (cleaned.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            if (isData(cleaned)) {
                return dataUrl(cleaned);
            }
            UrlParts parts = UrlParts.split(cleaned);
            String encoded = parts.encoded(StandardCharsets.UTF_8);
            checkUri(encoded);
            return encoded;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid URL '" + redacted(url) + "': " + e.getMessage(), e);
        }
    }

    /**
     * A {@code data:} URL (RFC 2397) as the WHATWG URL parser keeps it: as written but for controls
     * and non-ASCII characters, encoded as UTF-8 (and in the query and fragment spaces, quotes and
     * angle brackets); a {@code %} that starts no escape is written {@code %25}, which decodes to
     * the same content.
     *
     * @throws IllegalArgumentException when it has no comma before its data, which every data: URL
     *     needs (the Fetch standard's "data: URL processor" fails then)
     */
    private static String dataUrl(String url) {
        int hash = url.indexOf('#');
        int end = hash >= 0 ? hash : url.length();
        int comma = url.indexOf(',');
        if (comma < 0 || comma > end) {
            throw new IllegalArgumentException(
                    "a data: URL needs a comma before its data (data:[<media type>][;base64],<data>)");
        }
        int question = url.indexOf('?');
        int pathEnd = question >= 0 && question < end ? question : end;
        StringBuilder out = new StringBuilder(url.length() + 16);
        PercentEncoding.encode(
                out,
                url.substring(0, pathEnd),
                PercentEncoding.OPAQUE_PATH,
                StandardCharsets.UTF_8);
        if (pathEnd < end) {
            PercentEncoding.encode(
                    out,
                    url.substring(pathEnd, end),
                    PercentEncoding.OPAQUE_QUERY,
                    StandardCharsets.UTF_8);
        }
        if (hash >= 0) {
            out.append('#');
            PercentEncoding.encode(
                    out,
                    url.substring(hash + 1),
                    PercentEncoding.OPAQUE_FRAGMENT,
                    StandardCharsets.UTF_8);
        }
        return out.toString();
    }

    /** Whether the URL is a {@code data:} URL (case-insensitive). */
    public static boolean isData(String url) {
        return url.regionMatches(true, 0, "data:", 0, 5);
    }

    /** Refuses what the HTTP client's parser ({@code java.net.URI}) would, with its reason. */
    private static void checkUri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getReason() + " at index " + e.getIndex(), e);
        }
        if (uri.getHost() == null) {
            String authority = String.valueOf(uri.getRawAuthority());
            String host = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = host.indexOf(':');
            host = colon >= 0 ? host.substring(0, colon) : host;
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!HOST_LABEL.contains(c) && c != '.') {
                    throw new IllegalArgumentException(
                            "the host '"
                                    + host
                                    + "' holds '"
                                    + c
                                    + "', which Java's URI parser (and so the HTTP client) does"
                                    + " not take in a host name");
                }
            }
            throw new IllegalArgumentException(
                    "'" + host + "' is not a host name Java's URI parser takes");
        }
    }

    /**
     * A URL or a link as the WHATWG URL parser reads it under the special schemes http and https
     * (#9; ftp, ws and file, the other special schemes, are not crawled): a backslash is a slash in
     * the authority and the path ({@code http:\\a.test\b} is {@code http://a.test/b}), while the
     * query and fragment keep theirs, where it separates nothing; and the run of slashes that
     * starts an authority is read whatever its length: an absolute URL's ({@code http:a.test},
     * {@code http:///a.test}: the "special authority slashes" and "special authority ignore
     * slashes" states), and a reference's of two or more ({@code ////a.test/p}). A reference with
     * the base's scheme and no {@code //} stays relative ({@code http:g}). Other schemes are
     * returned as they are.
     *
     * @param base the URL a reference is resolved against; null for a URL given whole
     */
    static String specialSlashes(String url, @Nullable String base) {
        int colon = UrlParts.schemeEnd(url);
        if (url.indexOf('\\') < 0
                && (colon < 0
                        ? !url.startsWith("///")
                        : url.startsWith("//", colon + 1) && !url.startsWith("/", colon + 3))) {
            return url; // the common link or URL: no backslash, no unusual run of slashes
        }
        String scheme = colon > 0 ? url.substring(0, colon) : null;
        String baseScheme = null;
        if (base != null) {
            int baseColon = UrlParts.schemeEnd(base);
            baseScheme = baseColon > 0 ? base.substring(0, baseColon) : null;
        }
        boolean special = isHttpScheme(scheme != null ? scheme : baseScheme);
        if (!special) {
            return url;
        }
        int end = firstOf(url, "?#");
        boolean absolute = scheme != null && !scheme.equalsIgnoreCase(baseScheme);
        int slashesFrom = scheme != null ? colon + 1 : 0;
        int slashesTo = slashesFrom;
        while (slashesTo < end && (url.charAt(slashesTo) == '/' || url.charAt(slashesTo) == '\\')) {
            slashesTo++;
        }
        int slashes = slashesTo - slashesFrom;
        // a reference with two or more slashes, or any absolute URL, names its authority next
        boolean authority = absolute || slashes >= 2;
        boolean backslash = url.lastIndexOf('\\', end - 1) >= 0;
        if (!backslash && (!authority || slashes == 2)) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.length() + 2);
        out.append(url, 0, slashesFrom);
        if (authority) {
            out.append("//");
        } else {
            out.append("/".repeat(slashes));
        }
        for (int i = slashesTo; i < end; i++) {
            char c = url.charAt(i);
            out.append(c == '\\' ? '/' : c);
        }
        return out.append(url, end, url.length()).toString();
    }

    private static boolean isHttpScheme(@Nullable String scheme) {
        return scheme != null
                && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
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
     * The canonical form of an absolute http(s) URL, used for deduplication: two URLs that a server
     * takes for one page get the same canonical form (see {@link CanonicalForm}: w3lib's rules, as
     * Scrapy fingerprints requests). User info is kept: it is part of what is requested. A {@code
     * data:} URL's is itself, without its fragment.
     *
     * @throws IllegalArgumentException when the URL is not a valid http(s) URL
     */
    public static String canonicalize(String url) {
        String fast = PlainUrl.canonicalOrNull(url);
        if (fast != null) {
            return fast;
        }
        if (isData(url)) {
            // its content is what it is: the scheme in lower case, the fragment dropped
            int hash = url.indexOf('#');
            return "data:" + url.substring(5, hash >= 0 ? hash : url.length());
        }
        try {
            return CanonicalForm.of(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid URL '" + redacted(url) + "': " + e.getMessage(), e);
        }
    }

    /**
     * The host of an absolute URL, lower case, without port; IPv6 literals keep their brackets.
     *
     * @throws IllegalArgumentException when the URL has no host
     */
    public static String host(String url) {
        if (PlainUrl.isPlain(url)) {
            int start = url.indexOf("://") + 3;
            int end = start;
            while (end < url.length() && ":/?#".indexOf(url.charAt(end)) < 0) {
                end++;
            }
            return url.substring(start, end).toLowerCase(Locale.ROOT);
        }
        String host = URI.create(url).getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("invalid URL '" + redacted(url) + "': no host");
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /**
     * A host or domain name as {@code allowed_domains} and {@code dns_overrides} compare it with
     * the host of a request: lower case, an international name in punycode ({@code bücher.de} is
     * {@code xn--bcher-kva.de}). A name that is not valid is returned lower-cased.
     */
    public static String asciiHost(String name) {
        return HostNames.asciiLowerCase(name);
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
     * Whether a URL is, by a quick scan, an absolute http(s) URL that {@link #requestUrl} leaves as
     * it is: a plain host name or IPv4 address as {@link URI} reads it, an optional port up to
     * 65535, and in each component only characters that component may hold. A URL that fails the
     * scan is not necessarily invalid: the full work decides.
     */
    public static boolean isPlainHttpUrl(String url) {
        return PlainUrl.isPlain(url);
    }

    /** Whether the URL has an http or https scheme (case-insensitive). */
    public static boolean isHttp(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7)
                || url.regionMatches(true, 0, "https://", 0, 8);
    }

    /**
     * The text with the credentials of every URL in it masked, for logs, stats and messages: the
     * password ({@code http://user:***@host/}), or a user name given alone, which is often a token
     * ({@code https://***@host/}, as pip masks it). Returns the same string when there is nothing
     * to mask, so it costs a scan on the common path.
     */
    public static String redacted(String text) {
        int scheme = text.indexOf("://");
        if (scheme < 0) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        while (scheme >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < text.length() && !endsAuthority(text.charAt(end))) {
                end++;
            }
            int at = text.lastIndexOf('@', end - 1);
            int colon = at >= start ? text.indexOf(':', start) : -1;
            int maskFrom = colon >= 0 && colon < at ? colon + 1 : start;
            if (at >= start && !isMask(text, maskFrom, at)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, maskFrom).append("***");
                copied = at;
            }
            scheme = text.indexOf("://", end);
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Whether {@code text[from, to)} is masked already (as {@code HttpProxy} writes it). */
    private static boolean isMask(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != '*') {
                return false;
            }
        }
        return to > from;
    }

    private static boolean endsAuthority(char c) {
        return c <= ' ' || "/?#\\\"'<>`".indexOf(c) >= 0;
    }

    /** The charset a link's query is encoded in (WHATWG: UTF-8 for UTF-16 pages). */
    private static Charset queryCharset(Charset pageCharset) {
        String name = pageCharset.name();
        if (name.startsWith("UTF-16") || name.startsWith("UTF-32") || !pageCharset.canEncode()) {
            return StandardCharsets.UTF_8;
        }
        return pageCharset;
    }

    /**
     * The URL without surrounding whitespace and control characters, and without tabs and line
     * breaks inside, as browsers read an href (WHATWG URL parser, first steps).
     */
    static String trimmed(String url) {
        int start = 0;
        int end = url.length();
        while (start < end && isTrimmed(url.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(url.charAt(end - 1))) {
            end--;
        }
        String trimmed = url.substring(start, end);
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

    private static boolean isTrimmed(char c) {
        return c <= ' ' || Character.isWhitespace(c);
    }
}
