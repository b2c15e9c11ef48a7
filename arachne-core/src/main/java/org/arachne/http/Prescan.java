package org.arachne.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The encoding a body declares in itself, found as the HTML standard says, step by step: "prescan a
 * byte stream to determine its encoding" (section 13.2.3.2,
 * https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding)
 * with its "get an attribute" and "get an XML encoding", and "the algorithm for extracting a
 * character encoding from a meta element" (section 2.5.3). Labels are read by {@link
 * EncodingLabels}.
 *
 * <p>The end condition, which the standard leaves to the user agent ("User agents are encouraged to
 * only prescan the first 1024 bytes"): the first {@value #STANDARD_WINDOW} bytes, and past them the
 * rest of the head: up to a {@code <body>} start tag, {@value #WINDOW} bytes at most. w3lib reads
 * 4096 bytes and stops at {@code <body>}; html5lib's tests expect a declaration after an 8 KB
 * comment or a long script to count, as a browser's parser honours one late in the head.
 *
 * <p>Not thread-safe: one instance scans one body.
 */
final class Prescan {
    /** The bytes the standard suggests. */
    static final int STANDARD_WINDOW = 1024;

    /** The most bytes looked at. */
    static final int WINDOW = 16 * 1024;

    private static final byte[] UTF_16LE_XML = {0x3C, 0, 0x3F, 0, 0x78, 0};
    private static final byte[] UTF_16BE_XML = {0, 0x3C, 0, 0x3F, 0, 0x78};
    private static final byte[] XML_DECLARATION = ascii("<?xml");
    private static final byte[] ENCODING = ascii("encoding");
    private static final byte[] COMMENT = ascii("<!--");

    /** What "get an attribute" found. */
    private enum Found {
        ATTRIBUTE,
        NONE,
        /** The bytes ran out: the whole prescan ends. */
        END
    }

    private final byte[] bytes;

    /** Where the scan ends: the window, cut to 1024 bytes by an early {@code <body>}. */
    private int end;

    /** Whether "get an attribute" keeps names and values: only a {@code <meta>}'s are read. */
    private boolean keep;

    private final StringBuilder name = new StringBuilder();
    private final StringBuilder value = new StringBuilder();
    private int position;

    private Prescan(byte[] bytes) {
        this.bytes = bytes;
        this.end = Math.min(bytes.length, WINDOW);
    }

    /** The encoding an HTML body declares, or null. */
    static @Nullable Charset html(byte[] body) {
        Prescan prescan = new Prescan(body);
        if (prescan.startsWith(0, UTF_16LE_XML)) {
            return StandardCharsets.UTF_16LE;
        }
        if (prescan.startsWith(0, UTF_16BE_XML)) {
            return StandardCharsets.UTF_16BE;
        }
        Charset declared = prescan.scan();
        return declared != null ? declared : prescan.xmlEncoding();
    }

    /**
     * The encoding an XML body declares, or null: a UTF-16 {@code <?x} without BOM (XML 1.0
     * appendix F), else the {@code encoding} of the XML declaration that opens it.
     */
    static @Nullable Charset xml(byte[] body) {
        Prescan prescan = new Prescan(body);
        if (prescan.startsWith(0, UTF_16LE_XML)) {
            return StandardCharsets.UTF_16LE;
        }
        if (prescan.startsWith(0, UTF_16BE_XML)) {
            return StandardCharsets.UTF_16BE;
        }
        return prescan.xmlEncoding();
    }

    /** The prescan's loop: the first {@code <meta>} that declares an encoding, else null. */
    private @Nullable Charset scan() {
        while (position < end) {
            if (bytes[position] != '<') {
                position++;
            } else if (startsWith(position, COMMENT)) {
                // the first '>' preceded by "--", which may be the dashes of "<!--"
                int close = position + 4;
                while (close < end
                        && !(bytes[close] == '>'
                                && bytes[close - 1] == '-'
                                && bytes[close - 2] == '-')) {
                    close++;
                }
                position = close + 1;
            } else if (isMetaStart()) {
                position += 5;
                keep = true;
                Charset declared = meta();
                keep = false;
                if (declared != null || position >= end) {
                    return declared;
                }
                position++;
            } else if (isTagStart()) {
                if (isBodyStart()) {
                    if (position >= STANDARD_WINDOW) {
                        return null;
                    }
                    end = Math.min(end, STANDARD_WINDOW);
                }
                while (position < end && !isSpace(bytes[position]) && bytes[position] != '>') {
                    position++;
                }
                while (attribute() == Found.ATTRIBUTE) {
                    // another tag's attributes are read only to be skipped as the standard does
                }
                position++;
            } else if (position + 1 < end
                    && (bytes[position + 1] == '!'
                            || bytes[position + 1] == '/'
                            || bytes[position + 1] == '?')) {
                int close = position + 1;
                while (close < end && bytes[close] != '>') {
                    close++;
                }
                position = close + 1;
            } else {
                position++;
            }
        }
        return null;
    }

    /**
     * The attributes of a {@code <meta>} from the space or slash after its name: the encoding it
     * declares, or null with the position on the byte where its attributes ended (at or past {@code
     * end} when the bytes ran out).
     */
    private @Nullable Charset meta() {
        List<String> attributes = new ArrayList<>();
        boolean gotPragma = false;
        // the standard's "need pragma" is null until charsetSet
        boolean needPragma = false;
        boolean charsetSet = false;
        Charset charset = null;
        while (true) {
            Found found = attribute();
            if (found == Found.END) {
                position = end;
                return null;
            }
            if (found == Found.NONE) {
                break;
            }
            String attributeName = name.toString();
            if (attributes.contains(attributeName)) {
                continue;
            }
            attributes.add(attributeName);
            switch (attributeName) {
                case "http-equiv" -> gotPragma |= value.toString().equals("content-type");
                case "content" -> {
                    Charset fromContent = fromMetaContent(value.toString());
                    if (fromContent != null && !charsetSet) {
                        charset = fromContent;
                        charsetSet = true;
                        needPragma = true;
                    }
                }
                case "charset" -> {
                    charset = EncodingLabels.forLabel(value.toString());
                    charsetSet = true;
                    needPragma = false;
                }
                default -> {}
            }
        }
        if (!charsetSet || needPragma && !gotPragma || charset == null) {
            return null;
        }
        // x-user-defined needs no step: EncodingLabels reads it as windows-1252 already
        return asciiCompatible(charset);
    }

    /**
     * "Get an attribute": reads one attribute into {@link #name} and {@link #value} (ASCII lower
     * case), leaving the position after it.
     */
    private Found attribute() {
        while (position < end && (isSpace(bytes[position]) || bytes[position] == '/')) {
            position++;
        }
        if (position >= end) {
            return Found.END;
        }
        if (bytes[position] == '>') {
            return Found.NONE;
        }
        name.setLength(0);
        value.setLength(0);
        int nameStart = position;
        while (true) {
            if (position >= end) {
                return Found.END;
            }
            byte b = bytes[position];
            if (b == '=' && position > nameStart) {
                position++;
                return attributeValue();
            }
            if (isSpace(b)) {
                break;
            }
            if (b == '/' || b == '>') {
                return Found.ATTRIBUTE;
            }
            if (keep) {
                name.append(lowerCase(b));
            }
            position++;
        }
        while (position < end && isSpace(bytes[position])) {
            position++;
        }
        if (position >= end) {
            return Found.END;
        }
        if (bytes[position] != '=') {
            return Found.ATTRIBUTE;
        }
        position++;
        return attributeValue();
    }

    private Found attributeValue() {
        while (position < end && isSpace(bytes[position])) {
            position++;
        }
        if (position >= end) {
            return Found.END;
        }
        byte first = bytes[position];
        if (first == '"' || first == '\'') {
            for (position++; position < end; position++) {
                if (bytes[position] == first) {
                    position++;
                    return Found.ATTRIBUTE;
                }
                if (keep) {
                    value.append(lowerCase(bytes[position]));
                }
            }
            return Found.END;
        }
        if (first == '>') {
            return Found.ATTRIBUTE;
        }
        for (; position < end; position++) {
            byte b = bytes[position];
            if (isSpace(b) || b == '>') {
                return Found.ATTRIBUTE;
            }
            if (keep) {
                value.append(lowerCase(b));
            }
        }
        return Found.END;
    }

    /**
     * "The algorithm for extracting a character encoding from a meta element" on a {@code content}
     * value (lower case already): the label after the first {@code charset=}.
     */
    private static @Nullable Charset fromMetaContent(String content) {
        int from = 0;
        while (true) {
            int found = content.indexOf("charset", from);
            if (found < 0) {
                return null;
            }
            int p = skipWhitespace(content, found + 7);
            if (p < content.length() && content.charAt(p) == '=') {
                p = skipWhitespace(content, p + 1);
                if (p == content.length()) {
                    return null;
                }
                char c = content.charAt(p);
                if (c == '"' || c == '\'') {
                    int close = content.indexOf(c, p + 1);
                    return close < 0
                            ? null
                            : EncodingLabels.forLabel(content.substring(p + 1, close));
                }
                int stop = p;
                while (stop < content.length()
                        && !EncodingLabels.isAsciiWhitespace(content.charAt(stop))
                        && content.charAt(stop) != ';') {
                    stop++;
                }
                return EncodingLabels.forLabel(content.substring(p, stop));
            }
            from = p;
        }
    }

    /** "Get an XML encoding": the {@code encoding} of an XML declaration at the first byte. */
    private @Nullable Charset xmlEncoding() {
        if (!startsWith(0, XML_DECLARATION)) {
            return null;
        }
        int declarationEnd = indexOf('>', XML_DECLARATION.length);
        int p = declarationEnd < 0 ? -1 : indexOf(ENCODING, XML_DECLARATION.length, declarationEnd);
        if (p < 0) {
            return null;
        }
        p = skipControlsAndSpaces(p + ENCODING.length, declarationEnd);
        if (p == declarationEnd || bytes[p] != '=') {
            return null;
        }
        p = skipControlsAndSpaces(p + 1, declarationEnd);
        if (p == declarationEnd || bytes[p] != '"' && bytes[p] != '\'') {
            return null;
        }
        int close = p + 1;
        while (close < declarationEnd && bytes[close] != bytes[p]) {
            if ((bytes[close] & 0xFF) <= 0x20) {
                return null;
            }
            close++;
        }
        if (close == declarationEnd) {
            return null;
        }
        Charset declared =
                EncodingLabels.forLabel(
                        new String(bytes, p + 1, close - p - 1, StandardCharsets.ISO_8859_1));
        return declared == null ? null : asciiCompatible(declared);
    }

    /**
     * A declaration read as ASCII cannot be in UTF-16 (nor UTF-32), whatever it says: then it is
     * UTF-8, as the standard says for UTF-16.
     */
    private static Charset asciiCompatible(Charset declared) {
        String name = declared.name();
        return name.startsWith("UTF-16") || name.startsWith("UTF-32")
                ? StandardCharsets.UTF_8
                : declared;
    }

    /** {@code <meta} and then a space or a slash, in any case. */
    private boolean isMetaStart() {
        return position + 5 < end
                && lowerCase(bytes[position + 1]) == 'm'
                && lowerCase(bytes[position + 2]) == 'e'
                && lowerCase(bytes[position + 3]) == 't'
                && lowerCase(bytes[position + 4]) == 'a'
                && (isSpace(bytes[position + 5]) || bytes[position + 5] == '/');
    }

    /** {@code <} then a letter, or {@code </} then a letter. */
    private boolean isTagStart() {
        int letter = position + 1 < end && bytes[position + 1] == '/' ? position + 2 : position + 1;
        return letter < end && isLetter(bytes[letter]);
    }

    private boolean isBodyStart() {
        return position + 5 < end
                && lowerCase(bytes[position + 1]) == 'b'
                && lowerCase(bytes[position + 2]) == 'o'
                && lowerCase(bytes[position + 3]) == 'd'
                && lowerCase(bytes[position + 4]) == 'y'
                && (isSpace(bytes[position + 5])
                        || bytes[position + 5] == '/'
                        || bytes[position + 5] == '>');
    }

    private boolean startsWith(int at, byte[] prefix) {
        if (at + prefix.length > end) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(char b, int from) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(byte[] sequence, int from, int to) {
        for (int i = from; i + sequence.length <= to; i++) {
            if (startsWith(i, sequence)) {
                return i;
            }
        }
        return -1;
    }

    private int skipControlsAndSpaces(int from, int to) {
        int p = from;
        while (p < to && (bytes[p] & 0xFF) <= 0x20) {
            p++;
        }
        return p;
    }

    private static int skipWhitespace(String s, int from) {
        int p = from;
        while (p < s.length() && EncodingLabels.isAsciiWhitespace(s.charAt(p))) {
            p++;
        }
        return p;
    }

    /** TAB, LF, FF, CR, SPACE. */
    private static boolean isSpace(byte b) {
        return EncodingLabels.isAsciiWhitespace(b);
    }

    private static boolean isLetter(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z';
    }

    /** ASCII upper case to lower case; every other byte as the char of the same value. */
    private static char lowerCase(byte b) {
        return b >= 'A' && b <= 'Z' ? (char) (b + 0x20) : (char) (b & 0xFF);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
