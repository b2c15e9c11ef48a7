package org.arachne.url;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reference resolution as RFC 3986 section 5.2 defines it, on strings: the slow path of {@link
 * Urls#resolve} for the links its fast path leaves (dot segments, {@code ?query}, {@code #frag},
 * {@code //host}, other schemes). It replaced jsoup's {@code StringUtil.resolve} (issue #8: the
 * {@code url} package depends on nothing but the JDK and crawler-commons) and agrees with it on
 * real links; where {@code java.net.URL} under jsoup departed from the RFC (dot segments kept, user
 * info dropped, a fragment of the base kept for an empty reference) this follows the RFC.
 *
 * <p>Two choices the RFC leaves open are made as browsers make them: a reference with the base's
 * scheme and no authority ({@code http:g}) is relative (the RFC's "non-strict" parser), and the
 * scheme of the result is lower case. Nothing is percent-encoded here, and backslashes are plain
 * characters: {@link Urls} reads them as browsers do before it resolves ({@code
 * Urls.specialSlashes}).
 */
final class ReferenceResolver {
    private ReferenceResolver() {}

    /**
     * {@code reference} resolved against {@code base}; a reference with a scheme of its own is
     * returned with its dot segments removed. Null when the base has no scheme and the reference
     * none either, or when the result is an http(s) URL without a host.
     */
    static @Nullable String resolve(String base, String reference) {
        Parts ref = Parts.parse(reference);
        Parts from = Parts.parse(base);
        if (ref.scheme != null
                && ref.authority == null
                && ref.scheme.equalsIgnoreCase(from.scheme)) {
            ref = new Parts(null, null, ref.path, ref.query, ref.fragment);
        }
        String scheme;
        String authority;
        String path;
        String query;
        if (ref.scheme != null) {
            scheme = ref.scheme;
            authority = ref.authority;
            path = removeDotSegments(ref.path);
            query = ref.query;
        } else {
            if (from.scheme == null) {
                return null;
            }
            scheme = from.scheme;
            if (ref.authority != null) {
                authority = ref.authority;
                path = removeDotSegments(ref.path);
                query = ref.query;
            } else {
                authority = from.authority;
                if (ref.path.isEmpty()) {
                    path = from.path;
                    query = ref.query != null ? ref.query : from.query;
                } else {
                    path =
                            removeDotSegments(
                                    ref.path.startsWith("/") ? ref.path : merge(from, ref.path));
                    query = ref.query;
                }
            }
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && !hasHost(authority)) {
            return null;
        }
        StringBuilder result = new StringBuilder(scheme).append(':');
        if (authority != null) {
            result.append("//").append(authority);
        }
        result.append(path);
        if (query != null) {
            result.append('?').append(query);
        }
        if (ref.fragment != null) {
            result.append('#').append(ref.fragment);
        }
        return result.toString();
    }

    /** Section 5.2.3: the reference's path after the base's last slash. */
    private static String merge(Parts base, String path) {
        if (base.authority != null && base.path.isEmpty()) {
            return "/" + path;
        }
        int slash = base.path.lastIndexOf('/');
        return base.path.substring(0, slash + 1) + path;
    }

    /** Section 5.2.4: {@code .} and {@code ..} segments applied and removed. */
    static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0) {
            return path;
        }
        String input = path;
        StringBuilder output = new StringBuilder(path.length());
        while (!input.isEmpty()) {
            if (input.startsWith("../")) {
                input = input.substring(3);
            } else if (input.startsWith("./")) {
                input = input.substring(2);
            } else if (input.startsWith("/./")) {
                input = input.substring(2);
            } else if (input.equals("/.")) {
                input = "/";
            } else if (input.startsWith("/../")) {
                input = input.substring(3);
                output.setLength(Math.max(output.lastIndexOf("/"), 0));
            } else if (input.equals("/..")) {
                input = "/";
                output.setLength(Math.max(output.lastIndexOf("/"), 0));
            } else if (input.equals(".") || input.equals("..")) {
                input = "";
            } else {
                int end = input.indexOf('/', input.startsWith("/") ? 1 : 0);
                if (end < 0) {
                    end = input.length();
                }
                output.append(input, 0, end);
                input = input.substring(end);
            }
        }
        return output.toString();
    }

    private static boolean hasHost(@Nullable String authority) {
        if (authority == null) {
            return false;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        String host =
                colon >= 0 && hostPort.indexOf(']', colon) < 0
                        ? hostPort.substring(0, colon)
                        : hostPort;
        return !host.isEmpty();
    }

    /** The five components of appendix B; absent ones null (an empty path is never absent). */
    private record Parts(
            @Nullable String scheme,
            @Nullable String authority,
            String path,
            @Nullable String query,
            @Nullable String fragment) {

        static Parts parse(String uri) {
            int hash = uri.indexOf('#');
            String fragment = hash >= 0 ? uri.substring(hash + 1) : null;
            String rest = hash >= 0 ? uri.substring(0, hash) : uri;
            int question = rest.indexOf('?');
            String query = question >= 0 ? rest.substring(question + 1) : null;
            rest = question >= 0 ? rest.substring(0, question) : rest;
            String scheme = null;
            int colon = rest.indexOf(':');
            if (colon > 0 && isScheme(rest, colon) && rest.lastIndexOf('/', colon) < 0) {
                scheme = rest.substring(0, colon);
                rest = rest.substring(colon + 1);
            }
            String authority = null;
            if (rest.startsWith("//")) {
                int slash = rest.indexOf('/', 2);
                int end = slash >= 0 ? slash : rest.length();
                authority = rest.substring(2, end);
                rest = rest.substring(end);
            }
            return new Parts(scheme, authority, rest, query, fragment);
        }

        /** Section 3.1: {@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}. */
        private static boolean isScheme(String s, int end) {
            for (int i = 0; i < end; i++) {
                char c = s.charAt(i);
                boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
                boolean other = c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
                if (!letter && (i == 0 || !other)) {
                    return false;
                }
            }
            return true;
        }
    }
}
