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
    void detect_metaBeyondFourKilobytes_isIgnored() {
        String html =
                "<html><head>"
                        + "<!--"
                        + "x".repeat(5000)
                        + "-->"
                        + "<meta charset=\"windows-1252\"></head><body>"
                        + CHINESE
                        + "</body></html>";

        assertThat(CharsetDetector.detect(null, html.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(StandardCharsets.UTF_8);
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

    @ParameterizedTest
    @CsvSource({"UTF-16LE, -1, -2", "UTF-16BE, -2, -1"})
    void detect_utf16Bom(String encoding, byte first, byte second) {
        String html = page("", JAPANESE);
        byte[] bytes =
                withBom(new byte[] {first, second}, html.getBytes(Charset.forName(encoding)));

        Charset charset = CharsetDetector.detect("text/html", bytes);

        assertThat(charset.name()).isEqualTo(encoding);
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
