package org.arachne.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The labels of the WHATWG Encoding Standard (section 4.2, "Names and labels", as listed in its
 * {@code encodings.json}) and the decoder each encoding is read with: the JDK's, or where it
 * differs from WHATWG's, {@link Gb18030Charset} and {@link SingleByteCharset}.
 *
 * <p>Where Arachne departs from the standard, for a crawler that wants the text:
 *
 * <ul>
 *   <li>{@code x-user-defined} decodes as windows-1252 (the standard does so for {@code <meta>}
 *       declarations; its own decoder maps bytes to private-use code points);
 *   <li>of the labels of WHATWG's "replacement" encoding (which browsers decode to one U+FFFD),
 *       {@code iso-2022-kr}, {@code csiso2022kr} and {@code iso-2022-cn} decode with the JDK's
 *       decoders, and the others ({@code hz-gb-2312}, {@code iso-2022-cn-ext}, {@code replacement})
 *       name no encoding;
 *   <li>ISO-8859-10 and ISO-8859-14, which the JDK cannot decode, name no encoding;
 *   <li>a few aliases outside the standard are known: {@code latin-1}; Windows' {@code cp932},
 *       {@code cp936}, {@code cp949}; {@code utf-32}, {@code utf-32le}, {@code utf-32be}.
 * </ul>
 *
 * Any other label names no encoding, even one the JDK knows (such as {@code ibm037}), as in a
 * browser.
 */
final class EncodingLabels {
    /** Filled once when the class loads, only read after. */
    private static final Map<String, Charset> BY_LABEL = new HashMap<>();

    static {
        Charset windows1252 = windowsCodePage("windows-1252");
        add(
                StandardCharsets.UTF_8,
                "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8");
        add("IBM866", "866 cp866 csibm866 ibm866");
        add(
                "ISO-8859-2",
                "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987"
                        + " l2 latin2");
        add(
                "ISO-8859-3",
                "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988"
                        + " l3 latin3");
        add(
                "ISO-8859-4",
                "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988"
                        + " l4 latin4");
        add(
                "ISO-8859-5",
                "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5"
                        + " iso_8859-5:1988");
        add(
                "ISO-8859-6",
                "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6"
                        + " iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6"
                        + " iso_8859-6:1987");
        add(
                "ISO-8859-7",
                "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7"
                        + " iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek");
        add(
                "ISO-8859-8",
                "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8"
                        + " iso88598 iso_8859-8 iso_8859-8:1988 visual");
        // ISO-8859-8-I decodes as ISO-8859-8; only the direction of the text differs
        add("ISO-8859-8", "csiso88598i iso-8859-8-i logical");
        add("ISO-8859-13", "iso-8859-13 iso8859-13 iso885913");
        add("ISO-8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9");
        add("ISO-8859-16", "iso-8859-16");
        add("KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r");
        add(singleByte("KOI8-U", false, 0xAE, 0x045E, 0xBE, 0x040E), "koi8-ru koi8-u");
        add("x-MacRoman", "csmacintosh mac macintosh x-mac-roman");
        add(
                windowsCodePage("x-windows-874"),
                "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874");
        add(windowsCodePage("windows-1250"), "cp1250 windows-1250 x-cp1250");
        add(windowsCodePage("windows-1251"), "cp1251 windows-1251 x-cp1251");
        add(
                windows1252,
                "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100"
                        + " iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii"
                        + " windows-1252 x-cp1252");
        add(windowsCodePage("windows-1253"), "cp1253 windows-1253 x-cp1253");
        add(
                windowsCodePage("windows-1254"),
                "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9"
                        + " iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254");
        add(singleByte("windows-1255", true, 0xCA, 0x05BA), "cp1255 windows-1255 x-cp1255");
        add("windows-1256", "cp1256 windows-1256 x-cp1256");
        add(windowsCodePage("windows-1257"), "cp1257 windows-1257 x-cp1257");
        add(windowsCodePage("windows-1258"), "cp1258 windows-1258 x-cp1258");
        add(singleByte("x-MacUkraine", false, 0xFF, 0x20AC), "x-mac-cyrillic x-mac-ukrainian");
        add(
                Gb18030Charset.INSTANCE,
                "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk");
        add(Gb18030Charset.INSTANCE, "gb18030");
        add("Big5-HKSCS", "big5 big5-hkscs cn-big5 csbig5 x-x-big5");
        add("EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp");
        add("ISO-2022-JP", "csiso2022jp iso-2022-jp");
        add("windows-31j", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis");
        add(
                "x-windows-949",
                "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989"
                        + " ksc5601 ksc_5601 windows-949");
        add("ISO-2022-KR", "csiso2022kr iso-2022-kr");
        add("ISO-2022-CN", "iso-2022-cn");
        add(StandardCharsets.UTF_16BE, "unicodefffe utf-16be");
        add(
                StandardCharsets.UTF_16LE,
                "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le");
        add(windows1252, "x-user-defined");
        // not WHATWG labels, but common in pages and in Python code
        add(windows1252, "latin-1");
        add(Gb18030Charset.INSTANCE, "cp936");
        add("windows-31j", "cp932");
        add("x-windows-949", "cp949");
        add("UTF-32LE", "utf-32 utf-32le");
        add("UTF-32BE", "utf-32be");
    }

    private EncodingLabels() {}

    /**
     * The charset a label names, as WHATWG's "get an encoding" finds it (ASCII whitespace around it
     * removed, ASCII case ignored); null when it names none this JVM can decode.
     */
    static @Nullable Charset forLabel(String label) {
        int start = 0;
        int end = label.length();
        while (start < end && isAsciiWhitespace(label.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiWhitespace(label.charAt(end - 1))) {
            end--;
        }
        return BY_LABEL.get(asciiLowerCase(label, start, end));
    }

    private static String asciiLowerCase(String label, int start, int end) {
        char[] chars = new char[end - start];
        for (int i = start; i < end; i++) {
            char c = label.charAt(i);
            chars[i - start] = c >= 'A' && c <= 'Z' ? (char) (c + 0x20) : c;
        }
        return new String(chars);
    }

    /** TAB, LF, FF, CR, SPACE: the whitespace of the Infra standard. */
    static boolean isAsciiWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static void add(String jdkName, String labels) {
        if (Charset.isSupported(jdkName)) {
            add(Charset.forName(jdkName), labels);
        }
    }

    private static void add(@Nullable Charset charset, String labels) {
        if (charset != null) {
            for (String label : labels.split(" ")) {
                BY_LABEL.put(label, charset);
            }
        }
    }

    private static @Nullable Charset windowsCodePage(String jdkName) {
        return singleByte(jdkName, true);
    }

    private static @Nullable Charset singleByte(
            String jdkName, boolean controlsForUndefined, int... overrides) {
        return Charset.isSupported(jdkName)
                ? new SingleByteCharset(Charset.forName(jdkName), controlsForUndefined, overrides)
                : null;
    }
}
