package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkExtractorTest {
    private static final Page PAGE = Fixtures.page("links.html", "http://shop.example/catalogue/");

    private static List<String> urls(LinkExtractor extractor) {
        return extractor.extract(PAGE).stream().map(Link::url).toList();
    }

    @Test
    void extract_defaults_resolvedDedupedHttpOnlyInPageOrder() {
        assertThat(LinkExtractor.builder().build().extract(PAGE))
                .containsExactly(
                        new Link("http://shop.example/catalogue/page-1.html", "Page 1", false),
                        new Link(
                                "http://shop.example/catalogue/catalogue/page-2.html",
                                "Page 2",
                                false),
                        new Link(
                                "http://shop.example/catalogue/book-1.html?b=2&a=1",
                                "Book 1",
                                true),
                        new Link("https://WWW.Other.example/x", "Other", false),
                        new Link("http://sub.shop.example/y", "Sub shop", false),
                        new Link("http://shop.example/area-link", "", false));
    }

    @Test
    void extract_canonicalize_returnsCanonicalForms() {
        assertThat(urls(LinkExtractor.builder().canonicalize(true).build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html",
                        "http://shop.example/catalogue/book-1.html?a=1&b=2",
                        "https://www.other.example/x",
                        "http://sub.shop.example/y",
                        "http://shop.example/area-link");
    }

    @Test
    void extract_allowAndDeny_regexFindOnAbsoluteUrl() {
        assertThat(urls(LinkExtractor.builder().allow("/catalogue/", "example/y$").build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html",
                        "http://shop.example/catalogue/book-1.html?b=2&a=1",
                        "http://sub.shop.example/y");
        assertThat(
                        urls(
                                LinkExtractor.builder()
                                        .allow("/catalogue/")
                                        .deny("page-\\d", "\\?")
                                        .build()))
                .isEmpty();
        assertThat(urls(LinkExtractor.builder().deny("^http://shop").build()))
                .containsExactly("https://WWW.Other.example/x", "http://sub.shop.example/y");
    }

    @Test
    void extract_allowAndDeny_pythonRegexSyntax() {
        assertThat(
                        urls(
                                LinkExtractor.builder()
                                        .allow("/(?P<section>catalogue)/(?P=section)/")
                                        .build()))
                .containsExactly("http://shop.example/catalogue/catalogue/page-2.html");
        assertThat(
                        urls(
                                LinkExtractor.builder()
                                        .allow("/catalogue/")
                                        .deny("page-\\d{,2}\\.")
                                        .build()))
                .containsExactly("http://shop.example/catalogue/book-1.html?b=2&a=1");
    }

    @Test
    void extract_domains_hostOrSubdomainCaseInsensitive() {
        assertThat(urls(LinkExtractor.builder().allowDomains("other.example").build()))
                .containsExactly("https://WWW.Other.example/x");
        assertThat(
                        urls(
                                LinkExtractor.builder()
                                        .allowDomains("shop.example")
                                        .denyDomains("SUB.shop.example")
                                        .build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html",
                        "http://shop.example/catalogue/book-1.html?b=2&a=1",
                        "http://shop.example/area-link");
        assertThat(urls(LinkExtractor.builder().allowDomains("hop.example").build())).isEmpty();
    }

    @Test
    void extract_restrictXpathsAndCss_onlyInsideRegions() {
        assertThat(urls(LinkExtractor.builder().restrictXpaths("//div[@id='nav']").build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html");
        assertThat(
                        urls(
                                LinkExtractor.builder()
                                        .restrictCss("map")
                                        .restrictXpaths("//a[@rel]")
                                        .build()))
                .containsExactly(
                        "http://shop.example/catalogue/book-1.html?b=2&a=1",
                        "http://shop.example/area-link");
    }

    @Test
    void extract_tagsAndAttrs() {
        assertThat(urls(LinkExtractor.builder().tags("IMG").attrs("src").build()))
                .containsExactly("http://shop.example/img.png");
    }

    @Test
    void extract_baseHref_resolvesAgainstBase() {
        Page page =
                Page.parse(
                        "<html><head><base href='http://cdn.example/base/'></head>"
                                + "<body><a href='a.html'>A</a><a href='/b.html'>B</a></body></html>",
                        "http://site.example/dir/page.html");

        assertThat(LinkExtractor.builder().build().extract(page))
                .extracting(Link::url)
                .containsExactly("http://cdn.example/base/a.html", "http://cdn.example/b.html");
        assertThat(page.baseUrl()).isEqualTo("http://site.example/dir/page.html");
    }

    @Test
    void extract_noLinks_empty() {
        assertThat(
                        LinkExtractor.builder()
                                .build()
                                .extract(Page.parse("<p>hi</p>", "http://a.example/")))
                .isEmpty();
    }

    @Test
    void builder_optionSetTwice_rejected() {
        LinkExtractor.Builder builder = LinkExtractor.builder().allow("a");

        assertThatThrownBy(() -> builder.allow("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allow");
    }

    @Test
    void builder_invalidValues_nameOption() {
        assertThatThrownBy(() -> LinkExtractor.builder().deny("("))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deny")
                .hasMessageContaining("(");
        assertThatThrownBy(() -> LinkExtractor.builder().restrictXpaths("//div["))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restrictXpaths")
                .hasMessageContaining("//div[");
        assertThatThrownBy(() -> LinkExtractor.builder().restrictCss("div["))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restrictCss");
        assertThatThrownBy(() -> LinkExtractor.builder().tags())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tags");
    }

    @ParameterizedTest
    @CsvSource({
        "http://Example.COM/a, example.com",
        "https://user:pw@shop.example:8443/x?y#z, shop.example",
        "http://[::1]:8080/, [::1]",
        "http://host.example?q=1, host.example"
    })
    void host_ofUrl(String url, String host) {
        assertThat(LinkExtractor.host(url)).isEqualTo(host);
    }
}
