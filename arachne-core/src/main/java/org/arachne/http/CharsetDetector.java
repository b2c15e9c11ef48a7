package org.arachne.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Finds the charset of a response body the way browsers do: a byte order mark, then the {@code
 * Content-Type} header, then a {@code <meta>} declaration near the top of the page, then a guess
 * from the bytes (juniversalchardet), then UTF-8.
 *
 * <p>A BOM is taken before the header, as the WHATWG encoding standard does: it cannot be there by
 * accident, while wrong headers are common. Labels map as in WHATWG where Java differs: {@code gbk}
 * and {@code gb2312} decode as GB18030 (a superset), {@code iso-8859-1} and {@code us-ascii} as
 * windows-1252, {@code shift_jis} as windows-31j. An unknown or unsupported label is ignored and
 * the next source decides.
 */
public final class CharsetDetector {
    private static final int META_SCAN_BYTES = 4096;
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]*");
    private static final Pattern HEADER_CHARSET =
            Pattern.compile("(?i)charset\\s*=\\s*[\"']?\\s*([^\\s\"';,]+)");
    private static final Pattern META_CHARSET =
            Pattern.compile("(?i)<meta\\b[^>]*?charset\\s*=\\s*[\"']?\\s*([^\\s\"'/>;,]+)");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Charset GB18030 = Charset.forName("GB18030");

    /** WHATWG label mappings that differ from what {@link Charset#forName} would give. */
    private static final Map<String, String> WHATWG =
            Map.ofEntries(
                    Map.entry("gbk", "GB18030"),
                    Map.entry("x-gbk", "GB18030"),
                    Map.entry("gb2312", "GB18030"),
                    Map.entry("gb_2312", "GB18030"),
                    Map.entry("gb_2312-80", "GB18030"),
                    Map.entry("csgb2312", "GB18030"),
                    Map.entry("chinese", "GB18030"),
                    Map.entry("iso-ir-58", "GB18030"),
                    Map.entry("cp936", "GB18030"),
                    Map.entry("iso-8859-1", "windows-1252"),
                    Map.entry("iso8859-1", "windows-1252"),
                    Map.entry("iso_8859-1", "windows-1252"),
                    Map.entry("latin1", "windows-1252"),
                    Map.entry("l1", "windows-1252"),
                    Map.entry("us-ascii", "windows-1252"),
                    Map.entry("ascii", "windows-1252"),
                    Map.entry("ansi_x3.4-1968", "windows-1252"),
                    Map.entry("cp819", "windows-1252"),
                    Map.entry("shift_jis", "windows-31j"),
                    Map.entry("shift-jis", "windows-31j"),
                    Map.entry("x-sjis", "windows-31j"),
                    Map.entry("sjis", "windows-31j"),
                    Map.entry("ms_kanji", "windows-31j"),
                    Map.entry("csshiftjis", "windows-31j"),
                    Map.entry("euc-kr", "x-windows-949"),
                    Map.entry("ks_c_5601-1987", "x-windows-949"),
                    Map.entry("big5", "Big5-HKSCS"),
                    Map.entry("iso-8859-9", "windows-1254"),
                    Map.entry("tis-620", "x-windows-874"),
                    Map.entry("utf8", "UTF-8"));

    private CharsetDetector() {}

    /**
     * The charset to decode this body with. Never fails: UTF-8 when no source decides.
     *
     * @param contentType the {@code Content-Type} header value, or null
     */
    public static Charset detect(@Nullable String contentType, byte[] body) {
        Charset charset = fromBom(body);
        if (charset == null && contentType != null) {
            Matcher matcher = HEADER_CHARSET.matcher(contentType);
            charset = matcher.find() ? forLabel(matcher.group(1)) : null;
        }
        if (charset == null) {
            charset = fromMeta(body);
        }
        if (charset == null) {
            charset = sniff(body);
        }
        return charset == null ? StandardCharsets.UTF_8 : charset;
    }

    /** The body as text in this charset, without a leading byte order mark. */
    public static String decode(byte[] body, Charset charset) {
        Charset bom = fromBom(body);
        int skip = 0;
        if (bom != null && sameFamily(bom, charset)) {
            skip = bom.equals(StandardCharsets.UTF_8) ? 3 : 2;
        }
        return new String(body, skip, body.length - skip, charset);
    }

    /**
     * The charset a label names, mapped as WHATWG does; null when the label is unknown or the JVM
     * does not support it.
     */
    public static @Nullable Charset forLabel(String label) {
        String name = label.strip().toLowerCase(Locale.ROOT);
        name = WHATWG.getOrDefault(name, name);
        if (!LEGAL_NAME.matcher(name).matches() || !Charset.isSupported(name)) {
            return null;
        }
        Charset charset = Charset.forName(name);
        // Java aliases that WHATWG also treats as supersets
        if (charset.name().equals("GBK") || charset.name().equals("GB2312")) {
            return GB18030;
        }
        if (charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII)) {
            return WINDOWS_1252;
        }
        return charset;
    }

    private static @Nullable Charset fromBom(byte[] body) {
        if (body.length >= 3
                && (body[0] & 0xFF) == 0xEF
                && (body[1] & 0xFF) == 0xBB
                && (body[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (body.length >= 2 && (body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (body.length >= 2 && (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static boolean sameFamily(Charset bom, Charset charset) {
        if (bom.equals(StandardCharsets.UTF_8)) {
            return charset.equals(StandardCharsets.UTF_8);
        }
        // Java's "UTF-16" decoder drops the BOM itself
        return charset.equals(bom);
    }

    private static @Nullable Charset fromMeta(byte[] body) {
        // ISO-8859-1 maps each byte to one char, so ASCII markup reads right in any ASCII-based
        // page
        String head =
                new String(
                        body,
                        0,
                        Math.min(body.length, META_SCAN_BYTES),
                        StandardCharsets.ISO_8859_1);
        Matcher matcher = META_CHARSET.matcher(head);
        while (matcher.find()) {
            Charset charset = forLabel(matcher.group(1));
            if (charset != null) {
                // a page readable as ASCII cannot be UTF-16, whatever it says (WHATWG)
                return charset.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : charset;
            }
        }
        return null;
    }

    private static @Nullable Charset sniff(byte[] body) {
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(body, 0, Math.min(body.length, SNIFF_BYTES));
        detector.dataEnd();
        String name = detector.getDetectedCharset();
        return name == null ? null : forLabel(name);
    }
}
