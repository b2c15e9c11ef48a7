package org.arachne.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Finds the charset of a response body as browsers do (the HTML standard's "encoding sniffing
 * algorithm", section 13.2.3.2), in this order:
 *
 * <ol>
 *   <li>a byte order mark: UTF-8, UTF-16BE/LE, and UTF-32BE/LE (which WHATWG does not know; looked
 *       for first, as w3lib does, since UTF-32LE's BOM starts with UTF-16LE's). It wins over the
 *       header, as the WHATWG Encoding Standard's "decode" makes it;
 *   <li>the {@code charset} parameter of the {@code Content-Type} header, read as RFC 9110
 *       parameters;
 *   <li>the declaration in the body: for XML types ({@code +xml}, {@code text/xml}) the XML
 *       declaration's {@code encoding}; for JSON types none; for HTML and anything else the
 *       standard's prescan of {@code <meta>} tags (the first 1024 bytes and the rest of the head,
 *       16 KiB at most), then an XML declaration at the first byte;
 *   <li>the bytes: ASCII or valid UTF-8 is UTF-8 (w3lib's default, so a page of ASCII only reports
 *       UTF-8; Scrapy's {@code response.encoding} says cp1252 there); anything else is guessed by
 *       juniversalchardet, and windows-1252, which keeps every byte, when it cannot tell.
 * </ol>
 *
 * <p>Labels and decoders are WHATWG's ({@link #forLabel}): {@code gbk} and {@code gb2312} decode
 * with the gb18030 decoder (where the byte 0x80 is €), {@code iso-8859-1} and {@code us-ascii} as
 * windows-1252, {@code shift_jis} as windows-31j. A label that names no encoding is ignored and the
 * next source decides. The choices where the specifications leave one, and the differences from
 * Scrapy and w3lib, are in {@code docs/charsets.md}.
 */
public final class CharsetDetector {
    private static final int SNIFF_BYTES = 64 * 1024;

    /** The byte order marks, longest first where one starts another. */
    private static final byte[][] BOMS = {
        {0, 0, (byte) 0xFE, (byte) 0xFF},
        {(byte) 0xFF, (byte) 0xFE, 0, 0},
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        {(byte) 0xFE, (byte) 0xFF},
        {(byte) 0xFF, (byte) 0xFE}
    };

    private static final Charset[] BOM_CHARSETS = {
        Charset.forName("UTF-32BE"),
        Charset.forName("UTF-32LE"),
        StandardCharsets.UTF_8,
        StandardCharsets.UTF_16BE,
        StandardCharsets.UTF_16LE
    };

    /** juniversalchardet's names that are not WHATWG labels. */
    private static final Map<String, String> DETECTED =
            Map.of("MACCYRILLIC", "x-mac-cyrillic", "TIS620", "windows-874");

    private static final Charset WINDOWS_1252 =
            Objects.requireNonNull(EncodingLabels.forLabel("windows-1252"));

    private CharsetDetector() {}

    /**
     * The charset to decode this body with. Never fails.
     *
     * @param contentType the {@code Content-Type} header value, or null
     */
    public static Charset detect(@Nullable String contentType, byte[] body) {
        int bom = bom(body);
        if (bom >= 0) {
            return BOM_CHARSETS[bom];
        }
        MediaType type = MediaType.parse(contentType);
        String label = type == null ? null : type.parameter("charset");
        Charset charset = label == null ? null : forLabel(label);
        if (charset == null) {
            if (type != null && type.isXml()) {
                charset = Prescan.xml(body);
            } else if (type == null || !type.isJson()) {
                charset = Prescan.html(body);
            }
        }
        return charset != null ? charset : sniff(body);
    }

    /** The body as text in this charset, without a leading byte order mark of that charset. */
    public static String decode(byte[] body, Charset charset) {
        int bom = bom(body);
        int skip = bom >= 0 && BOM_CHARSETS[bom].equals(charset) ? BOMS[bom].length : 0;
        if (charset instanceof SingleByteCharset singleByte) {
            return singleByte.decode(body, skip, body.length - skip);
        }
        return new String(body, skip, body.length - skip, charset);
    }

    /**
     * The charset a label names, as the WHATWG Encoding Standard maps labels (so {@code latin1} and
     * {@code ascii} are windows-1252, {@code gb2312} is GB18030), decoding as WHATWG's decoders do;
     * null when the label names no encoding this JVM can decode. See {@link EncodingLabels} for the
     * few departures from the standard.
     */
    public static @Nullable Charset forLabel(String label) {
        return EncodingLabels.forLabel(label);
    }

    /** The index in {@link #BOMS} of the byte order mark the body starts with, or -1. */
    private static int bom(byte[] body) {
        for (int i = 0; i < BOMS.length; i++) {
            if (startsWith(body, BOMS[i])) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Charset sniff(byte[] body) {
        int length = Math.min(body.length, SNIFF_BYTES);
        if (isUtf8(body, length, length < body.length)) {
            return StandardCharsets.UTF_8;
        }
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(body, 0, length);
        detector.dataEnd();
        String name = detector.getDetectedCharset();
        Charset detected = name == null ? null : detected(name);
        return detected != null ? detected : WINDOWS_1252;
    }

    /**
     * The charset of a name juniversalchardet gives: as a label, else the JDK's charset of that
     * name (a guess from the bytes is not a page's label, so the JDK's names are fine here).
     */
    private static @Nullable Charset detected(String name) {
        Charset charset = forLabel(DETECTED.getOrDefault(name, name));
        if (charset == null && Charset.isSupported(name)) {
            charset = Charset.forName(name);
        }
        return charset;
    }

    /**
     * Whether the first {@code length} bytes are well-formed UTF-8 (ASCII included) without NUL
     * bytes, which text does not hold; a sequence cut by the end counts when {@code cut}.
     */
    private static boolean isUtf8(byte[] bytes, int length, boolean cut) {
        int i = 0;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return false;
                }
                i++;
                continue;
            }
            int size;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                size = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                size = 3;
                secondMin = b == 0xE0 ? 0xA0 : 0x80; // overlong
                secondMax = b == 0xED ? 0x9F : 0xBF; // surrogates
            } else if (b >= 0xF0 && b <= 0xF4) {
                size = 4;
                secondMin = b == 0xF0 ? 0x90 : 0x80; // overlong
                secondMax = b == 0xF4 ? 0x8F : 0xBF; // above U+10FFFF
            } else {
                return false;
            }
            for (int k = 1; k < size; k++) {
                if (i + k == length) {
                    return cut;
                }
                int next = bytes[i + k] & 0xFF;
                int min = k == 1 ? secondMin : 0x80;
                int max = k == 1 ? secondMax : 0xBF;
                if (next < min || next > max) {
                    return false;
                }
            }
            i += size;
        }
        return true;
    }
}
