package org.arachne.url;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Percent-encoding of URL components, as the WHATWG URL standard does it ("percent-encode after
 * encoding"), with the component sets narrowed to what {@code java.net.URI} accepts, since the HTTP
 * client parses every request URL with it: {@code | ^ { } `} and {@code \} are encoded everywhere,
 * {@code [ ]} outside the query and fragment.
 *
 * <p>A valid escape ({@code %} and two hex digits) is kept; a {@code %} that starts none becomes
 * {@code %25}. Characters outside ASCII are encoded in UTF-8, or in the given charset for the query
 * of a link on a page in a legacy encoding; a character that charset cannot hold becomes the
 * numeric character reference a browser sends ({@code &#233;}, encoded).
 */
final class PercentEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Kept as they are in user info (besides letters, digits and escapes). */
    static final AsciiSet USERINFO = AsciiSet.UNRESERVED.union(AsciiSet.SUB_DELIMS).with(":");

    /** Kept in a path: RFC 3986 {@code pchar} and {@code /}. */
    static final AsciiSet PATH = AsciiSet.UNRESERVED.union(AsciiSet.SUB_DELIMS).with(":@/");

    /** Kept in a query or a fragment. */
    static final AsciiSet QUERY = PATH.with("?[]");

    /**
     * Kept in a {@code data:} URL's content, its opaque path: every printable ASCII character
     * (WHATWG's C0 control percent-encode set encodes controls, DEL and non-ASCII only).
     */
    static final AsciiSet OPAQUE_PATH = AsciiSet.range(' ', '~');

    /** Kept in the query of a {@code data:} URL (WHATWG's query percent-encode set). */
    static final AsciiSet OPAQUE_QUERY = OPAQUE_PATH.without(" \"#<>");

    /** Kept in the fragment of a {@code data:} URL (WHATWG's fragment percent-encode set). */
    static final AsciiSet OPAQUE_FRAGMENT = OPAQUE_PATH.without(" \"<>`");

    /** Kept by a form encoding, as Python's {@code quote_plus}. */
    private static final AsciiSet FORM_KEPT = AsciiSet.ALPHANUMERIC.with("_.-~");

    private PercentEncoding() {}

    /** Whether the char at {@code i} starts a valid escape ({@code %} and two hex digits). */
    static boolean isEscape(CharSequence s, int i) {
        return s.charAt(i) == '%'
                && i + 2 < s.length()
                && hexValue(s.charAt(i + 1)) >= 0
                && hexValue(s.charAt(i + 2)) >= 0;
    }

    /** The value of an ASCII hex digit, or -1. */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
            return (c | 0x20) - 'a' + 10;
        }
        return -1;
    }

    static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    /**
     * Appends {@code text} with every character outside {@code keep} percent-encoded; valid escapes
     * are kept as they are, non-ASCII characters encoded in {@code charset}.
     */
    static void encode(StringBuilder out, String text, AsciiSet keep, Charset charset) {
        normalize(out, text, keep, null, charset);
    }

    /**
     * As {@link #encode}, and escapes are normalised: decoded when they stand for a character of
     * {@code decode}, upper-cased otherwise (RFC 3986 section 6.2.2). With a null {@code decode},
     * escapes are kept as they are.
     */
    static void normalize(
            StringBuilder out,
            String text,
            AsciiSet keep,
            @Nullable AsciiSet decode,
            Charset charset) {
        CharsetEncoder encoder = null;
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == '%') {
                if (isEscape(text, i)) {
                    int b = hexValue(text.charAt(i + 1)) << 4 | hexValue(text.charAt(i + 2));
                    if (decode == null) {
                        out.append(text, i, i + 3);
                    } else if (decode.contains(b)) {
                        out.append((char) b);
                    } else {
                        appendEscape(out, b);
                    }
                    i += 3;
                } else {
                    out.append("%25");
                    i++;
                }
            } else if (c < 128) {
                if (keep.contains(c)) {
                    out.append(c);
                } else {
                    appendEscape(out, c);
                }
                i++;
            } else {
                int cp = text.codePointAt(i);
                int width = Character.charCount(cp);
                if (Character.isSurrogate(c) && width == 1) {
                    cp = 0xFFFD; // a lone surrogate, as the WHATWG UTF-8 encoder replaces it
                }
                if (charset.equals(StandardCharsets.UTF_8)) {
                    appendUtf8(out, cp);
                } else {
                    if (encoder == null) {
                        encoder =
                                charset.newEncoder()
                                        .onMalformedInput(CodingErrorAction.REPORT)
                                        .onUnmappableCharacter(CodingErrorAction.REPORT);
                    }
                    appendEncoded(out, cp, encoder);
                }
                i += width;
            }
        }
    }

    private static void appendUtf8(StringBuilder out, int cp) {
        if (cp < 0x800) {
            appendEscape(out, 0xC0 | cp >> 6);
        } else {
            if (cp < 0x10000) {
                appendEscape(out, 0xE0 | cp >> 12);
            } else {
                appendEscape(out, 0xF0 | cp >> 18);
                appendEscape(out, 0x80 | (cp >> 12) & 0x3F);
            }
            appendEscape(out, 0x80 | (cp >> 6) & 0x3F);
        }
        appendEscape(out, 0x80 | cp & 0x3F);
    }

    /** One code point in a legacy charset; what it cannot hold as {@code &#N;} (HTML forms). */
    private static void appendEncoded(StringBuilder out, int cp, CharsetEncoder encoder) {
        try {
            ByteBuffer bytes = encoder.reset().encode(CharBuffer.wrap(Character.toChars(cp)));
            while (bytes.hasRemaining()) {
                appendEscape(out, bytes.get() & 0xFF);
            }
        } catch (CharacterCodingException unmappable) {
            out.append("%26%23").append(cp).append("%3B");
        }
    }

    /**
     * The bytes a form-encoded query component stands for: {@code +} is a space, escapes are
     * decoded, a {@code %} that starts no escape is itself; other characters as UTF-8.
     */
    static byte[] formDecode(String text, int from, int to) {
        ByteBuffer bytes = ByteBuffer.allocate((to - from) * 4);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%' && isEscapeWithin(text, i, to)) {
                bytes.put(
                        (byte) (hexValue(text.charAt(i + 1)) << 4 | hexValue(text.charAt(i + 2))));
                i += 2;
            } else if (c < 128) {
                bytes.put((byte) c);
            } else {
                int cp = text.codePointAt(i);
                if (Character.charCount(cp) == 2) {
                    i++;
                }
                bytes.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] result = new byte[bytes.position()];
        bytes.flip().get(result);
        return result;
    }

    private static boolean isEscapeWithin(String text, int i, int to) {
        return i + 2 < to && hexValue(text.charAt(i + 1)) >= 0 && hexValue(text.charAt(i + 2)) >= 0;
    }

    /**
     * Appends bytes form-encoded as Python's {@code urlencode} (and so w3lib) writes them: letters,
     * digits and {@code _.-~} as they are, a space as {@code +}, every other byte escaped.
     */
    static void formEncode(StringBuilder out, byte[] bytes) {
        for (byte value : bytes) {
            int b = value & 0xFF;
            if (b == ' ') {
                out.append('+');
            } else if (FORM_KEPT.contains(b)) {
                out.append((char) b);
            } else {
                appendEscape(out, b);
            }
        }
    }
}
