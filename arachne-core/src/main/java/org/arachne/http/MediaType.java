package org.arachne.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@code Content-Type} value read as RFC 9110 writes it: {@code type "/" subtype} (section 8.3.1)
 * and {@code *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )} (section 5.6.6). HttpCore's
 * {@code ContentType.parse} is not used because it half-reads what this refuses: an unterminated
 * quoted string, a value with junk after it, escapes left in place.
 *
 * <p>Errors: a value whose type or subtype is not a token gives no media type. A malformed
 * parameter (no name, no {@code =}, whitespace around {@code =}, which RFC 9110 does not allow, an
 * empty or unterminated value, anything but {@code ;} after the value) is skipped up to the next
 * {@code ;} outside a quoted string, and the parameters after it are read. Of parameters with the
 * same name, the first counts, as in WHATWG's MIME type parser.
 *
 * @param type the type, lower case
 * @param subtype the subtype, lower case
 * @param parameters names in lower case, values as sent (quotes and escapes removed), in the order
 *     they came
 */
record MediaType(String type, String subtype, Map<String, String> parameters) {
    MediaType {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * The media type written back, as WHATWG's MIME type serializer writes it: {@code
     * type/subtype;name=value}, a value that is not a token quoted, with {@code "} and {@code \}
     * escaped.
     */
    String serialized() {
        StringBuilder out = new StringBuilder(type).append('/').append(subtype);
        parameters.forEach(
                (name, value) -> {
                    out.append(';').append(name).append('=');
                    if (!value.isEmpty() && value.chars().allMatch(c -> isTokenChar((char) c))) {
                        out.append(value);
                    } else {
                        out.append('"');
                        for (int i = 0; i < value.length(); i++) {
                            char c = value.charAt(i);
                            if (c == '"' || c == '\\') {
                                out.append('\\');
                            }
                            out.append(c);
                        }
                        out.append('"');
                    }
                });
        return out.toString();
    }

    /** The value of a parameter, or null; {@code name} in lower case. */
    @Nullable String parameter(String name) {
        return parameters.get(name);
    }

    /** An XML type: {@code text/xml}, {@code application/xml} or any {@code +xml} subtype. */
    boolean isXml() {
        return subtype.equals("xml") && (type.equals("text") || type.equals("application"))
                || subtype.endsWith("+xml");
    }

    /** A JSON type: {@code application/json} or any {@code +json} subtype. */
    boolean isJson() {
        return subtype.equals("json") || subtype.endsWith("+json");
    }

    /** The media type of a {@code Content-Type} value; null when absent or not a media type. */
    static @Nullable MediaType parse(@Nullable String value) {
        if (value == null) {
            return null;
        }
        int end = value.length();
        while (end > 0 && isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        int start = skipWhitespace(value, 0, end);
        int slash = tokenEnd(value, start, end);
        if (slash == start || slash == end || value.charAt(slash) != '/') {
            return null;
        }
        int subtypeEnd = tokenEnd(value, slash + 1, end);
        if (subtypeEnd == slash + 1) {
            return null;
        }
        int pos = skipWhitespace(value, subtypeEnd, end);
        if (pos < end && value.charAt(pos) != ';') {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (pos < end) {
            // here value.charAt(pos) == ';'
            pos = skipWhitespace(value, pos + 1, end);
            if (pos < end && value.charAt(pos) != ';') {
                int next = parameter(value, pos, end, parameters);
                pos = next >= 0 ? next : skipMalformed(value, pos, end);
            }
        }
        return new MediaType(
                value.substring(start, slash).toLowerCase(Locale.ROOT),
                value.substring(slash + 1, subtypeEnd).toLowerCase(Locale.ROOT),
                parameters);
    }

    /**
     * Reads one {@code name=value} from {@code pos} into {@code into}: the position of the {@code
     * ;} after it (or {@code end}), or -1 when it is malformed.
     */
    private static int parameter(String value, int pos, int end, Map<String, String> into) {
        int equals = tokenEnd(value, pos, end);
        if (equals == pos || equals == end || value.charAt(equals) != '=') {
            return -1;
        }
        String name = value.substring(pos, equals).toLowerCase(Locale.ROOT);
        int valueStart = equals + 1;
        int valueEnd;
        String parsed;
        if (valueStart < end && value.charAt(valueStart) == '"') {
            StringBuilder unquoted = new StringBuilder();
            valueEnd = quotedStringEnd(value, valueStart, end, unquoted);
            if (valueEnd < 0) {
                return -1;
            }
            parsed = unquoted.toString();
        } else {
            valueEnd = tokenEnd(value, valueStart, end);
            if (valueEnd == valueStart) {
                return -1;
            }
            parsed = value.substring(valueStart, valueEnd);
        }
        int next = skipWhitespace(value, valueEnd, end);
        if (next < end && value.charAt(next) != ';') {
            return -1;
        }
        into.putIfAbsent(name, parsed);
        return next;
    }

    /**
     * The position after the quoted string that opens at {@code pos}, with its content (escapes
     * resolved) appended to {@code content}; -1 when it does not end or holds a control char.
     */
    private static int quotedStringEnd(String value, int pos, int end, StringBuilder content) {
        for (int i = pos + 1; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == end || !isQuotable(value.charAt(i))) {
                    return -1;
                }
                c = value.charAt(i);
            } else if (!isQuotable(c)) {
                return -1;
            }
            content.append(c);
        }
        return -1;
    }

    /** The next {@code ;} at or after {@code pos} outside quoted strings, or {@code end}. */
    private static int skipMalformed(String value, int pos, int end) {
        for (int i = pos; i < end; i++) {
            char c = value.charAt(i);
            if (c == ';') {
                return i;
            }
            if (c == '"') {
                int after = quotedStringEnd(value, i, end, new StringBuilder());
                if (after < 0) {
                    return end;
                }
                i = after - 1;
            }
        }
        return end;
    }

    private static int tokenEnd(String value, int pos, int end) {
        int i = pos;
        while (i < end && isTokenChar(value.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipWhitespace(String value, int pos, int end) {
        int i = pos;
        while (i < end && isWhitespace(value.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code tchar} of RFC 9110 section 5.6.2. */
    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** What a quoted string may hold, plain or escaped: HTAB, SP, VCHAR, obs-text. */
    private static boolean isQuotable(char c) {
        return c == '\t' || c >= 0x20 && c != 0x7F;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
