package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SitemapFiles;
import org.arachne.spider.Output;
import org.arachne.spider.Sitemaps;
import org.arachne.spider.Spider;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.arachne.spider.yaml.YamlSpiders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crawls that start from sitemaps only (no spider follows a link), checked against what the sandbox
 * serves: its manifest, the pages its sitemap files list, and its request logs.
 */
@Timeout(60)
class SitemapCrawlIT {
    private static final String HOST_1 = "127.0.0.71";
    private static final String HOST_2 = "127.0.0.72";
    private static final int PAGES = 40;
    private static final Pattern PAGE_NUMBER = Pattern.compile("book-(\\d{5})\\.html");
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox =
                Sandbox.builder()
                        .hosts(List.of(HOST_1, HOST_2))
                        .pagesPerHost(PAGES)
                        .seed(3)
                        .build()
                        .start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    /** Records "callback url" of every response; follows no links. */
    static class SitemapSpider implements Spider {
        final Queue<String> parsed = new ConcurrentLinkedQueue<>();
        private final Sitemaps sitemaps;
        private final Set<String> allowedDomains;

        SitemapSpider(Sitemaps sitemaps, String... allowedDomains) {
            this.sitemaps = sitemaps;
            this.allowedDomains = Set.of(allowedDomains);
        }

        @Override
        public String name() {
            return "sitemaps";
        }

        @Override
        public Sitemaps sitemaps() {
            return sitemaps;
        }

        @Override
        public Set<String> allowedDomains() {
            return allowedDomains;
        }

        @Override
        public void parse(Response response, Output out) {
            parsed.add(response.url());
        }

        List<String> urls() {
            return List.copyOf(parsed);
        }
    }

    /** Routes book pages and the home page to two callbacks through method references. */
    static final class RoutingSpider extends SitemapSpider {
        RoutingSpider(String sitemapUrl) {
            super(Sitemaps.builder().urls(sitemapUrl).build());
        }

        @Override
        public Sitemaps sitemaps() {
            return Sitemaps.builder()
                    .urls(super.sitemaps().urls())
                    .rule("/catalogue/book-0000", this::parseBook)
                    .rule("/$", this::parseHome)
                    .build();
        }

        void parseBook(Response response, Output out) {
            parsed.add("book " + response.url());
            out.item(Item.of("title", response.xpath("//h1/text()").get()));
        }

        void parseHome(Response response, Output out) {
            parsed.add("home " + response.url());
        }
    }

    private static String url(String host, String path) {
        return sandbox.baseUrl(host) + path.substring(1);
    }

    private static CrawlRun crawl(Spider spider) {
        return CrawlRun.of(spider, Map.of("concurrent_requests", 8));
    }

    /** The URLs of the pages of {@code host}, index included. */
    private static List<String> pagesOf(String host) {
        String base = sandbox.baseUrl(host);
        return sandbox.manifest().crawlableUrls().stream().filter(u -> u.startsWith(base)).toList();
    }

    private static int pageNumber(String url) {
        Matcher m = PAGE_NUMBER.matcher(url);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Requests of {@code host} for pages (not robots.txt, not sitemaps). */
    private static List<String> pageRequests(String host) {
        List<String> paths = new ArrayList<>();
        for (RequestStart start : sandbox.log(host).starts()) {
            String path = start.path();
            if (path.equals("/")
                    || path.startsWith("/catalogue/")
                    || path.startsWith("/private/")) {
                paths.add(start.target());
            }
        }
        return paths;
    }

    @Test
    void robotsTxtOfEveryHost_crawlsExactlyTheManifestPages_eachOnce() {
        SitemapSpider spider =
                new SitemapSpider(
                        Sitemaps.builder()
                                .urls(url(HOST_1, "/robots.txt"), url(HOST_2, "/robots.txt"))
                                .build());

        CrawlRun run = crawl(spider);

        assertThat(run.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(run.result().errors()).isZero();
        assertThat(spider.urls())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sandbox.manifest().crawlableUrls());
        for (String host : List.of(HOST_1, HOST_2)) {
            assertThat(pageRequests(host)).as(host).hasSize(PAGES).doesNotHaveDuplicates();
            assertThat(sandbox.log(host).count("/sitemap.xml")).isEqualTo(1);
        }
        assertThat(run.result().stats())
                .containsEntry("sitemap/robotstxt", 2L)
                .containsEntry("sitemap/sitemaps", 2L)
                .containsEntry("sitemap/urls", (long) sandbox.manifest().crawlablePages());
    }

    @Test
    void index_readsEveryEncodingOfItsParts_andCountsTheBrokenSitemaps() {
        SitemapSpider spider =
                new SitemapSpider(Sitemaps.builder().urls(url(HOST_1, SitemapFiles.INDEX)).build());

        CrawlRun run = crawl(spider);

        assertThat(run.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(spider.urls()).containsExactlyInAnyOrderElementsOf(pagesOf(HOST_1));
        assertThat(pageRequests(HOST_1)).hasSize(PAGES);
        assertThat(pageRequests(HOST_2)).isEmpty();
        for (String part : SitemapFiles.partPaths()) {
            assertThat(sandbox.log(HOST_1).count(part)).as(part).isEqualTo(1);
        }
        assertThat(run.result().errorsByKind())
                .containsOnly(
                        Map.entry("sitemap/invalid", 1L),
                        Map.entry("sitemap/http_status/404", 1L),
                        Map.entry("sitemap/bad_gzip", 1L));
        assertThat(run.result().stats())
                .containsEntry("sitemap/sitemaps", 1L + SitemapFiles.PARTS)
                .containsEntry("sitemap/urls", (long) PAGES);
    }

    @Test
    void sitemapFollow_fetchesOnlyTheSitemapsItMatches() {
        SitemapSpider spider =
                new SitemapSpider(
                        Sitemaps.builder()
                                .urls(url(HOST_1, SitemapFiles.INDEX))
                                .follow("/books-[12]\\.")
                                .build());

        CrawlRun run = crawl(spider);

        assertThat(run.result().errors()).isZero();
        assertThat(spider.urls())
                .containsExactlyInAnyOrderElementsOf(
                        pagesOf(HOST_1).stream()
                                .filter(u -> pageNumber(u) % SitemapFiles.PARTS < 2)
                                .toList());
        assertThat(sandbox.log(HOST_1).paths())
                .doesNotContain(
                        SitemapFiles.BROKEN, SitemapFiles.MISSING, "/sitemaps/books-3.xml.gz");
        assertThat(run.result().stats()).containsEntry("sitemap/filtered/follow", 6L);
    }

    @Test
    void sitemapFollow_appliesToTheSitemapsOfRobotsTxt() {
        SitemapSpider spider =
                new SitemapSpider(
                        Sitemaps.builder()
                                .urls(url(HOST_1, "/robots.txt"))
                                .follow("sitemap_index")
                                .build());

        CrawlRun run = crawl(spider);

        assertThat(spider.urls()).isEmpty();
        assertThat(sandbox.log(HOST_1).count("/sitemap.xml")).isZero();
        assertThat(run.result().stats()).containsEntry("sitemap/filtered/follow", 1L);
    }

    @Test
    void sitemapRules_routePagesToTwoCallbacks_andDropThePagesNoRuleMatches() {
        RoutingSpider spider = new RoutingSpider(url(HOST_1, "/sitemap.xml"));

        CrawlRun run = crawl(spider);

        List<String> expected = new ArrayList<>();
        expected.add("home " + url(HOST_1, "/"));
        for (String page : pagesOf(HOST_1)) {
            int j = pageNumber(page);
            if (j >= 1 && j <= 9) {
                expected.add("book " + page);
            }
        }
        assertThat(spider.urls()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pageRequests(HOST_1)).hasSize(10);
        assertThat(run.items()).hasSize(9).allSatisfy(i -> assertThat(i.get("title")).isNotNull());
        assertThat(run.result().stats()).containsEntry("sitemap/filtered/no_rule", 30L);
    }

    @Test
    void alternateLinks_off_crawlsOnlyTheEntries() {
        SitemapSpider spider =
                new SitemapSpider(
                        Sitemaps.builder().urls(url(HOST_1, SitemapFiles.ALTERNATES)).build());

        crawl(spider);

        assertThat(spider.urls())
                .hasSize(SitemapFiles.ALTERNATE_ENTRIES)
                .noneMatch(u -> u.contains("?lang="));
        assertThat(pageRequests(HOST_1)).hasSize(SitemapFiles.ALTERNATE_ENTRIES);
    }

    @Test
    void alternateLinks_on_alsoCrawlsEachAlternateUrlOnce() {
        SitemapSpider spider =
                new SitemapSpider(
                        Sitemaps.builder()
                                .urls(url(HOST_1, SitemapFiles.ALTERNATES))
                                .alternateLinks(true)
                                .build());

        CrawlRun run = crawl(spider);

        List<String> entries =
                pagesOf(HOST_1).stream()
                        .filter(
                                u ->
                                        pageNumber(u) >= 1
                                                && pageNumber(u) <= SitemapFiles.ALTERNATE_ENTRIES)
                        .toList();
        List<String> expected = new ArrayList<>(entries);
        entries.forEach(u -> expected.add(u + "?lang=fr"));
        assertThat(spider.urls()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pageRequests(HOST_1)).hasSize(2 * SitemapFiles.ALTERNATE_ENTRIES);
        assertThat(run.result().stats())
                .containsEntry("sitemap/alternate_urls", (long) SitemapFiles.ALTERNATE_ENTRIES)
                .containsEntry("dupefilter/filtered", 0L);
    }

    @Test
    void offsiteEntries_areDroppedAndCounted() {
        SitemapSpider spider =
                new SitemapSpider(
                        Sitemaps.builder().urls(url(HOST_1, SitemapFiles.PARTNERS)).build(),
                        HOST_1);

        CrawlRun run = crawl(spider);

        assertThat(spider.urls())
                .hasSize(SitemapFiles.PARTNER_ENTRIES)
                .allMatch(u -> u.startsWith(sandbox.baseUrl(HOST_1)));
        assertThat(sandbox.log(HOST_2).count()).isZero();
        assertThat(run.result().stats())
                .containsEntry("offsite/filtered", (long) SitemapFiles.PARTNER_ENTRIES);
    }

    @Test
    void yamlSpider_sitemapRulesToTwoItemBlocks_extractsEveryListedPageOnce() {
        String yaml =
                String.format(
                        Locale.ROOT,
                        """
                name: sitemap-books
                sitemap_urls: [%s, %s]
                sitemap_rules:
                  - {regex: /catalogue/, callback: book}
                  - {regex: '/$', callback: home}
                items:
                  - name: book
                    fields:
                      title: {xpath: "//h1/text()", required: true}
                  - name: home
                    fields:
                      heading: "//div[@class='page-header action']/h1/text()"
                """,
                        url(HOST_1, "/robots.txt"),
                        url(HOST_2, "/robots.txt"));
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "books.yaml"));

        CrawlRun run = crawl(spider);

        assertThat(run.result().errors()).isZero();
        assertThat(run.items()).hasSize(2 * PAGES);
        assertThat(
                        run.items().stream()
                                .filter(i -> i.get("title") != null)
                                .map(i -> i.get("title")))
                .hasSize(2 * (PAGES - 1))
                .doesNotHaveDuplicates();
        assertThat(run.items().stream().filter(i -> i.get("heading") != null))
                .hasSize(2)
                .allSatisfy(i -> assertThat(i.get("heading")).isEqualTo("All products"));
        for (String host : List.of(HOST_1, HOST_2)) {
            assertThat(pageRequests(host)).as(host).hasSize(PAGES).doesNotHaveDuplicates();
        }
    }
}
