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

    /**
     * Duplicates are the same URL as resolved, as in Scrapy with {@code canonicalize=False} (issue
     * #9: they used to be the same canonical form); the frontier still fetches one of each.
     */
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
                                "http://shop.example/catalogue/page-1.html#top",
                                "Page 1 again",
                                false),
                        new Link(
                                "http://shop.example/catalogue/book-1.html?b=2&a=1",
                                "Book 1",
                                true),
                        new Link(
                                "http://shop.example/catalogue/book-1.html?a=1&b=2",
                                "Book 1 sorted",
                                false),
                        new Link("https://WWW.Other.example/x", "Other", false),
                        new Link("http://sub.shop.example/y", "Sub shop", false),
                        new Link("http://shop.example/area-link", "", false));
    }

    @Test
    void extract_withinElements_takesTheLinksOfThoseElementsInsteadOfTheRestrictedOnes() {
        Page page =
                Page.parse(
                        "<div id=a><a href=/1>1</a><a href=/2>2</a></div>"
                                + "<div id=b><a href=/3>3</a></div><a href=/4>4</a>",
                        "http://shop.example/");
        LinkExtractor extractor = LinkExtractor.builder().restrictCss("#b").build();

        assertThat(extractor.extract(page, page.css("#a")))
                .extracting(Link::url)
                .containsExactly("http://shop.example/1", "http://shop.example/2");
        assertThat(extractor.extract(page, page.xpath("//div/a/@href")))
                .as("no element among the results: no links")
                .isEmpty();
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
        assertThat(
                        urls(
                                LinkExtractor.builder()
                                        .allow("/catalogue/", "example/y$")
                                        .deny("#")
                                        .build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html",
                        "http://shop.example/catalogue/book-1.html?b=2&a=1",
                        "http://shop.example/catalogue/book-1.html?a=1&b=2",
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
                .as("canonicalize off: two spellings are two links (the frontier fetches one)")
                .containsExactly(
                        "http://shop.example/catalogue/book-1.html?b=2&a=1",
                        "http://shop.example/catalogue/book-1.html?a=1&b=2");
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
                                        .canonicalize(true)
                                        .build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html",
                        "http://shop.example/catalogue/book-1.html?a=1&b=2",
                        "http://shop.example/area-link");
        assertThat(urls(LinkExtractor.builder().allowDomains("hop.example").build())).isEmpty();
    }

    @Test
    void extract_restrictXpathsAndCss_onlyInsideRegions() {
        assertThat(urls(LinkExtractor.builder().restrictXpaths("//div[@id='nav']").build()))
                .containsExactly(
                        "http://shop.example/catalogue/page-1.html",
                        "http://shop.example/catalogue/catalogue/page-2.html",
                        "http://shop.example/catalogue/page-1.html#top");
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

    /** The image is an extension Scrapy does not follow by default (issue #9). */
    @Test
    void extract_tagsAndAttrs() {
        assertThat(urls(LinkExtractor.builder().tags("IMG").attrs("src").build())).isEmpty();
        assertThat(urls(LinkExtractor.builder().tags("IMG").attrs("src").denyExtensions().build()))
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

    private static List<String> urls(LinkExtractor extractor, String body) {
        Page page = Page.parse("<html><body>" + body + "</body></html>", "http://a.test/dir/");
        return extractor.extract(page).stream().map(Link::url).toList();
    }

    /**
     * {@code deny_extensions} defaults to Scrapy's {@code IGNORED_EXTENSIONS}: the path (not the
     * query) ends with one of them, in any case.
     */
    @ParameterizedTest
    @CsvSource({
        "/a.html, true",
        "/a.png, false",
        "/a.PNG, false",
        "/a.tar.gz, false",
        "/a.gz, true",
        "/a.jpg?x=1, false",
        "/a.pdf#p, false",
        "/a.docx, false",
        "/a.webm, false",
        "/a.js, false",
        "/a.7z, false",
        "/a.php, true",
        "/png, true",
        "/dir.zip/, true",
        "/a.html?f=b.png, true",
    })
    void extract_denyExtensions_scrapyDefaults(String href, boolean followed) {
        List<String> links = urls(LinkExtractor.builder().build(), "<a href='" + href + "'>x</a>");
        assertThat(links).hasSize(followed ? 1 : 0);
    }

    @Test
    void extract_denyExtensions_overridden() {
        String body = "<a href='a.html'>a</a><a href='b.PHP'>b</a><a href='c.png'>c</a>";

        assertThat(urls(LinkExtractor.builder().denyExtensions().build(), body))
                .containsExactly(
                        "http://a.test/dir/a.html",
                        "http://a.test/dir/b.PHP",
                        "http://a.test/dir/c.png");
        assertThat(urls(LinkExtractor.builder().denyExtensions(".php", "HTML").build(), body))
                .containsExactly("http://a.test/dir/c.png");
        assertThat(LinkExtractor.IGNORED_EXTENSIONS).contains("pdf", "jpg", "zip", "mp4", "xlsx");
    }

    /** {@code *} takes every tag or every attribute, as in Scrapy. */
    @Test
    void extract_tagsAndAttrs_star() {
        String body =
                "<a href='a.html' data-next='n.html'>a</a>"
                        + "<img src='i.html' data-src='d.html'>"
                        + "<link href='l.html'>"
                        + "<div data-src='v.html'></div>";
        LinkExtractor.Builder everyTag = LinkExtractor.builder().tags("*");

        assertThat(urls(everyTag.attrs("data-src").build(), body))
                .containsExactly("http://a.test/dir/d.html", "http://a.test/dir/v.html");
        assertThat(urls(LinkExtractor.builder().tags("*").build(), body))
                .containsExactly("http://a.test/dir/a.html", "http://a.test/dir/l.html");
        assertThat(urls(LinkExtractor.builder().attrs("*").build(), body))
                .containsExactly("http://a.test/dir/a.html", "http://a.test/dir/n.html");
        assertThat(urls(LinkExtractor.builder().tags("*").attrs("*").build(), body))
                .containsExactly(
                        "http://a.test/dir/a.html",
                        "http://a.test/dir/n.html",
                        "http://a.test/dir/i.html",
                        "http://a.test/dir/d.html",
                        "http://a.test/dir/l.html",
                        "http://a.test/dir/v.html");
    }

    @Test
    void extract_uniqueFalse_keepsEveryLink() {
        String body = "<a href='a.html'>1</a><a href='a.html'>2</a><a href='a.html#x'>3</a>";

        assertThat(urls(LinkExtractor.builder().unique(false).build(), body))
                .containsExactly(
                        "http://a.test/dir/a.html",
                        "http://a.test/dir/a.html",
                        "http://a.test/dir/a.html#x");
        assertThat(urls(LinkExtractor.builder().build(), body))
                .containsExactly("http://a.test/dir/a.html", "http://a.test/dir/a.html#x");
        assertThat(urls(LinkExtractor.builder().canonicalize(true).build(), body))
                .containsExactly("http://a.test/dir/a.html");
    }

    /**
     * {@code process_value} sees the value resolved against the page but not yet encoded (as
     * Scrapy's does), may rewrite it (a relative result is resolved again) or drop it (null).
     */
    @Test
    void extract_processValue_rewritesOrDrops() {
        String body =
                "<a href=\"javascript:goToPage('../other/page.html'); return false\">js</a>"
                        + "<a href='skip me.html'>skip</a>"
                        + "<a href='keep.html'>keep</a>";
        java.util.regex.Pattern call =
                java.util.regex.Pattern.compile("javascript:goToPage\\('(.*?)'");
        List<String> seen = new java.util.ArrayList<>();
        LinkExtractor extractor =
                LinkExtractor.builder()
                        .processValue(
                                value -> {
                                    seen.add(value);
                                    java.util.regex.Matcher m = call.matcher(value);
                                    if (m.find()) {
                                        return m.group(1);
                                    }
                                    return value.contains("skip") ? null : value;
                                })
                        .build();

        assertThat(urls(extractor, body))
                .containsExactly("http://a.test/other/page.html", "http://a.test/dir/keep.html");
        assertThat(seen)
                .containsExactly(
                        "javascript:goToPage('../other/page.html'); return false",
                        "http://a.test/dir/skip me.html",
                        "http://a.test/dir/keep.html");
    }

    /**
     * Backslashes in links are read as browsers read them (WHATWG URL, #9): slashes in the
     * authority and path, kept (encoded) in the query; before, {@code \\other.test\x} was a path on
     * the page's own host and {@code a\b} one segment {@code a%5Cb}.
     */
    @Test
    void extract_backslashes_asBrowsersReadThem() {
        String body =
                "<a href='\\\\other.test\\x'>1</a><a href='a\\b.html'>2</a>"
                        + "<a href='/\\third.test/y'>3</a><a href='p.html?q=a\\b'>4</a>"
                        + "<a href='http:\\\\fourth.test\\z'>5</a>";

        assertThat(urls(LinkExtractor.builder().build(), body))
                .containsExactly(
                        "http://other.test/x",
                        "http://a.test/dir/a/b.html",
                        "http://third.test/y",
                        "http://a.test/dir/p.html?q=a%5Cb",
                        "http://fourth.test/z");
    }

    /** A link's query is encoded in the page's encoding, its path in UTF-8 (issue #9). */
    @Test
    void extract_queryInThePageEncoding() {
        Page page =
                Page.parse(
                        "<a href='/é/s?q=é'>é</a>",
                        "http://a.test/",
                        java.nio.charset.Charset.forName("windows-1252"));

        assertThat(LinkExtractor.builder().build().extract(page))
                .extracting(Link::url)
                .containsExactly("http://a.test/%C3%A9/s?q=%E9");
        assertThat(page.charset().name()).isEqualTo("windows-1252");
    }

    /**
     * An international host name is crawlable (issue #9: it was percent-encoded, the request
     * refused, the site skipped): link, request and fingerprint are the punycode host's.
     */
    @Test
    void internationalHost_linkRequestAndFingerprint_arePunycode() {
        List<String> links =
                urls(
                        LinkExtractor.builder().allowDomains("bücher.de").build(),
                        "<a href='http://www.bücher.de/katalog?q=ä'>x</a>"
                                + "<a href='http://other.de/'>y</a>");

        assertThat(links).containsExactly("http://www.xn--bcher-kva.de/katalog?q=%C3%A4");
        org.arachne.http.Request request = org.arachne.http.Request.get(links.get(0));
        assertThat(request.host()).isEqualTo("www.xn--bcher-kva.de");
        assertThat(org.arachne.frontier.Fingerprint.of(request))
                .isEqualTo(
                        org.arachne.frontier.Fingerprint.of(
                                org.arachne.http.Request.get(
                                        "http://www.XN--BCHER-KVA.de/katalog?q=%c3%a4")));
    }
}
