package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arachne.engine.Setting;
import org.arachne.engine.Settings;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;

class DeclarativeSpiderTest {
    private static final String BOOKS_PAGE =
            """
            <html><body>
            <div class="page">
              <ol>
                <li><article class="product_pod">
                  <h3><a href="catalogue/book-1/index.html" title="A Light in the Attic">A Light...</a></h3>
                  <p class="star-rating Three"></p>
                  <p class="price_color">£51.77</p>
                  <a class="tag" href="/t/poetry">poetry</a> <a class="tag" href="/t/classic"> classic </a>
                </article></li>
                <li><article class="product_pod">
                  <h3><a href="catalogue/book-2/index.html" title="Tipping the Velvet">Tipping...</a></h3>
                  <p class="star-rating One"></p>
                  <p class="price_color">£1,053.60</p>
                </article></li>
                <li><article class="product_pod">
                  <h3><a href="catalogue/book-3/index.html">No title attribute</a></h3>
                  <p class="price_color">£10.00</p>
                </article></li>
              </ol>
              <a href="catalogue/page-2.html">next</a>
              <a href="/private/admin.html">admin</a>
            </div>
            <a href="/catalogue/outside-the-page-div.html">footer</a>
            <a href="http://elsewhere.example/catalogue/x.html">offsite</a>
            </body></html>
            """;

    private static final String BOOKS_SPIDER =
            """
            name: books
            start_urls: [http://127.0.0.11:8321/]
            allowed_domains: [127.0.0.11]
            rules:
              - allow: ['/catalogue/']
                deny: ['/private/']
                restrict_xpaths: ["//div[@class='page']"]
            items:
              - each: "//article[@class='product_pod']"
                fields:
                  title: {xpath: "h3/a/@title", required: true}
                  price: {xpath: ".//p[@class='price_color']/text()", type: decimal}
                  link: {xpath: "h3/a/@href", type: url}
                  stars: {css: "p.star-rating::attr(class)", regex: "star-rating (\\\\w+)"}
                  source: {constant: sandbox}
                  tags: {css: "a.tag::text", type: list}
                  rank: {regex: 'book-(\\d+)', type: int}
                  currency: {xpath: ".//p[@class='price_color']/text()", regex: '^\\W', default: '?'}
            """;

    @Test
    void parse_booksPage_extractsTypedItemsAndDropsThoseMissingRequiredFields() {
        DeclarativeSpider spider =
                new DeclarativeSpider(YamlSpiders.parse(BOOKS_SPIDER, "books.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(response("http://127.0.0.11:8321/index.html", BOOKS_PAGE), out);

        assertThat(out.items)
                .containsExactly(
                        Item.of(
                                "title", "A Light in the Attic",
                                "price", new BigDecimal("51.77"),
                                "link", "http://127.0.0.11:8321/catalogue/book-1/index.html",
                                "stars", "Three",
                                "source", "sandbox",
                                "tags", List.of("poetry", "classic"),
                                "rank", 1L,
                                "currency", "£"),
                        Item.of(
                                "title", "Tipping the Velvet",
                                "price", new BigDecimal("1053.60"),
                                "link", "http://127.0.0.11:8321/catalogue/book-2/index.html",
                                "stars", "One",
                                "source", "sandbox",
                                "tags", List.of(),
                                "rank", 2L,
                                "currency", "£"));
        assertThat(out.items.get(0).fields().keySet())
                .containsExactly(
                        "title", "price", "link", "stars", "source", "tags", "rank", "currency")
                .as("fields in YAML order");
        assertThat(out.counts).containsEntry(DeclarativeSpider.REQUIRED_MISSING, 1L);
    }

    @Test
    void parse_numberFieldThatIsNoNumber_isCountedAndItsRequiredRuleApplies() {
        String yaml =
                """
                name: prices
                start_urls: [http://a.test/]
                items:
                  - each: "//li"
                    fields:
                      name: {xpath: "b/text()"}
                      price: {xpath: "i/text()", type: decimal, required: true}
                      stock: {xpath: "u/text()", type: int}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "prices.yaml"));
        RecordingOutput out = new RecordingOutput();
        String html =
                "<ul><li><b>a</b><i>£1.50</i><u>3</u></li>"
                        + "<li><b>b</b><i>ask us</i><u>2</u></li>"
                        + "<li><b>c</b><i>2.00</i><u>1.5</u></li></ul>";

        spider.parse(response("http://a.test/", html), out);

        assertThat(out.items)
                .containsExactly(
                        Item.of("name", "a", "price", new BigDecimal("1.50"), "stock", 3L),
                        Item.of("name", "c", "price", new BigDecimal("2.00"), "stock", null));
        assertThat(out.counts)
                .containsEntry("field_conversion_failed/price", 1L)
                .containsEntry("field_conversion_failed/stock", 1L)
                .containsEntry(DeclarativeSpider.REQUIRED_MISSING, 1L);
    }

    @Test
    void parse_booksPage_followsRuleLinksInsideRestrictedAreaAndAllowedDomains() {
        DeclarativeSpider spider =
                new DeclarativeSpider(YamlSpiders.parse(BOOKS_SPIDER, "books.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(response("http://127.0.0.11:8321/index.html", BOOKS_PAGE), out);

        assertThat(out.follows)
                .containsExactly(
                        "parse http://127.0.0.11:8321/catalogue/book-1/index.html",
                        "parse http://127.0.0.11:8321/catalogue/book-2/index.html",
                        "parse http://127.0.0.11:8321/catalogue/book-3/index.html",
                        "parse http://127.0.0.11:8321/catalogue/page-2.html");
    }

    @Test
    void parse_leafRule_followsToLeafCallbackWhichFollowsNothing() throws Exception {
        String yaml =
                """
                name: books
                start_urls: [http://127.0.0.11:8321/]
                allowed_domains: [127.0.0.11]
                rules:
                  - allow: ['page-\\d+']
                  - follow: false
                    allow: ['book-\\d+']
                items:
                  - url_pattern: 'book-\\d+'
                    fields:
                      title: {css: "h1::text", required: true}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "books.yaml"));
        RecordingOutput listing = new RecordingOutput();
        RecordingOutput detail = new RecordingOutput();

        spider.parse(response("http://127.0.0.11:8321/", BOOKS_PAGE), listing);
        spider.callback("parseLeaf")
                .parse(
                        response(
                                "http://127.0.0.11:8321/catalogue/book-1/index.html",
                                "<h1> A Light in the Attic </h1><a href='page-3.html'>x</a>"),
                        detail);

        assertThat(listing.items).isEmpty();
        assertThat(listing.follows)
                .containsExactly(
                        "parse http://127.0.0.11:8321/catalogue/page-2.html",
                        "parseLeaf http://127.0.0.11:8321/catalogue/book-1/index.html",
                        "parseLeaf http://127.0.0.11:8321/catalogue/book-2/index.html",
                        "parseLeaf http://127.0.0.11:8321/catalogue/book-3/index.html");
        assertThat(detail.items).containsExactly(Item.of("title", "A Light in the Attic"));
        assertThat(detail.follows).isEmpty();
    }

    @Test
    void regexes_writtenForPython_allowUrlPatternAndFields() {
        String yaml =
                """
                name: tienda
                start_urls: [https://tienda.example/]
                rules:
                  - allow: ['/p/(?P<id>\\d+)$']
                items:
                  - url_pattern: '/p/(?P<id>\\d+)'
                    fields:
                      name: {css: "h1::text", regex: '^(?P<extract>\\w+)'}
                      data: {xpath: "//script/text()", regex: 'var data = ({.*?});'}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "tienda.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(
                response(
                        "https://tienda.example/p/1",
                        "<h1>Cumpleaños kit</h1><script>var data = {\"sku\": 7};</script>"
                                + "<a href='/p/2'>next</a><a href='/p/2/reviews'>reviews</a>"),
                out);

        assertThat(out.items)
                .containsExactly(Item.of("name", "Cumpleaños", "data", "{\"sku\": 7}"));
        assertThat(out.follows).containsExactly("parse https://tienda.example/p/2");
    }

    @Test
    void parse_withoutEach_makesOneItemPerPageAndNoneWhenNothingIsFound() {
        String yaml =
                """
                name: product
                start_urls: [https://shop.example/]
                items:
                  - selector: css
                    fields:
                      name: h1::text
                      shop: {constant: example}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "shop.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(response("https://shop.example/p/1", "<h1>Kettle</h1>"), out);
        spider.parse(response("https://shop.example/about", "<p>About us</p>"), out);

        assertThat(out.items).containsExactly(Item.of("name", "Kettle", "shop", "example"));
        assertThat(out.follows).isEmpty();
    }

    @Test
    void douban_localCopy_extractsTrimmedChineseTitlesAndAbsoluteLinks() throws IOException {
        String page =
                """
                <html><head><meta charset="utf-8"><title>豆瓣读书 Top 250</title></head><body>
                <div class="indent">
                <table width="100%"><tr class="item">
                  <td valign="top">
                    <div class="pl2">
                      <a href="https://book.douban.com/subject/1007305/" onclick="&#34;moreurl(this)&#34;" title="红楼梦">
                        红楼梦
                      </a>
                      <br/><span style="font-size:12px;">The Story of the Stone</span>
                    </div>
                    <p class="pl">[清] 曹雪芹 著 / 人民文学出版社 / 1996-12 / 59.70元</p>
                  </td>
                </tr></table>
                <table width="100%"><tr class="item">
                  <td valign="top">
                    <div class="pl2">
                      <a href="/subject/4913064/" title="活着">
                        活着

                      </a>
                    </div>
                  </td>
                </tr></table>
                </div>
                <div class="paginator"><a href="?start=25&amp;filter=">2</a></div>
                </body></html>
                """;
        DeclarativeSpider spider = YamlSpiders.load(Path.of("..", "examples", "douban.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(response("https://book.douban.com/top250?start=0", page), out);

        assertThat(out.items)
                .containsExactly(
                        Item.of("title", "红楼梦", "link", "https://book.douban.com/subject/1007305/"),
                        Item.of("title", "活着", "link", "https://book.douban.com/subject/4913064/"));
        assertThat(out.follows).as("douban.yaml follows no links").isEmpty();
    }

    @Test
    void withStartUrls_pointsTheSpiderElsewhereAndStaysThere() throws IOException {
        DeclarativeSpider spider = YamlSpiders.load(Path.of("..", "examples", "books.yaml"));

        DeclarativeSpider local = spider.withStartUrls(List.of("http://127.0.0.5:41234/"));
        RecordingOutput out = new RecordingOutput();
        local.parse(
                response(
                        "http://127.0.0.5:41234/",
                        "<a href='/a.html'>a</a><a href='http://127.0.0.11:8321/b.html'>b</a>"),
                out);

        assertThat(local.startUrls()).containsExactly("http://127.0.0.5:41234/");
        assertThat(local.startRequests()).containsExactly(Request.get("http://127.0.0.5:41234/"));
        assertThat(local.allowedDomains()).containsExactly("127.0.0.5");
        assertThat(local.name()).isEqualTo("books");
        assertThat(local.settings()).isEqualTo(spider.settings());
        assertThat(out.follows).containsExactly("parse http://127.0.0.5:41234/a.html");
    }

    @Test
    void settings_listsAndMapsAreGivenInTheFormsSettingsParses() {
        String yaml =
                """
                name: s
                start_urls: [https://shop.example/]
                settings:
                  retry_http_codes: [500, 503]
                  dns_overrides: {shop.example: 127.0.0.9}
                  download_delay: 250ms
                  robotstxt_obey: no
                """;

        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "s.yaml"));

        assertThat(new java.util.ArrayList<>(spider.settings().keySet()))
                .containsExactly(
                        "retry_http_codes", "dns_overrides", "download_delay", "robotstxt_obey");
        Settings settings = Settings.defaults().with(spider.settings());
        assertThat(settings.get(Setting.RETRY_HTTP_CODES)).containsExactly(500, 503);
        assertThat(settings.get(Setting.DNS_OVERRIDES)).containsEntry("shop.example", "127.0.0.9");
        assertThat(settings.get(Setting.DOWNLOAD_DELAY)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.get(Setting.ROBOTSTXT_OBEY)).isFalse();
    }

    /** #9: Scrapy's upper-case names worked with -s but not in YAML. */
    @Test
    void settings_keysInAnyCase_areTheLowerCaseSettings() {
        String yaml =
                """
                name: s
                start_urls: [https://shop.example/]
                settings:
                  CONCURRENT_REQUESTS: 4
                  Download_Delay: 250ms
                  LOG_LEVEL: WARNING
                """;

        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "s.yaml"));

        assertThat(spider.settings())
                .containsOnlyKeys("concurrent_requests", "download_delay", "log_level");
        Settings settings = Settings.defaults().with(spider.settings());
        assertThat(settings.get(Setting.CONCURRENT_REQUESTS)).isEqualTo(4);
        assertThat(settings.get(Setting.DOWNLOAD_DELAY)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.get(Setting.LOG_LEVEL)).isEqualTo("warning");
    }

    private static Response response(String url, String html) {
        return new Response(
                Request.get(url),
                url,
                200,
                Headers.of("Content-Type", "text/html; charset=utf-8"),
                Body.utf8(html),
                Duration.ZERO);
    }

    @Test
    void downloadSlots_nestInTheSpiderFile() {
        String yaml =
                """
                name: slots
                start_urls: [https://shop.example/]
                settings:
                  download_slots:
                    shop.example: {concurrency: 1, delay: 2s}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "s.yaml"));
        Settings settings = Settings.defaults().with(spider.settings());
        assertThat(settings.raw("download_slots"))
                .isEqualTo(Map.of("shop.example", Map.of("concurrency", "1", "delay", "2s")));
        assertThat(
                        YamlSpiders.check(
                                """
                name: slots
                start_urls: [https://shop.example/]
                settings:
                  download_slots:
                    shop.example: {concurency: 1}
                """,
                                "bad.yaml"))
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.toString())
                                        .contains("bad.yaml:5")
                                        .contains("concurency"));
    }

    @Test
    void namedItemBlock_isACallbackThatExtractsThatBlockAndFollowsNothing() throws Exception {
        String yaml =
                """
                name: shop
                sitemap_urls: [http://127.0.0.11:8321/sitemap.xml]
                sitemap_rules:
                  - {regex: /catalogue/, callback: book}
                rules:
                  - follow: true
                items:
                  - name: book
                    each: "//article[@class='product_pod']"
                    fields:
                      title: h3/a/@title
                  - name: prices
                    each: "//p[@class='price_color']"
                    fields:
                      price: text()
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "shop.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.callback("book").parse(response("http://127.0.0.11:8321/x", BOOKS_PAGE), out);

        assertThat(out.items)
                .extracting(i -> i.fields().get("title"))
                .containsExactly("A Light in the Attic", "Tipping the Velvet");
        assertThat(out.follows).isEmpty();
        assertThat(spider.callback("parse")).isNotNull();
        assertThat(spider.callback("parseLeaf")).isNotNull();
        assertThat(spider.callback("prices")).isNotNull();
        assertThat(spider.callback("nothing")).isNull();
        assertThat(spider.sitemaps().callbackFor("http://127.0.0.11:8321/catalogue/b.html"))
                .isEqualTo("book");
        assertThat(spider.startRequests()).isEmpty();
        assertThat(spider.sitemaps().requests())
                .extracting(Request::url)
                .containsExactly("http://127.0.0.11:8321/sitemap.xml");
    }

    private static final String LINKS_PAGE =
            """
            <html><body>
            <a href="a.html">a</a> <a href="a.html">a again</a>
            <a href="b.png">image</a> <a href="c.php">script</a> <a href="d.pdf">pdf</a>
            <div data-href="e.html?b=2&amp;a=1"></div> <span data-href="e.html?a=1&amp;b=2"></span>
            <a href="javascript:go('f.html'); return false">js</a>
            </body></html>
            """;

    /** Scrapy's defaults: a and area hrefs, unique, no image or pdf, links as written (#9). */
    @Test
    void rule_linkExtractorDefaults_areScrapys() {
        String yaml =
                """
                name: links
                start_urls: [http://a.test/]
                rules:
                  - follow: true
                """;
        RecordingOutput out = new RecordingOutput();

        new DeclarativeSpider(YamlSpiders.parse(yaml, "links.yaml"))
                .parse(response("http://a.test/", LINKS_PAGE), out);

        assertThat(out.follows)
                .containsExactly("parse http://a.test/a.html", "parse http://a.test/c.php");
    }

    /**
     * A rule takes the link extractor's other options (issue #9): tags and attrs ({@code *}: all),
     * deny_extensions, unique, canonicalize and process_value (a regex replacement).
     */
    @Test
    void rule_linkExtractorOptions_reachTheExtractor() {
        String yaml =
                """
                name: links
                start_urls: [http://a.test/]
                rules:
                  - tags: ['*']
                    attrs: [href, data-href]
                    deny_extensions: [php]
                    unique: false
                    canonicalize: true
                    process_value: {regex: "javascript:go\\\\('([^']*)'\\\\).*", replacement: "$1x"}
                """;
        RecordingOutput out = new RecordingOutput();

        new DeclarativeSpider(YamlSpiders.parse(yaml, "links.yaml"))
                .parse(response("http://a.test/", LINKS_PAGE), out);

        assertThat(out.follows)
                .containsExactly(
                        "parse http://a.test/a.html",
                        "parse http://a.test/a.html",
                        "parse http://a.test/b.png",
                        "parse http://a.test/d.pdf",
                        "parse http://a.test/e.html?a=1&b=2",
                        "parse http://a.test/e.html?a=1&b=2",
                        "parse http://a.test/f.htmlx");
    }
}
