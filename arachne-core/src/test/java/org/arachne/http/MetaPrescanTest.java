package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The declaration inside a body, as the HTML standard's "prescan a byte stream to determine its
 * encoding" finds it (with its "get an attribute", "extracting a character encoding from a meta
 * element" and "get an XML encoding"), and the XML declaration of XML bodies. Cases written after
 * the expectations of html5lib's {@code encoding/tests*.dat}. Bodies are ASCII, so a row expecting
 * UTF-8 is a body whose declaration is not taken ({@code %HH} is one byte, see {@link TestBytes}).
 */
class MetaPrescanTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            <meta charset="iso8859-2">                                                    | ISO-8859-2
            <meta charset='iso8859-2'>                                                    | ISO-8859-2
            <meta charset=iso8859-2>                                                      | ISO-8859-2
            <META CHARSET=ISO8859-2>                                                      | ISO-8859-2
            <meta%0Acharset=iso8859-2>                                                    | ISO-8859-2
            <meta/charset=iso8859-2>                                                      | ISO-8859-2
            <meta   charset  =  'iso8859-2'>                                              | ISO-8859-2
            <meta charset="%0Aiso8859-2%0A">                                              | ISO-8859-2
            <!DOCTYPE html><html><head><meta charset=iso8859-2>                           | ISO-8859-2
            <meta name=x charset=iso8859-2 />                                             | ISO-8859-2
            <p><meta charset="iso8859-2"></p>                                             | ISO-8859-2
            <metacharset=iso8859-2>                                                       | UTF-8
            <meta charset=iso8859-2                                                       | UTF-8
            <meta charset="iso8859-2                                                      | UTF-8
            <meta charset="iso8859-2><p>x</p>                                             | UTF-8
            <meta charset=iso8859-2"><p>x</p>                                             | UTF-8
            <meta test=" charset=iso8859-2>                                               | UTF-8
            <meta data-x="charset=iso8859-2">                                             | UTF-8
            <meta test=x" charset=iso8859-2>                                              | ISO-8859-2
            <meta test="" charset=iso8859-2>                                              | ISO-8859-2
            <meta name="description" content="text/html; charset=iso8859-2">              | UTF-8
            <meta http-equiv="Content-Type" content="text/html; charset=iso8859-2">       | ISO-8859-2
            <meta content="text/html; charset=iso8859-2" http-equiv="content-type">       | ISO-8859-2
            <meta http-equiv=Content-Type content=text/html;charset=iso8859-2>            | ISO-8859-2
            <meta http-equiv="Content-Type" content="text/html; charset = 'iso8859-2'">   | ISO-8859-2
            <meta http-equiv="Content-Type" content="text/html; charset='iso8859-2">      | UTF-8
            <meta http-equiv="Content-Type" content="text/html">                          | UTF-8
            <meta http-equiv="Content-Type " content="text/html; charset=iso8859-2">      | UTF-8
            <meta http-equiv="refresh" content="0; charset=iso8859-2">                    | UTF-8
            <meta httpequiv="ContentType" content="text/html; charset=iso8859-2">         | UTF-8
            <meta http-equiv="Content-Type<meta charset="iso8859-2">                      | UTF-8
            <meta <meta charset='iso8859-2'>                                              | ISO-8859-2
            <html a=%F1><meta charset="iso8859-2">                                        | ISO-8859-2
            <meta http-equiv="Content-Type" content="charset=iso8859-2" charset=koi8-r>   | KOI8-R
            <meta charset=koi8-r http-equiv="Content-Type" content="charset=iso8859-2">   | KOI8-R
            <meta charset="iso8859-2" charset="koi8-r">                                   | ISO-8859-2
            <meta charset="bogus"><meta charset="iso8859-2">                              | ISO-8859-2
            <meta charset="iso8859-2"><meta charset="koi8-r">                             | ISO-8859-2
            <meta charset="utf-16le">                                                     | UTF-8
            <meta charset="utf-16">                                                       | UTF-8
            <meta charset="UTF-16BE">                                                     | UTF-8
            <meta charset="x-user-defined">                                               | windows-1252
            <!-- <meta charset="koi8-r"> --><meta charset="iso8859-2">                    | ISO-8859-2
            <!--><meta charset="iso8859-2">                                               | ISO-8859-2
            <!-- <meta charset="iso8859-2">                                               | UTF-8
            <!-- x -- <meta charset="koi8-r"> --><meta charset="iso8859-2">               | ISO-8859-2
            <p title="<meta charset=koi8-r>"><meta charset="iso8859-2">                   | ISO-8859-2
            <p title="x><meta charset=iso8859-2><p>x</p>                                  | UTF-8
            <p title="x>"><meta charset=iso8859-2>                                        | ISO-8859-2
            </p charset=koi8-r><meta charset=iso8859-2>                                   | ISO-8859-2
            <?pi <meta charset=koi8-r>?><meta charset=iso8859-2>                          | ISO-8859-2
            <!x <meta charset=koi8-r>><meta charset=iso8859-2>                            | ISO-8859-2
            <script>document.write('<meta charset="iso8859-2">')</script>                 | ISO-8859-2
            <?xml version="1.0" encoding="iso8859-2"?><html>                              | ISO-8859-2
            <?xml version='1.0' encoding='iso8859-2'?><html>                              | ISO-8859-2
            <?xml version="1.0" encoding = "iso8859-2" ?><html>                           | ISO-8859-2
            <?xml version="1.0" encoding="iso8859-2"?><meta charset="koi8-r">             | KOI8-R
            ` <?xml version="1.0" encoding="iso8859-2"?><html>`                           | UTF-8
            <?xml version="1.0" encoding=iso8859-2?><html>                                | UTF-8
            <?xml version="1.0" encoding="iso 8859-2"?><html>                             | UTF-8
            <?xml version="1.0" encoding="utf-16"?><html>                                 | UTF-8
            <?xml version="1.0"?><x encoding="iso8859-2">                                 | UTF-8
            <%00?%00x%00m%00l%00                                                          | UTF-16LE
            %00<%00?%00x%00m%00l                                                          | UTF-16BE
            """)
    void detect_declarationInTheBody(String body, String expected) {
        assertThat(CharsetDetector.detect("text/html", TestBytes.of(body)).name())
                .isEqualTo(expected);
    }

    /**
     * XML types are read by their XML declaration alone (a {@code <meta>} does not count, as in an
     * XML parser), JSON by none (RFC 8259: UTF-8), anything else by the HTML prescan.
     */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            application/xml       | <?xml version="1.0" encoding="iso8859-2"?><r/>                  | ISO-8859-2
            text/xml              | <?xml version="1.0" encoding="koi8-r"?><r/>                     | KOI8-R
            application/rss+xml   | <?xml version="1.0" encoding="iso8859-2"?><rss/>                | ISO-8859-2
            application/xhtml+xml | <?xml version="1.0" encoding="iso8859-2"?><html/>               | ISO-8859-2
            application/xhtml+xml | <html><head><meta charset="iso8859-2"/></head></html>           | UTF-8
            application/xml       | <?xml version="1.0"?><r/>                                       | UTF-8
            application/xml       | <r><?xml version="1.0" encoding="iso8859-2"?></r>               | UTF-8
            application/xml       | <%00?%00x%00m%00l%00                                            | UTF-16LE
            text/xml; charset=koi8-r | <?xml version="1.0" encoding="iso8859-2"?><r/>               | KOI8-R
            application/json      | {"html": "<meta charset=koi8-r>"}                              | UTF-8
            application/ld+json   | {"html": "<meta charset=koi8-r>"}                              | UTF-8
            text/plain            | <meta charset=koi8-r>                                           | KOI8-R
            """)
    void detect_declarationByMediaType(String contentType, String body, String expected) {
        assertThat(CharsetDetector.detect(contentType, TestBytes.of(body)).name())
                .isEqualTo(expected);
    }

    /**
     * The standard lets the prescan stop where scanning further is not worth it and suggests 1024
     * bytes; w3lib reads 4096 and html5lib expects a declaration after an 8 KB comment to count.
     * Arachne reads the first 1024 bytes and the rest of the head, 16 KiB at most.
     */
    @ParameterizedTest(name = "{0} bytes of {1} -> {2}")
    @CsvSource({
        "500, comment, ISO-8859-2",
        "2000, comment, ISO-8859-2",
        "8200, comment, ISO-8859-2",
        "8200, script, ISO-8859-2",
        "8200, style, ISO-8859-2",
        "16000, comment, ISO-8859-2",
        "17000, comment, UTF-8",
        "17000, script, UTF-8"
    })
    void detect_declarationAfterLongContent(int length, String kind, String expected) {
        String filler =
                switch (kind) {
                    case "comment" -> "<!--" + "x".repeat(length) + "-->";
                    case "script" -> "<script>var a = '" + "x".repeat(length) + "';</script>";
                    default -> "<style>p{}" + " ".repeat(length) + "</style>";
                };
        String html = "<html><head>" + filler + "<meta charset=\"iso8859-2\"></head>";

        assertThat(CharsetDetector.detect(null, html.getBytes(StandardCharsets.US_ASCII)).name())
                .isEqualTo(expected);
    }

    /**
     * Past the first 1024 bytes (the standard's window), the scan goes on only through the head: it
     * ends at {@code <body>}, or at 1024 bytes when the body started before them, so a declaration
     * is not looked for in the page's content.
     */
    @ParameterizedTest(name = "{0} bytes before <body>, {1} after -> {2}")
    @CsvSource({
        "100, 10, ISO-8859-2",
        "900, 10, ISO-8859-2",
        "100, 800, ISO-8859-2",
        "100, 1000, UTF-8",
        "1100, 10, UTF-8",
        "5000, 10, UTF-8"
    })
    void detect_declarationAfterBodyStarts(int before, int after, String expected) {
        String html =
                "<html><head><title>"
                        + "t".repeat(before)
                        + "</title></head><body class=x><p>"
                        + "b".repeat(after)
                        + "</p><meta charset=\"iso8859-2\">";

        assertThat(CharsetDetector.detect(null, html.getBytes(StandardCharsets.US_ASCII)).name())
                .isEqualTo(expected);
    }
}
