package org.arachne.url;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The canonical form of an http(s) URL, by the rules of w3lib's {@code canonicalize_url} (what
 * Scrapy fingerprints), with what browsers do besides:
 *
 * <ul>
 *   <li>scheme and host lower case, the host in punycode; user info kept (it is part of what is
 *       requested), an empty or default port dropped;
 *   <li>the path percent-encoded as UTF-8, escapes of characters that mean the same encoded or not
 *       decoded ({@code %2C} is {@code ,}, {@code %7E} is {@code ~}), others upper-cased ({@code
 *       %2f} is {@code %2F}: it stays an escape), then dot segments removed; {@code /} when empty;
 *   <li>the query read as form data ({@code +}, {@code %20} and a space are one), its pairs sorted
 *       by key and then value (as bytes), and written back as Python's {@code urlencode} writes
 *       them; a key without {@code =} gets one; empty pairs go, and so does an empty query;
 *   <li>no fragment.
 * </ul>
 *
 * <p>Where w3lib keeps {@code [ ] |} raw in the path, they stay encoded here: a canonical URL must
 * remain one that {@code java.net.URI}, and so the HTTP client, accepts.
 */
final class CanonicalForm {
    /**
     * Escapes in a path decoded because the character means the same either way (not {@code /}).
     */
    private static final AsciiSet PATH_DECODED = PercentEncoding.PATH.without("/");

    /** Escapes in user info decoded ({@code %3A} stays: a colon there ends the user name). */
    private static final AsciiSet USERINFO_DECODED = PercentEncoding.USERINFO.without(":");

    private CanonicalForm() {}

    /**
     * @throws IllegalArgumentException with the reason when the URL is not a valid http(s) URL
     */
    static String of(String url) {
        UrlParts parts = UrlParts.split(Urls.trimmed(url));
        String scheme = parts.scheme().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(url.length() + 16);
        out.append(scheme).append("://");
        if (parts.userinfo() != null) {
            PercentEncoding.normalize(
                    out,
                    parts.userinfo(),
                    PercentEncoding.USERINFO,
                    USERINFO_DECODED,
                    StandardCharsets.UTF_8);
            out.append('@');
        }
        out.append(HostNames.toAscii(parts.host()).toLowerCase(Locale.ROOT));
        int port = parts.portNumber();
        boolean defaultPort =
                port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https");
        if (port >= 0 && !defaultPort) {
            out.append(':').append(port);
        }
        StringBuilder path = new StringBuilder(parts.path().length() + 8);
        PercentEncoding.normalize(
                path, parts.path(), PercentEncoding.PATH, PATH_DECODED, StandardCharsets.UTF_8);
        String cleanPath = ReferenceResolver.removeDotSegments(path.toString());
        out.append(cleanPath.isEmpty() ? "/" : cleanPath);
        if (parts.query() != null) {
            appendQuery(out, parts.query());
        }
        return out.toString();
    }

    /** One key=value pair of a query, decoded to bytes; ordered by key, then value. */
    private static final class Pair implements Comparable<Pair> {
        final byte[] key;
        final byte[] value;

        Pair(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public int compareTo(Pair other) {
            int byKey = Arrays.compareUnsigned(key, other.key);
            return byKey != 0 ? byKey : Arrays.compareUnsigned(value, other.value);
        }
    }

    private static void appendQuery(StringBuilder out, String query) {
        List<Pair> pairs = new ArrayList<>();
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            if (end > start) {
                int eq = query.indexOf('=', start);
                int keyEnd = eq >= 0 && eq < end ? eq : end;
                int valueStart = eq >= 0 && eq < end ? eq + 1 : end;
                pairs.add(
                        new Pair(
                                PercentEncoding.formDecode(query, start, keyEnd),
                                PercentEncoding.formDecode(query, valueStart, end)));
            }
            start = end + 1;
        }
        if (pairs.isEmpty()) {
            return;
        }
        pairs.sort(null);
        out.append('?');
        for (int i = 0; i < pairs.size(); i++) {
            if (i > 0) {
                out.append('&');
            }
            PercentEncoding.formEncode(out, pairs.get(i).key);
            out.append('=');
            PercentEncoding.formEncode(out, pairs.get(i).value);
        }
    }
}
