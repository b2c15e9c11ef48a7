package org.arachne.spider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SitemapsTest {

    private static final Sitemaps SHOP =
            Sitemaps.builder()
                    .rule("/product/", "parseProduct")
                    .rule("/category/", "parseCategory")
                    .rule("\\.html$", "parse")
                    .build();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            nullValues = "none",
            value = {
                // found anywhere in the URL, as Python's re.search
                "https://shop.example/product/1, parseProduct",
                "https://shop.example/en/product/1, parseProduct",
                // the first matching rule wins, in order
                "https://shop.example/category/product/2, parseProduct",
                "https://shop.example/category/books, parseCategory",
                "https://shop.example/about.html, parse",
                // no rule matches: the page is not crawled
                "https://shop.example/about, none",
            })
    void callbackFor_firstRuleFoundInTheUrl(String url, String callback) {
        assertThat(SHOP.callbackFor(url)).isEqualTo(callback);
    }

    @Test
    void callbackFor_noRules_everyPageGoesToParse() {
        assertThat(Sitemaps.NONE.callbackFor("https://shop.example/anything")).isEqualTo("parse");
    }

    @Test
    void follows_withoutRegexes_followsEverySitemap() {
        assertThat(Sitemaps.NONE.follows("https://shop.example/sitemap-images.xml")).isTrue();
    }

    @Test
    void follows_onlySitemapsThatARegexIsFoundIn() {
        Sitemaps sitemaps = Sitemaps.builder().follow("sitemap-products", "/news/").build();

        assertThat(sitemaps.follows("https://shop.example/sitemap-products-2.xml.gz")).isTrue();
        assertThat(sitemaps.follows("https://shop.example/news/sitemap.xml")).isTrue();
        assertThat(sitemaps.follows("https://shop.example/sitemap-images.xml")).isFalse();
    }

    @Test
    void rulesAndFollow_pythonRegexSyntax() {
        Sitemaps sitemaps =
                Sitemaps.builder()
                        .rule("/(?P<kind>producto|libro)/(?P=kind)-\\d{,3}$", "parseProduct")
                        .follow("sitemap-(?P<part>\\d+)")
                        .build();

        assertThat(sitemaps.callbackFor("https://tienda.example/libro/libro-12"))
                .isEqualTo("parseProduct");
        assertThat(sitemaps.callbackFor("https://tienda.example/libro/producto-12")).isNull();
        assertThat(sitemaps.follows("https://tienda.example/sitemap-2.xml")).isTrue();
    }

    @Test
    void requests_goToTheEngineSitemapCallback_andAcceptEveryStatus() {
        Sitemaps sitemaps =
                Sitemaps.builder()
                        .urls("https://shop.example/robots.txt", "https://shop.example/s.xml")
                        .build();

        assertThat(sitemaps.requests())
                .extracting(Request::url)
                .containsExactly("https://shop.example/robots.txt", "https://shop.example/s.xml");
        assertThat(sitemaps.requests())
                .allSatisfy(
                        r -> {
                            assertThat(r.callback()).isEqualTo(Sitemaps.CALLBACK);
                            assertThat(r.meta("handle_httpstatus_all")).isEqualTo(true);
                        });
    }

    @Test
    void rule_methodReference_isStoredByName() {
        class ShopSpider implements Spider {
            @Override
            public String name() {
                return "shop";
            }

            @Override
            public void parse(Response response, Output out) {}

            void parseProduct(Response response, Output out) {}

            @Override
            public Sitemaps sitemaps() {
                return Sitemaps.builder().rule("/product/", this::parseProduct).build();
            }
        }

        assertThat(new ShopSpider().sitemaps().rules())
                .containsExactly(new Sitemaps.Rule("/product/", "parseProduct"));
    }

    @Test
    void startRequests_default_isTheStartUrls_theEngineAddsTheSitemaps() {
        Spider spider =
                new Spider() {
                    @Override
                    public String name() {
                        return "shop";
                    }

                    @Override
                    public List<String> startUrls() {
                        return List.of("https://shop.example/");
                    }

                    @Override
                    public Sitemaps sitemaps() {
                        return Sitemaps.builder().urls("https://shop.example/sitemap.xml").build();
                    }

                    @Override
                    public void parse(Response response, Output out) {}
                };

        assertThat(spider.startRequests())
                .extracting(Request::url, Request::callbackName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("https://shop.example/", "parse"));
        assertThat(spider.sitemaps().requests())
                .extracting(Request::url, Request::callbackName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "https://shop.example/sitemap.xml", Sitemaps.CALLBACK));
    }

    @Test
    void rule_badRegex_namesTheRuleAndThePosition() {
        Sitemaps.Builder builder = Sitemaps.builder().rule("/product/", "parseProduct");

        assertThatThrownBy(() -> builder.rule("/category/(", "parseCategory"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "sitemap_rules[1]: invalid regex '/category/(': Unclosed group at index");
    }

    @Test
    void rule_capturingLambda_isRefused() {
        String captured = "x";
        assertThatThrownBy(
                        () ->
                                Sitemaps.builder()
                                        .rule("/p/", (response, out) -> out.count(captured, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a method reference");
    }

    @Test
    void follow_badRegex_namesItsIndex() {
        assertThatThrownBy(() -> Sitemaps.builder().follow("ok", "[bad"))
                .hasMessageStartingWith("sitemap_follow[1]: invalid regex '[bad'");
    }

    @Test
    void urls_notAbsoluteHttp_namesItsIndex() {
        assertThatThrownBy(() -> Sitemaps.builder().urls("https://shop.example/s.xml", "s.xml"))
                .hasMessageStartingWith("sitemap_urls[1]: invalid URL 's.xml'");
    }

    @Test
    void urls_setTwice_isRefused() {
        assertThatThrownBy(() -> Sitemaps.builder().urls("https://a.example/s.xml").urls())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sitemap_urls was already set");
    }

    @Test
    void equals_sameOptions() {
        assertThat(Sitemaps.builder().urls("https://a.example/s.xml").rule("/p/", "parse").build())
                .isEqualTo(
                        Sitemaps.builder()
                                .urls("https://a.example/s.xml")
                                .rule("/p/", "parse")
                                .build())
                .isNotEqualTo(Sitemaps.NONE);
    }
}
