package org.arachne.url;

import org.jspecify.annotations.Nullable;

/**
 * The quick scan behind the fast paths of {@link Urls}: in one pass, whether a URL is an absolute
 * http(s) URL that needs no encoding (a host {@code java.net.URI} reads as a host, a port up to
 * 65535, only characters each component may hold), and what its canonical form would change. The
 * links of nearly every page pass it, and are then neither parsed nor copied (issue #9 made the
 * slow paths do more; this keeps the common link as cheap as before).
 */
final class PlainUrl {
    private static final long UPPER_CASE = 1L << 48;
    private static final long QUERY = 1L << 49;
    private static final long ESCAPE = 1L << 50;
    private static final long DEFAULT_PORT = 1L << 51;
    private static final long LEADING_ZERO_PORT = 1L << 52;
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    private PlainUrl() {}

    /** Whether {@link #scan} accepts the URL. */
    static boolean isPlain(String url) {
        return scan(url) >= 0;
    }

    /**
     * The URL without its fragment when that is already its canonical form (lower-case scheme and
     * host, no default port, a path without dot segments or escapes, no query), else null.
     */
    static @Nullable String canonicalOrNull(String url) {
        long scan = scan(url);
        if (scan < 0
                || (scan & (UPPER_CASE | QUERY | ESCAPE | DEFAULT_PORT | LEADING_ZERO_PORT)) != 0) {
            return null;
        }
        int pathStart = (int) (scan & INDEX_MASK);
        int hash = (int) ((scan >>> INDEX_BITS) & INDEX_MASK);
        int end = hash == 0 ? url.length() : hash;
        if (pathStart == end || hasDotSegment(url, pathStart, end)) {
            return null; // no path ("/" is added) or dot segments to remove
        }
        return end == url.length() ? url : url.substring(0, end);
    }

    /**
     * -1 when the URL is not plain; otherwise the index where the path starts (bits 0-23), the
     * index of the {@code #} or 0 (bits 24-47), and flags for what canonicalisation would change.
     */
    private static long scan(String url) {
        int n = url.length();
        int start;
        if (url.regionMatches(true, 0, "http://", 0, 7)) {
            start = 7;
        } else if (url.regionMatches(true, 0, "https://", 0, 8)) {
            start = 8;
        } else {
            return -1;
        }
        if (n > INDEX_MASK) {
            return -1;
        }
        long flags = 0;
        for (int i = 0; i < start - 3; i++) {
            if (url.charAt(i) < 'a') {
                flags |= UPPER_CASE;
            }
        }
        int i = start;
        int labelStart = start;
        int lastLabel = start;
        boolean digitsAndDots = true;
        while (i < n) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == ':') {
                break;
            }
            if (c == '.') {
                if (i == labelStart || url.charAt(i - 1) == '-') {
                    return -1; // an empty label, or one ending in a hyphen
                }
                lastLabel = labelStart;
                labelStart = i + 1;
            } else if (c >= 'a' && c <= 'z') {
                digitsAndDots = false;
            } else if (c >= 'A' && c <= 'Z') {
                digitsAndDots = false;
                flags |= UPPER_CASE;
            } else if (c == '-') {
                if (i == labelStart) {
                    return -1;
                }
                digitsAndDots = false;
            } else if (c < '0' || c > '9') {
                return -1;
            }
            i++;
        }
        int hostEnd = i;
        if (hostEnd == start) {
            return -1;
        }
        if (labelStart < hostEnd) { // else a trailing dot, which is allowed
            if (url.charAt(hostEnd - 1) == '-') {
                return -1;
            }
            lastLabel = labelStart;
        }
        if (digitsAndDots) {
            if (!isDottedQuad(url, start, hostEnd)) {
                return -1;
            }
        } else if (lastLabel != start && !isLetter(url.charAt(lastLabel))) {
            return -1; // java.net.URI wants the last of several labels to start with a letter
        }
        if (i < n && url.charAt(i) == ':') {
            int portStart = ++i;
            int port = 0;
            while (i < n && url.charAt(i) >= '0' && url.charAt(i) <= '9' && i - portStart < 5) {
                port = port * 10 + url.charAt(i) - '0';
                i++;
            }
            if (i == portStart || port > 65535 || i < n && "/?#".indexOf(url.charAt(i)) < 0) {
                return -1; // empty (dropped by the slow path), too large, or not a number
            }
            if (url.charAt(portStart) == '0') {
                flags |= LEADING_ZERO_PORT;
            }
            if (port == 80 && start == 7 || port == 443 && start == 8) {
                flags |= DEFAULT_PORT;
            }
        }
        int pathStart = i;
        int hash = 0;
        AsciiSet allowed = PercentEncoding.PATH;
        for (; i < n; i++) {
            char c = url.charAt(i);
            if (c == '%') {
                if (!PercentEncoding.isEscape(url, i)) {
                    return -1;
                }
                if (hash == 0) {
                    flags |= ESCAPE;
                }
                i += 2;
            } else if (c == '#' && hash == 0) {
                hash = i;
                allowed = PercentEncoding.QUERY; // the fragment's characters are the query's
            } else if (c == '?' && hash == 0) {
                flags |= QUERY;
                allowed = PercentEncoding.QUERY;
            } else if (!allowed.contains(c)) {
                return -1;
            }
        }
        return flags | (long) hash << INDEX_BITS | pathStart;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** Four numbers up to 255 of one to three digits (leading zeros allowed, as URI reads them). */
    private static boolean isDottedQuad(String url, int start, int end) {
        int parts = 0;
        int i = start;
        while (i <= end) {
            int value = 0;
            int digits = 0;
            while (i < end && url.charAt(i) != '.') {
                value = value * 10 + url.charAt(i) - '0';
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || value > 255) {
                return false;
            }
            parts++;
            i++; // past the dot (or the end)
        }
        return parts == 4;
    }

    /** Whether {@code url[from, to)} has a {@code .} or {@code ..} segment. */
    private static boolean hasDotSegment(String url, int from, int to) {
        for (int i = url.indexOf("/.", from); i >= 0 && i < to - 1; i = url.indexOf("/.", i + 1)) {
            int after = i + 2;
            if (after < to && url.charAt(after) == '.') {
                after++;
            }
            if (after == to || url.charAt(after) == '/') {
                return true;
            }
        }
        return false;
    }
}
