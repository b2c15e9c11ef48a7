package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CharsetDetectorTest {
    private static final String CHINESE = "中文网页：书名《红楼梦》，价格很便宜，欢迎光临本店购买图书。";
    private static final String JAPANESE = "日本語のページです。東京の本屋さんで新しい本を買いました。";
    private static final String LATIN =
            "Café crème — naïve façade, “quoted” résumé à la française.";

    private static String page(String meta, String text) {
        return "<!DOCTYPE html><html><head>"
                + meta
                + "<title>t</title></head><body><p>"
                + (text + " ").repeat(20)
                + "</p></body></html>";
    }

    private static byte[] withBom(byte[] bom, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bom);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    /**
     * Each row: how the page is encoded, the Content-Type header (empty for none), the meta tag
     * (empty for none), the text, and the charset that must be detected.
     */
    @ParameterizedTest(name = "{0} header=[{1}] meta=[{2}]")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            GBK          | text/html; charset=gbk     |                                                                      | zh | GB18030
            GBK          | text/html; charset=GB2312  |                                                                      | zh | GB18030
            GBK          | text/html; charset=x-gbk   |                                                                      | zh | GB18030
            GBK          |                            | <meta charset="gbk">                                                 | zh | GB18030
            GBK          |                            | <meta http-equiv="Content-Type" content="text/html; charset=gb2312"> | zh | GB18030
            GBK          |                            |                                                                      | zh | GB18030
            GB18030      | text/html; charset=GB18030 |                                                                      | zh | GB18030
            GB18030      |                            | <meta charset='gb18030'>                                             | zh | GB18030
            GB18030      |                            |                                                                      | zh | GB18030
            Shift_JIS    | text/html; charset=shift_jis |                                                                    | ja | windows-31j
            Shift_JIS    |                            | <meta charset="x-sjis">                                              | ja | windows-31j
            Shift_JIS    |                            |                                                                      | ja | windows-31j
            windows-1252 | text/html; charset=iso-8859-1 |                                                                   | fr | windows-1252
            windows-1252 | text/html; charset="latin1" |                                                                     | fr | windows-1252
            windows-1252 |                            | <META HTTP-EQUIV=Content-Type CONTENT="text/html; charset=us-ascii">  | fr | windows-1252
            UTF-8        | text/html; charset=utf-8   |                                                                      | zh | UTF-8
            UTF-8        | text/html                  |                                                                      | zh | UTF-8
            UTF-8        |                            |                                                                      | fr | UTF-8
            UTF-8        | text/html; charset=bogus-label |                                                                  | zh | UTF-8
            GBK          | text/html; charset=no-such-charset | <meta charset="gbk">                                         | zh | GB18030
            GBK          | text/html; charset="@!#"   | <meta charset="made-up">                                             | zh | GB18030
            """)
    void detect_decodesRealBytes(
            String encoding, String contentType, String meta, String lang, String expected) {
        String text =
                switch (lang) {
                    case "zh" -> CHINESE;
                    case "ja" -> JAPANESE;
                    default -> LATIN;
                };
        String html = page(meta == null ? "" : meta, text);
        byte[] bytes = html.getBytes(Charset.forName(encoding));

        Charset charset = CharsetDetector.detect(contentType, bytes);

        assertThat(charset.name()).isEqualTo(Charset.forName(expected).name());
        assertThat(CharsetDetector.decode(bytes, charset)).isEqualTo(html);
    }

    @Test
    void detect_headerWinsOverMeta() {
        byte[] bytes = page("<meta charset=\"gbk\">", LATIN).getBytes(StandardCharsets.UTF_8);

        assertThat(CharsetDetector.detect("text/html; charset=utf-8", bytes))
                .isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void detect_metaWinsOverSniffing() {
        // UTF-8 Chinese bytes that the meta tag calls GBK: the declaration is taken, as browsers do
        byte[] bytes = page("<meta charset=\"gbk\">", CHINESE).getBytes(StandardCharsets.UTF_8);

        assertThat(CharsetDetector.detect(null, bytes).name()).isEqualTo("GB18030");
    }

    @Test
    void detect_utf8Bom_isDroppedByDecode() {
        byte[] bytes =
                withBom(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        page("", CHINESE).getBytes(StandardCharsets.UTF_8));

        Charset charset = CharsetDetector.detect(null, bytes);

        assertThat(charset).isEqualTo(StandardCharsets.UTF_8);
        assertThat(CharsetDetector.decode(bytes, charset)).isEqualTo(page("", CHINESE));
    }

    @Test
    void detect_bomWinsOverHeader() {
        byte[] bytes =
                withBom(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        CHINESE.getBytes(StandardCharsets.UTF_8));

        assertThat(CharsetDetector.detect("text/html; charset=iso-8859-1", bytes))
                .isEqualTo(StandardCharsets.UTF_8);
    }

    /**
     * Each row: the BOM, the charset the rest is written in, the header. The BOM decides whatever
     * the header says (WHATWG), and is not part of the text. UTF-32LE's BOM starts with UTF-16LE's
     * and is looked for first, as w3lib does (WHATWG knows no UTF-32).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            %EF%BB%BF    | UTF-8    | text/html; charset=iso-8859-1
            %FE%FF       | UTF-16BE | text/html
            %FF%FE       | UTF-16LE | text/html; charset=utf-8
            %FF%FE%00%00 | UTF-32LE | text/html; charset=utf-16le
            %00%00%FE%FF | UTF-32BE |
            """)
    void detect_byteOrderMark(String bom, String encoding, String contentType) {
        String html = page("<meta charset=\"gbk\">", JAPANESE + " \uD83D\uDE00");
        byte[] bytes = withBom(TestBytes.of(bom), html.getBytes(Charset.forName(encoding)));

        Charset charset = CharsetDetector.detect(contentType, bytes);

        assertThat(charset.name()).isEqualTo(encoding);
        assertThat(CharsetDetector.decode(bytes, charset)).isEqualTo(html);
    }

    @Test
    void detect_utf16LeBomThenText_isNotUtf32() {
        byte[] bytes = TestBytes.of("%FF%FEa%00%00%00b%00");

        Charset charset = CharsetDetector.detect(null, bytes);

        assertThat(charset).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(CharsetDetector.decode(bytes, charset)).isEqualTo("a\u0000b");
    }

    /**
     * A body of ASCII only reads the same in every ASCII-compatible charset: without a declaration
     * it is UTF-8 (w3lib's default; Scrapy's response.encoding says cp1252), with one it is the
     * declared charset as WHATWG maps it.
     */
    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                                                 | <p>hello</p>                       | UTF-8
            text/html                            | <p>hello</p>                       | UTF-8
            text/html                            |                                    | UTF-8
            text/html; charset=us-ascii          | <p>hello</p>                       | windows-1252
            text/html; charset=koi8-r            | <p>hello</p>                       | KOI8-R
            text/html                            | <meta charset="ascii"><p>hello</p> | windows-1252
            text/html                            | <meta charset="utf-8"><p>hello</p> | UTF-8
            application/json                     | {"a": 1}                           | UTF-8
            """)
    void detect_pureAscii(String contentType, String body, String expected) {
        byte[] bytes = body == null ? new byte[0] : TestBytes.of(body);

        assertThat(CharsetDetector.detect(contentType, bytes).name()).isEqualTo(expected);
    }

    /** Short texts the statistical detector cannot judge: valid UTF-8 is UTF-8. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Café", "naïve", "€5", "日本", "Ünïcödé ✓"})
    void detect_validUtf8WithoutDeclaration_isUtf8(String text) {
        byte[] bytes = ("<p>" + text + "</p>").getBytes(StandardCharsets.UTF_8);

        assertThat(CharsetDetector.detect("text/html", bytes)).isEqualTo(StandardCharsets.UTF_8);
    }

    /** Bytes that are not UTF-8 and that the detector cannot place keep every byte as a char. */
    @Test
    void detect_undecidableNonUtf8_isWindows1252() {
        byte[] bytes = TestBytes.of("<p>caf%E9</p>");

        Charset charset = CharsetDetector.detect("text/html", bytes);

        assertThat(charset.name()).isEqualTo("windows-1252");
        assertThat(CharsetDetector.decode(bytes, charset)).isEqualTo("<p>café</p>");
    }

    @Test
    void detect_bomWinsOverMeta() {
        byte[] bytes =
                withBom(
                        TestBytes.of("%EF%BB%BF"),
                        page("<meta charset=\"gbk\">", CHINESE).getBytes(StandardCharsets.UTF_8));

        assertThat(CharsetDetector.detect(null, bytes)).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void detect_headerWinsOverXmlDeclaration() {
        byte[] bytes =
                ("<?xml version=\"1.0\" encoding=\"gbk\"?><r>" + LATIN + "</r>")
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(CharsetDetector.detect("application/xml; charset=utf-8", bytes))
                .isEqualTo(StandardCharsets.UTF_8);
    }

    /** The gbk label decodes with WHATWG's gb18030 decoder, where 0x80 is the euro sign. */
    @Test
    void decode_gbkPageWithEuroByte() {
        String html = page("<meta charset=\"gbk\">", CHINESE + " 价格 20€");
        byte[] bytes = html.replace("€", "\u0000").getBytes(Charset.forName("GBK"));
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = bytes[i] == 0 ? (byte) 0x80 : bytes[i];
        }

        Charset charset = CharsetDetector.detect("text/html", bytes);

        assertThat(charset.name()).isEqualTo("GB18030");
        assertThat(CharsetDetector.decode(bytes, charset)).isEqualTo(html);
    }

    @Test
    void detect_emptyBody_isUtf8() {
        assertThat(CharsetDetector.detect(null, new byte[0])).isEqualTo(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
        "gbk, GB18030",
        "GB2312, GB18030",
        "ISO-8859-1, windows-1252",
        "US-ASCII, windows-1252",
        "Shift_JIS, windows-31j",
        "utf8, UTF-8",
        "' utf-8 ', UTF-8",
        "EUC-JP, EUC-JP"
    })
    void forLabel_mapsLikeWhatwg(String label, String expected) {
        assertThat(CharsetDetector.forLabel(label)).isEqualTo(Charset.forName(expected));
    }

    @ParameterizedTest
    @CsvSource({"bogus", "'@@'", "x-unknown-42", "''"})
    void forLabel_unknown_isNull(String label) {
        assertThat(CharsetDetector.forLabel(label)).isNull();
    }
}
