package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Labels and decoders as the WHATWG Encoding Standard defines them (its {@code encodings.json} and
 * index files), with the JVM decoder each encoding is read with.
 */
class EncodingLabelsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            utf-8               | UTF-8
            utf8                | UTF-8
            unicode-1-1-utf-8   | UTF-8
            unicode20utf8       | UTF-8
            x-unicode20utf8     | UTF-8
            `  UTF-8%0A`        | UTF-8
            `%09utf-8%0C`       | UTF-8
            latin1              | windows-1252
            iso-8859-1          | windows-1252
            ISO_8859-1:1987     | windows-1252
            l1                  | windows-1252
            cp819               | windows-1252
            ibm819              | windows-1252
            ascii               | windows-1252
            us-ascii            | windows-1252
            ansi_x3.4-1968      | windows-1252
            x-cp1252            | windows-1252
            latin-1             | windows-1252
            gbk                 | GB18030
            x-gbk               | GB18030
            gb2312              | GB18030
            GB_2312-80          | GB18030
            chinese             | GB18030
            csgb2312            | GB18030
            iso-ir-58           | GB18030
            cp936               | GB18030
            gb18030             | GB18030
            shift_jis           | windows-31j
            sjis                | windows-31j
            x-sjis              | windows-31j
            ms_kanji            | windows-31j
            ms932               | windows-31j
            windows-31j         | windows-31j
            csshiftjis          | windows-31j
            euc-jp              | EUC-JP
            x-euc-jp            | EUC-JP
            iso-2022-jp         | ISO-2022-JP
            euc-kr              | x-windows-949
            ks_c_5601-1987      | x-windows-949
            korean              | x-windows-949
            windows-949         | x-windows-949
            big5                | Big5-HKSCS
            big5-hkscs          | Big5-HKSCS
            x-x-big5            | Big5-HKSCS
            utf-16              | UTF-16LE
            utf-16le            | UTF-16LE
            unicode             | UTF-16LE
            ucs-2               | UTF-16LE
            utf-16be            | UTF-16BE
            unicodefffe         | UTF-16BE
            utf-32              | UTF-32LE
            utf-32be            | UTF-32BE
            iso8859-2           | ISO-8859-2
            latin2              | ISO-8859-2
            iso-8859-8-i        | ISO-8859-8
            logical             | ISO-8859-8
            visual              | ISO-8859-8
            iso-8859-9          | windows-1254
            latin5              | windows-1254
            tis-620             | x-windows-874
            iso-8859-11         | x-windows-874
            dos-874             | x-windows-874
            koi                 | KOI8-R
            koi8-ru             | KOI8-U
            mac                 | x-MacRoman
            x-mac-cyrillic      | x-MacUkraine
            x-mac-ukrainian     | x-MacUkraine
            866                 | IBM866
            cp1251              | windows-1251
            x-user-defined      | windows-1252
            iso-2022-kr         | ISO-2022-KR
            iso-2022-cn         | ISO-2022-CN
            """)
    void forLabel_asWhatwgLists(String label, String expected) {
        Charset charset =
                CharsetDetector.forLabel(
                        new String(TestBytes.of(label), StandardCharsets.ISO_8859_1));

        assertThat(charset).isNotNull();
        assertThat(charset.name()).isEqualTo(expected);
    }

    /**
     * Labels WHATWG does not list (even where the JVM knows them), encodings the JVM cannot decode,
     * and WHATWG's "replacement" encoding, which only stands for encodings that browsers refuse to
     * decode.
     */
    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            quoteCharacter = '`',
            value = {
                "bogus",
                "``",
                "`   `",
                "'utf-8'",
                "utf-8;",
                "utf 8",
                "utf-7",
                "ibm037",
                "cp037",
                "x-euc-tw",
                "euc-tw",
                "cesu-8",
                "replacement",
                "hz-gb-2312",
                "iso-2022-cn-ext",
                "iso-8859-10",
                "iso-8859-14"
            })
    void forLabel_notAnEncodingToDecodeWith(String label) {
        assertThat(CharsetDetector.forLabel(label)).isNull();
    }

    /** Where WHATWG's decoders differ from the JDK's, the WHATWG result is the one given. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            gbk            | %80                 | 20AC
            gb18030        | a%80b               | 0061 20AC 0062
            gbk            | %A2%E3              | 20AC
            gbk            | %81%80              | 4E90
            gb18030        | %81%30%81%30        | 0080
            gbk            | %D6%D0%CE%C4        | 4E2D 6587
            gbk            | %FF                 | FFFD
            windows-1252   | %80%81%8D%8F%90%9D  | 20AC 0081 008D 008F 0090 009D
            iso-8859-1     | caf%E9%9F           | 0063 0061 0066 00E9 0178
            windows-1250   | %81%83%88%90%98     | 0081 0083 0088 0090 0098
            windows-1251   | %98%C0              | 0098 0410
            windows-1253   | %81%AA              | 0081 FFFD
            windows-1255   | %CA%D8%D9           | 05BA 05F4 FFFD
            windows-874    | %81%A1              | 0081 0E01
            koi8-u         | %AE%BE%C1           | 045E 040E 0430
            x-mac-cyrillic | %A2%B6%FF           | 0490 0491 20AC
            shift_jis      | %82%A0%83%41        | 3042 30A2
            euc-kr         | %B0%A1              | AC00
            """)
    void decode_asWhatwgDecoders(String label, String bytes, String expected) {
        Charset charset = CharsetDetector.forLabel(label);

        String text = CharsetDetector.decode(TestBytes.of(bytes), charset);

        assertThat(codePoints(text)).isEqualTo(expected);
    }

    /** The same decoders when a caller decodes with the returned charset itself. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"gbk, %80, 20AC", "windows-1252, %81, 0081", "koi8-u, %AE, 045E"})
    void charset_decodesAsWhatwg_inNewString(String label, String bytes, String expected) {
        Charset charset = CharsetDetector.forLabel(label);

        assertThat(codePoints(new String(TestBytes.of(bytes), charset))).isEqualTo(expected);
    }

    private static String codePoints(String text) {
        return String.join(
                " ",
                text.codePoints()
                        .mapToObj(c -> String.format(Locale.ROOT, "%04X", c))
                        .toArray(String[]::new));
    }
}
