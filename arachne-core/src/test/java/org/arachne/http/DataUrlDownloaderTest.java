package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code data:} URLs answered from the URL itself, as the Fetch standard's "data: URL processor"
 * reads them (and Scrapy's DataURIDownloadHandler answers them). Rows are from web-platform-tests'
 * {@code fetch/data-urls/resources/data-urls.json} unless marked; the media type is read as RFC
 * 9110 writes it ({@link MediaType}), which agrees with WHATWG's MIME parser on these rows.
 */
class DataUrlDownloaderTest {
    private static final String DEFAULT_TYPE = "text/plain;charset=US-ASCII";

    private final List<Request> passedOn = new ArrayList<>();
    private final Downloader network =
            new Downloader() {
                @Override
                public Response fetch(Request request) {
                    passedOn.add(request);
                    return new Response(
                            request,
                            request.url(),
                            204,
                            Headers.EMPTY,
                            Body.EMPTY,
                            java.time.Duration.ZERO);
                }

                @Override
                public void close() {}
            };
    private final DataUrlDownloader downloader = new DataUrlDownloader(network);

    @ParameterizedTest
    @CsvSource(
            delimiterString = " | ",
            value = {
                // URL | Content-Type (-: the default, text/plain;charset=US-ASCII) | body, hex
                "data:,X | - | 58",
                "data:,X#X | - | 58",
                "data:, | - | ''", // the Rust data-url crate's copy of the table
                "data:,%FF | - | FF",
                "data://test/,X | - | 58",
                "data:text/plain,X | text/plain | 58",
                "data:text/plain ,X | text/plain | 58",
                "data:text/plain;,X | text/plain | 58",
                "data:;x=x;charset=x,X | text/plain;x=x;charset=x | 58",
                "data:text/plain;Charset=UTF-8,%C2%B1 | text/plain;charset=UTF-8 | C2B1",
                "data:IMAGE/gif;CHARSET=x,%C2%B1 | image/gif;charset=x | C2B1",
                "data:†/†,X | %e2%80%a0/%e2%80%a0 | 58",
                "data:X,X | - | 58",
                "data:image/png,X X | image/png | 582058",
                "data:text/plain;a=%2C,X | text/plain;a=%2C | 58",
                "data:text/plain,% | text/plain | 25",
                "data:;base64;base64,WA | text/plain | 58",
                "data:x/x;base64;charset=x,WA | x/x;charset=x | 5741",
                "data:;base64,W%20A | - | 58",
                "data:;base64,W%0CA | - | 58",
                "data:;BASe64,WA | - | 58",
                "data:;base64 ,WA | - | 58",
                "data:;charset=\"x\",X | text/plain;charset=x | 58",
                "data:;charset =x,X | text/plain | 58",
                // the Fetch standard: ";", zero or more spaces, "base64"
                "data:; base64,WA | - | 58",
                // RFC 2397's own example, and a page as a spider would give it
                "data:text/plain;charset=iso-8859-7,%be%fg%be | text/plain;charset=iso-8859-7 | BE2566 67BE",
                "data:text/html;charset=utf-8;base64,PHA+aMOpPC9wPg== | text/html;charset=utf-8 | 3C703E68C3A93C2F703E",
            })
    void fetch_answersFromTheUrl(String url, String contentType, String bodyHex) throws Exception {
        Request request = Request.get(url);

        Response response = downloader.fetch(request);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.url()).isEqualTo(request.url());
        assertThat(response.request()).isSameAs(request);
        assertThat(response.contentType())
                .isEqualTo(contentType.equals("-") ? DEFAULT_TYPE : contentType);
        assertThat(HexFormat.of().withUpperCase().formatHex(response.body().unsafeBytes()))
                .isEqualTo(bodyHex.replace(" ", ""));
        assertThat(response.protocol()).isEqualTo("data");
        assertThat(passedOn).isEmpty();
    }

    @Test
    void fetch_aPageInADataUrl_decodesAndParsesAsAnyPage() throws Exception {
        Response response =
                downloader.fetch(
                        Request.get("data:text/html;charset=utf-8,<title>Caf%C3%A9</title>"));

        assertThat(response.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(response.xpath("//title/text()").get()).isEqualTo("Café");
    }

    /** Base64 that the forgiving-base64 decode (WHATWG Infra) refuses: not retried, as bad data. */
    @ParameterizedTest
    @CsvSource({
        "'data:;base64,W'",
        "'data:;base64,W=A'",
        "'data:;base64,WA==='",
        "'data:;base64,W*A='",
        "'data:;base64,WA=B'",
    })
    void fetch_invalidBase64_isABadEncoding(String url) {
        assertThatThrownBy(() -> downloader.fetch(Request.get(url)))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.BAD_ENCODING))
                .hasMessageContaining("base64");
    }

    @Test
    void fetch_httpRequests_goToTheWrappedDownloader() throws Exception {
        Request request = Request.get("http://a.test/");

        assertThat(downloader.fetch(request).status()).isEqualTo(204);
        assertThat(passedOn).containsExactly(request);
    }
}
