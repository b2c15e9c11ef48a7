package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code charset} parameter of a {@code Content-Type} header, read as RFC 9110 section 5.6.6
 * and 8.3.1 define media-type parameters. The page declares KOI8-R in a {@code <meta>}, so a row
 * expecting KOI8-R is a header whose charset is not taken.
 */
class ContentTypeCharsetTest {
    private static final byte[] PAGE =
            "<meta charset=\"koi8-r\"><p>hello</p>".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            text/html; charset=gbk                              | GB18030
            text/html;charset=gbk                               | GB18030
            TEXT/HTML; CHARSET=GBK                              | GB18030
            text/html ;  charset=gbk ;                          | GB18030
            text/html; q=1; charset=gbk                         | GB18030
            text/html; charset="gbk"                            | GB18030
            text/html; charset="\\g\\b\\k"                      | GB18030
            `text/html; charset=gbk `                           | GB18030
            text/html; charset=gbk; charset=utf-8               | GB18030
            application/xhtml+xml; charset=gbk                  | GB18030
            text/html; charset=utf-8                            | UTF-8
            text/html                                           | KOI8-R
            text/html; mycharset=gbk                            | KOI8-R
            text/html; charsets=gbk                             | KOI8-R
            text/html; x-charset=gbk                            | KOI8-R
            text/html; foo="bar; charset=gbk"                   | KOI8-R
            text/html; foo="a\\"; charset=gbk"                  | KOI8-R
            text/html; foo="x; charset=gbk"; charset=utf-8      | UTF-8
            text/html; foo=bar"x; charset=gbk"; charset=utf-8   | UTF-8
            text/html; =gbk; charset=utf-8                      | UTF-8
            text/html; charset; charset=utf-8                   | UTF-8
            text/html; charset="gbk                             | KOI8-R
            text/html; charset=gbk"                             | KOI8-R
            text/html; charset="gbk"x                           | KOI8-R
            text/html; charset=gb k                             | KOI8-R
            text/html; charset = gbk                            | KOI8-R
            text/html; charset =gbk                             | KOI8-R
            text/html; charset= gbk                             | KOI8-R
            text/html; charset=                                 | KOI8-R
            text/html; charset=""                               | KOI8-R
            text/html; charset                                  | KOI8-R
            text/html; charset='gbk'                            | KOI8-R
            text/html; charset=bogus                            | KOI8-R
            text/html charset=gbk                               | KOI8-R
            charset=gbk                                         | KOI8-R
            text/; charset=gbk                                  | KOI8-R
            /html; charset=gbk                                  | KOI8-R
            text/html/x; charset=gbk                            | KOI8-R
            `;charset=gbk`                                      | KOI8-R
            ``                                                  | KOI8-R
            """)
    void detect_charsetParameter(String contentType, String expected) {
        assertThat(CharsetDetector.detect(contentType, PAGE).name()).isEqualTo(expected);
    }
}
