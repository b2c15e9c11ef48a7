package org.arachne.url;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The host of a URL as a request sends it: an international name in punycode ({@code www.bücher.de}
 * is {@code www.xn--bcher-kva.de}, issue #9), percent-escapes decoded first, as the WHATWG URL
 * standard's host parser does; characters no host name may hold refused with a reason.
 *
 * <p>Names are converted with {@link IDN#toASCII} (IDNA 2003, unassigned code points allowed), the
 * JDK's own means: browsers use UTS #46 without transitional processing, which differs only for
 * {@code ß}, {@code ς} and the joiners (IDNA 2003 maps {@code straße.de} to {@code strasse.de},
 * browsers to {@code xn--strae-oqa.de}).
 */
final class HostNames {
    /** WHATWG's forbidden domain code points (besides C0 controls, space and DEL). */
    private static final AsciiSet FORBIDDEN = AsciiSet.of("#/:<>?@[\\]^|%");

    private HostNames() {}

    /**
     * The host in ASCII, case kept for ASCII labels; IPv6 literals (in brackets) checked and kept.
     *
     * @throws IllegalArgumentException with the reason (without the URL) when it is no host
     */
    static String toAscii(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (host.charAt(0) == '[') {
            if (!host.endsWith("]") || !host.contains(":") || IpLiteral.parse(host) == null) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
            return host;
        }
        String name = host.indexOf('%') >= 0 ? percentDecoded(host) : host;
        boolean ascii = checkCharacters(name);
        if (ascii) {
            return name;
        }
        String converted;
        try {
            converted = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the host '"
                            + name
                            + "' is not a valid international domain name: "
                            + e.getMessage(),
                    e);
        }
        checkCharacters(converted);
        return converted;
    }

    /**
     * A domain as {@code allowed_domains} and {@code dns_overrides} compare it: lower case, in
     * punycode; the lower-cased text when it is not a valid name (it then matches nothing).
     */
    static String asciiLowerCase(String domain) {
        String lower = domain.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            if (lower.charAt(i) >= 128) {
                try {
                    return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException notAName) {
                    return lower;
                }
            }
        }
        return lower;
    }

    /** Refuses forbidden characters; whether every character is ASCII. */
    private static boolean checkCharacters(String name) {
        boolean ascii = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 0x7F || FORBIDDEN.contains(c)) {
                String shown =
                        c <= ' ' && c != ' ' || c == 0x7F
                                ? String.format(Locale.ROOT, "\\u%04x", (int) c)
                                : String.valueOf(c);
                throw new IllegalArgumentException(
                        "the host '"
                                + name
                                + "' holds '"
                                + shown
                                + "', which a host name cannot hold");
            }
            ascii &= c < 128;
        }
        return ascii;
    }

    /** The host with its escapes decoded as UTF-8, as the WHATWG host parser does first. */
    private static String percentDecoded(String host) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(host.length());
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (PercentEncoding.isEscape(host, i)) {
                bytes.write(
                        PercentEncoding.hexValue(host.charAt(i + 1)) << 4
                                | PercentEncoding.hexValue(host.charAt(i + 2)));
                i += 2;
            } else if (c < 128) {
                bytes.write(c);
            } else {
                int cp = host.codePointAt(i);
                if (Character.charCount(cp) == 2) {
                    i++;
                }
                bytes.writeBytes(
                        new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "the host '" + host + "' is not UTF-8 once its escapes are decoded", e);
        }
    }
}
