package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BookSiteTest {
    private static final List<String> BASES =
            List.of("http://127.0.0.11:8080", "http://127.0.0.12:8080", "http://127.0.0.13:8080");

    private static BookSite site(long seed) {
        return new BookSite(BASES, 60, seed);
    }

    @Test
    void page_sameSeed_sameBytes() {
        BookSite a = site(7);
        BookSite b = site(7);
        for (String path :
                List.of("/", "/catalogue/book-00001.html", "/catalogue/book-00059.html")) {
            assertThat(b.resolve(1, path).body()).isEqualTo(a.resolve(1, path).body());
        }
    }

    @Test
    void page_otherSeed_otherBytes() {
        assertThat(site(8).resolve(0, "/catalogue/book-00003.html").body())
                .isNotEqualTo(site(7).resolve(0, "/catalogue/book-00003.html").body());
    }

    @Test
    void items_indexHas20_bookPagesHave10To14() {
        BookSite s = site(1);
        assertThat(s.items(0, 0)).hasSize(20);
        for (int j = 1; j < 60; j++) {
            assertThat(s.items(2, j)).hasSizeBetween(10, 14);
        }
    }

    @Test
    void items_linkTreeChildrenOnSameHost() {
        BookSite s = site(1);
        assertThat(s.items(1, 2))
                .extracting(BookSite.Item::link)
                .contains(
                        "http://127.0.0.12:8080/catalogue/book-00011.html",
                        "http://127.0.0.12:8080/catalogue/book-00015.html")
                .allMatch(link -> link.startsWith("http://127.0.0.12:8080/catalogue/"));
    }

    @Test
    void page_isLargeHtmlWithEscapedTitlesAndFooter() {
        BookSite s = site(1);
        String html =
                new String(
                        s.resolve(0, "/catalogue/book-00004.html").body(), StandardCharsets.UTF_8);
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isBetween(14_000, 26_000);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<p class=\"price_color\">£")
                .contains("<a href=\"/private/account.html\">")
                .contains("我们喜欢被爬取")
                .contains("<li class=\"previous\"><a href=\"book-00003.html\">")
                .contains("<li class=\"next\"><a href=\"book-00005.html\">")
                .containsPattern("<a href=\"http://127\\.0\\.0\\.1[23]:8080/");
    }

    @Test
    void titles_includeChineseAndEscapedSpecialCharacters() {
        BookSite s = site(1);
        StringBuilder all = new StringBuilder();
        for (int j = 1; j < 60; j++) {
            all.append(s.book(0, j).title()).append('\n');
        }
        assertThat(all).containsPattern("\\p{IsHan}").containsPattern("[£&é—]|#1-");
        assertThat(s.book(0, 5).price()).matches("£\\d{1,2}\\.\\d{2}");
        assertThat(BookSite.escape("A & B \"é\" — <x>'", true))
                .isEqualTo("A &amp; B &quot;é&quot; — &lt;x&gt;&#x27;");
        assertThat(BookSite.escape("\"q\"", false)).isEqualTo("\"q\"");
    }

    @Test
    void robotsTxt_disallowsPrivateForEveryone() {
        BookSite.Resource robots = site(1).resolve(1, "/robots.txt");
        assertThat(robots.contentType()).startsWith("text/plain");
        assertThat(new String(robots.body(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "# Books to Scrape 2\nUser-agent: *\nDisallow: /private/\nAllow: /\n\n"
                                + "Sitemap: http://127.0.0.12:8080/sitemap.xml\n");
    }

    @Test
    void resolve_privatePagesExist_unknownPathsDoNot() {
        BookSite s = site(1);
        assertThat(s.resolve(0, "/private/account.html")).isNotNull();
        assertThat(s.resolve(0, "/private/orders-5.html")).isNotNull();
        assertThat(s.resolve(0, "/private/orders-6.html")).isNull();
        assertThat(s.resolve(0, "/catalogue/book-00060.html")).isNull();
        assertThat(s.resolve(0, "/catalogue/book-00000.html")).isNull();
        assertThat(s.resolve(0, "/nothing")).isNull();
        assertThat(new String(s.resolve(2, "/sitemap.xml").body(), StandardCharsets.UTF_8))
                .contains("<loc>http://127.0.0.13:8080/catalogue/book-00059.html</loc>");
    }
}
