package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Sitemaps;
import org.junit.jupiter.api.Test;

/** What the engine's sitemap callback makes of each kind of sitemap response. */
class SitemapReaderTest {
    private static final String URLSET =
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                    xmlns:xhtml="http://www.w3.org/1999/xhtml">
              <url><loc>https://shop.example/product/1</loc>
                <xhtml:link rel="alternate" hreflang="en" href="https://shop.example/product/1"/>
                <xhtml:link rel="alternate" hreflang="de" href="https://shop.example/de/product/1"/>
              </url>
              <url><loc>https://shop.example/category/books</loc></url>
              <url><loc>https://shop.example/about</loc></url>
            </urlset>
            """;
    private static final String INDEX =
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://shop.example/sitemap-products.xml.gz</loc></sitemap>
              <sitemap><loc>https://shop.example/sitemap-images.xml</loc></sitemap>
            </sitemapindex>
            """;

    private final Stats stats = new Stats();

    private List<String> read(Sitemaps sitemaps, Response response) {
        ResponseOutput out = new ResponseOutput(response, stats, new BooksSpider(List.of()), false);
        new SitemapReader(sitemaps, stats, 1 << 20).parse(response, out);
        return out.requests().stream().map(r -> r.callbackName() + " " + r.url()).toList();
    }

    private static Response response(String url, int status, String contentType, byte[] body) {
        return new Response(
                Sitemaps.request(url),
                url,
                status,
                Headers.of("Content-Type", contentType),
                Body.wrap(body),
                Duration.ZERO);
    }

    private static Response xml(String url, String xml) {
        return response(url, 200, "application/xml", utf8(xml));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void urlset_everyEntryToParse_withoutRules() {
        List<String> requests = read(Sitemaps.NONE, xml("https://shop.example/s.xml", URLSET));

        assertThat(requests)
                .containsExactly(
                        "parse https://shop.example/product/1",
                        "parse https://shop.example/category/books",
                        "parse https://shop.example/about");
        assertThat(stats.get("sitemap/sitemaps")).isEqualTo(1);
        assertThat(stats.get("sitemap/urls")).isEqualTo(3);
    }

    @Test
    void urlset_rulesRouteEntries_andDropThoseNoRuleMatches() {
        Sitemaps sitemaps =
                Sitemaps.builder()
                        .rule("/product/", "parseProduct")
                        .rule("/category/", "parseCategory")
                        .build();

        List<String> requests = read(sitemaps, xml("https://shop.example/s.xml", URLSET));

        assertThat(requests)
                .containsExactly(
                        "parseProduct https://shop.example/product/1",
                        "parseCategory https://shop.example/category/books");
        assertThat(stats.get("sitemap/filtered/no_rule")).isEqualTo(1);
    }

    @Test
    void alternateLinks_onlyWhenEnabled_withoutTheEntryItself() {
        Sitemaps on = Sitemaps.builder().rule("/product/", "parse").alternateLinks(true).build();
        Sitemaps off = Sitemaps.builder().rule("/product/", "parse").build();

        assertThat(read(on, xml("https://shop.example/s.xml", URLSET)))
                .containsExactly(
                        "parse https://shop.example/product/1",
                        "parse https://shop.example/de/product/1");
        assertThat(stats.get("sitemap/alternate_urls")).isEqualTo(1);
        assertThat(read(off, xml("https://shop.example/s.xml", URLSET)))
                .containsExactly("parse https://shop.example/product/1");
    }

    @Test
    void index_followsChildSitemapsThatMatchSitemapFollow() {
        Sitemaps sitemaps = Sitemaps.builder().follow("sitemap-products").build();

        List<String> requests = read(sitemaps, xml("https://shop.example/index.xml", INDEX));

        assertThat(requests)
                .containsExactly(
                        Sitemaps.CALLBACK + " https://shop.example/sitemap-products.xml.gz");
        assertThat(stats.get("sitemap/filtered/follow")).isEqualTo(1);
    }

    @Test
    void robotsTxt_itsSitemapLinesAreFollowed() {
        String robots =
                "User-agent: *\nDisallow: /private/\nSitemap: https://shop.example/index.xml\n"
                        + "Sitemap: https://shop.example/news.xml\n";
        Sitemaps sitemaps = Sitemaps.builder().follow("index").build();

        List<String> requests =
                read(
                        sitemaps,
                        response(
                                "https://shop.example/robots.txt",
                                200,
                                "text/plain",
                                utf8(robots)));

        assertThat(requests).containsExactly(Sitemaps.CALLBACK + " https://shop.example/index.xml");
        assertThat(stats.get("sitemap/robotstxt")).isEqualTo(1);
        assertThat(stats.get("sitemap/filtered/follow")).isEqualTo(1);
    }

    @Test
    void gzippedSitemap_isReadWhateverItsDeclaredType() throws IOException {
        for (String type : List.of("application/gzip", "application/octet-stream", "text/plain")) {
            List<String> requests =
                    read(
                            Sitemaps.NONE,
                            response(
                                    "https://shop.example/s.xml.gz",
                                    200,
                                    type,
                                    gzip(utf8(URLSET))));
            assertThat(requests).as(type).hasSize(3);
        }
    }

    @Test
    void xmlDeclaredAsGzip_isRead_forAContentEncodingTheDownloaderDecoded() {
        assertThat(
                        read(
                                Sitemaps.NONE,
                                response(
                                        "https://shop.example/s.xml.gz",
                                        200,
                                        "application/x-gzip",
                                        utf8(URLSET))))
                .hasSize(3);
    }

    @Test
    void textSitemap_oneUrlPerLine() {
        String text = "https://shop.example/a\n\nhttps://shop.example/b\n";
        assertThat(
                        read(
                                Sitemaps.NONE,
                                response(
                                        "https://shop.example/s.txt",
                                        200,
                                        "text/plain; charset=utf-8",
                                        utf8(text))))
                .containsExactly("parse https://shop.example/a", "parse https://shop.example/b");
    }

    @Test
    void brokenSitemaps_areCountedByKind_andYieldNothing() throws IOException {
        byte[] bomb = gzip(new byte[(1 << 20) + 1]);
        assertThat(read(Sitemaps.NONE, xml("https://shop.example/a.xml", URLSET.substring(0, 200))))
                .isEmpty();
        assertThat(
                        read(
                                Sitemaps.NONE,
                                response(
                                        "https://shop.example/b.xml",
                                        404,
                                        "text/html",
                                        utf8("<h1>Not found</h1>"))))
                .isEmpty();
        assertThat(
                        read(
                                Sitemaps.NONE,
                                response(
                                        "https://shop.example/c.xml.gz",
                                        200,
                                        "application/gzip",
                                        utf8("not gzip"))))
                .isEmpty();
        byte[] truncated = gzip(utf8(URLSET));
        truncated = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        assertThat(
                        read(
                                Sitemaps.NONE,
                                response(
                                        "https://shop.example/d.xml.gz",
                                        200,
                                        "application/gzip",
                                        truncated)))
                .isEmpty();
        assertThat(
                        read(
                                Sitemaps.NONE,
                                response(
                                        "https://shop.example/e.xml.gz",
                                        200,
                                        "application/gzip",
                                        bomb)))
                .isEmpty();
        assertThat(read(Sitemaps.NONE, xml("https://shop.example/f.html", "<html></html>")))
                .isEmpty();

        assertThat(stats.snapshot())
                .containsEntry("error_count", 6L)
                .containsEntry("error_count/sitemap/invalid", 2L)
                .containsEntry("error_count/sitemap/http_status/404", 1L)
                .containsEntry("error_count/sitemap/bad_gzip", 2L)
                .containsEntry("error_count/sitemap/too_large", 1L);
        assertThat(stats.get("sitemap/sitemaps")).isZero();
    }

    @Test
    void sitemapRequest_keepsItsDepthPlusOne() {
        Response response =
                new Response(
                        Sitemaps.request("https://shop.example/index.xml").withDepth(2),
                        "https://shop.example/index.xml",
                        200,
                        Headers.of("Content-Type", "application/xml"),
                        Body.utf8(INDEX),
                        Duration.ZERO);
        ResponseOutput out = new ResponseOutput(response, stats, new BooksSpider(List.of()), false);
        new SitemapReader(Sitemaps.NONE, stats, 1 << 20).parse(response, out);

        assertThat(out.requests()).extracting(Request::depth).containsOnly(3);
        assertThat(out.requests())
                .allSatisfy(r -> assertThat(r.meta("handle_httpstatus_all")).isEqualTo(true));
    }
}
