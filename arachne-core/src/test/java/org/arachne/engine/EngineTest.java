package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EngineTest {
    private static final Pattern LINK = Pattern.compile("href=\"([^\"]+)\"");
    private static final Pattern TITLE = Pattern.compile("<h1>([^<]+)</h1>");

    /** Emits the h1 as an item and follows every href. */
    static class LinkSpider implements Spider {
        final List<String> starts;

        LinkSpider(String... starts) {
            this.starts = List.of(starts);
        }

        @Override
        public String name() {
            return "links";
        }

        @Override
        public List<String> startUrls() {
            return starts;
        }

        @Override
        public void parse(Response response, Output out) {
            Matcher title = TITLE.matcher(response.text());
            if (title.find()) {
                out.item(Item.of("title", title.group(1), "url", response.url()));
            }
            Matcher m = LINK.matcher(response.text());
            while (m.find()) {
                out.follow(m.group(1));
            }
        }
    }

    private static String page(String title, String... links) {
        StringBuilder sb = new StringBuilder("<html><body><h1>" + title + "</h1>");
        for (String l : links) {
            sb.append("<a href=\"").append(l).append("\">x</a>");
        }
        return sb.append("</body></html>").toString();
    }

    private static FakeWeb site() {
        return new FakeWeb()
                .page("http://a.test/robots.txt", "User-agent: *\nDisallow: /private/\n")
                .page(
                        "http://a.test/",
                        page("home", "/1", "/2", "/private/secret", "http://elsewhere.test/"))
                .page("http://a.test/1", page("one", "/2", "/", "/1#top"))
                .page("http://a.test/2", page("two", "/3"))
                .page("http://a.test/3", page("three"))
                .page("http://a.test/private/secret", page("secret"));
    }

    private static CrawlResult crawl(
            Spider spider, FakeWeb web, Map<String, ?> settings, List<Item> sink) {
        return Crawler.builder(spider)
                .downloader(web)
                .settings(settings)
                .pipeline(
                        item -> {
                            sink.add(item);
                            return item;
                        })
                .build()
                .run();
    }

    @Test
    void crawl_followsLinks_obeysRobots_staysOnSite_dedups() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("allowed_domains", "a.test"),
                        items);

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(items)
                .extracting(i -> i.get("title"))
                .containsExactlyInAnyOrder("home", "one", "two", "three");
        assertThat(web.fetched)
                .doesNotContain("http://a.test/private/secret", "http://elsewhere.test/");
        assertThat(web.count("http://a.test/robots.txt")).isEqualTo(1);
        assertThat(web.count("http://a.test/1")).isEqualTo(1);
        assertThat(result.stats())
                .containsEntry("robotstxt/forbidden", 1L)
                .containsEntry("offsite/filtered", 1L)
                .containsEntry("item_scraped_count", 4L);
        assertThat(result.stats().get("dupefilter/filtered")).isGreaterThanOrEqualTo(3L);
        assertThat(web.closed).isTrue();
    }

    /**
     * {@code data:} requests are answered from their URL (#9), past every stage that makes sense
     * for them: no robots.txt (they have no origin), no offsite filter (they leave no site), no
     * delay (their slot, {@code data:}, reaches no server), dedup as any request.
     */
    @Test
    void dataUrls_areAnsweredFromTheUrl_withoutRobotsTxtOrADelay() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();
        LinkSpider spider =
                new LinkSpider(
                        "data:text/html,<h1>one</h1>",
                        "data:text/html,<h1>two</h1>",
                        "data:text/html;base64,PGgxPnRocmVlPC9oMT4=",
                        "data:text/html,<h1>one</h1>");

        CrawlResult result =
                crawl(
                        spider,
                        web,
                        Map.of("allowed_domains", "a.test", "download_delay", "30s"),
                        items);

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(items)
                .extracting(i -> i.get("title"))
                .containsExactlyInAnyOrder("one", "two", "three");
        assertThat(web.fetched).isEmpty();
        assertThat(result.errors()).isZero();
        assertThat(result.stats())
                .containsEntry("downloader/response_status_count/200", 3L)
                .containsEntry("dupefilter/filtered", 1L)
                .doesNotContainKey("robotstxt/request_count")
                .doesNotContainKey("politeness/delay_set_by/download_delay");
    }

    /** A page's {@code data:} links are not followed, as Scrapy's link extractor skips them. */
    @Test
    void dataUrlPage_itsHttpLinksAreFollowed_itsDataLinksAreNot() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();
        String start =
                "data:text/html,<h1>inline</h1><a href=\"http://a.test/3\">3</a>"
                        + "<a href=\"data:text/html,<h1>nested</h1>\">d</a>";

        CrawlResult result =
                crawl(new LinkSpider(start), web, Map.of("allowed_domains", "a.test"), items);

        assertThat(items)
                .extracting(i -> i.get("title"))
                .containsExactlyInAnyOrder("inline", "three");
        assertThat(result.stats()).containsEntry("link/skipped/not_http", 1L);
        assertThat(result.errors()).isZero();
    }

    @Test
    void callbackThatThrows_isCountedAndTheCrawlGoesOn() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();
        Spider spider =
                new LinkSpider("http://a.test/") {
                    @Override
                    public void parse(Response response, Output out) {
                        if (response.url().endsWith("/1")) {
                            throw new IllegalStateException("broken page");
                        }
                        super.parse(response, out);
                    }
                };
        CrawlResult result = crawl(spider, web, Map.of("allowed_domains", "a.test"), items);

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.errorsByKind()).containsEntry("callback/IllegalStateException", 1L);
        assertThat(items).extracting(i -> i.get("title")).contains("home", "two", "three");
    }

    @Test
    void requestForACallbackTheSpiderHasNot_failsForGoodUnfetched_andTheCrawlGoesOn() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();
        Spider spider =
                new LinkSpider() {
                    @Override
                    public List<Request> startRequests() {
                        return List.of(
                                Request.get("http://a.test/3"),
                                Request.get("http://a.test/2", "noSuchMethod"));
                    }
                };
        CrawlResult result = crawl(spider, web, Map.of(), items);

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(web.fetched).containsExactly("http://a.test/robots.txt", "http://a.test/3");
        assertThat(result.stats())
                .containsEntry("callback_missing/noSuchMethod", 1L)
                .containsEntry("error_count/callback/missing", 1L)
                .containsEntry("dead_letter_count", 1L);
        assertThat(items).extracting(i -> i.get("title")).containsExactly("three");
    }

    @Test
    void retryableStatus_isRetriedWithBackoff_thenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        FakeWeb web =
                new FakeWeb()
                        .route(
                                "http://a.test/",
                                r ->
                                        FakeWeb.html(
                                                r,
                                                calls.incrementAndGet() <= 2 ? 503 : 200,
                                                page("ok")));
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("robotstxt_obey", false, "retry_backoff_base", "5ms"),
                        items);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(items).hasSize(1);
        assertThat(result.stats()).containsEntry("retry/count", 2L);
        assertThat(result.errors()).isZero();
    }

    @Test
    void retriesExhausted_isAnErrorByStatus() {
        FakeWeb web = new FakeWeb().route("http://a.test/", r -> FakeWeb.html(r, 500, "down"));
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of(
                                "robotstxt_obey",
                                false,
                                "retry_backoff_base",
                                "1ms",
                                "retry_times",
                                1),
                        new CopyOnWriteArrayList<>());
        assertThat(web.count("http://a.test/")).isEqualTo(2);
        assertThat(result.errorsByKind()).containsEntry("http_status/500", 1L);
        assertThat(result.stats()).containsEntry("retry/max_reached", 1L);
    }

    @Test
    void connectionErrors_areRetriedThenCounted() {
        FakeWeb web = new FakeWeb().route("http://a.test/", r -> null);
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("robotstxt_obey", false, "retry_backoff_base", "1ms"),
                        new CopyOnWriteArrayList<>());
        assertThat(web.count("http://a.test/")).isEqualTo(3);
        assertThat(result.errorsByKind()).containsEntry("download/connection_reset", 1L);
    }

    @Test
    void redirectChain_isFollowed_andLoopIsStopped() {
        FakeWeb web =
                new FakeWeb()
                        .route("http://a.test/", r -> FakeWeb.redirect(r, "/step"))
                        .route(
                                "http://a.test/step",
                                r -> FakeWeb.redirect(r, "http://a.test/final"))
                        .page("http://a.test/final", page("final", "/loop-a"))
                        .route("http://a.test/loop-a", r -> FakeWeb.redirect(r, "/loop-b"))
                        .route("http://a.test/loop-b", r -> FakeWeb.redirect(r, "/loop-a"));
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("robotstxt_obey", false),
                        items);
        assertThat(items).extracting(i -> i.get("title")).containsExactly("final");
        assertThat(result.errorsByKind()).containsEntry("redirect/loop", 1L);
        assertThat(web.count("http://a.test/loop-a")).isEqualTo(1);
    }

    @Test
    void redirectMaxTimes_stopsLongChains() {
        FakeWeb web = new FakeWeb();
        for (int i = 0; i < 10; i++) {
            int next = i + 1;
            web.route("http://a.test/r" + i, r -> FakeWeb.redirect(r, "/r" + next));
        }
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/r0"),
                        web,
                        Map.of("robotstxt_obey", false, "redirect_max_times", 3),
                        new CopyOnWriteArrayList<>());
        assertThat(result.errorsByKind()).containsEntry("redirect/max_times", 1L);
        assertThat(web.fetched).hasSize(4);
    }

    @Test
    void closespiderItemcount_endsTheCrawlEarly() {
        FakeWeb web = new FakeWeb();
        for (int i = 0; i < 200; i++) {
            web.page("http://a.test/" + i, page("p" + i, "/" + (i + 1)));
        }
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/0"),
                        web,
                        Map.of("robotstxt_obey", false, "closespider_itemcount", 5),
                        items);
        assertThat(result.status()).isEqualTo(CrawlResult.Status.CLOSED);
        assertThat(result.reason()).isEqualTo("closespider_itemcount");
        assertThat(items.size()).isBetween(5, 6);
    }

    @Test
    void depthLimit_dropsDeeperLinks() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("depth_limit", 1, "allowed_domains", "a.test"),
                        items);
        assertThat(items)
                .extracting(i -> i.get("title"))
                .containsExactlyInAnyOrder("home", "one", "two");
        assertThat(result.stats().get("depth/filtered")).isPositive();
    }

    @Test
    void notFound_isIgnoredWithoutCallingTheCallback() {
        FakeWeb web = new FakeWeb().page("http://a.test/", page("home", "/missing"));
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("robotstxt_obey", false),
                        items);
        assertThat(items).hasSize(1);
        assertThat(result.stats()).containsEntry("httperror/response_ignored_status_count/404", 1L);
        assertThat(result.errors()).isZero();
    }

    @Test
    void pipelineDropsAndFailures_areCounted() {
        FakeWeb web = site();
        List<Item> kept = new CopyOnWriteArrayList<>();
        CrawlResult result =
                Crawler.builder(new LinkSpider("http://a.test/"))
                        .downloader(web)
                        .setting("allowed_domains", "a.test")
                        .pipeline(item -> "one".equals(item.get("title")) ? null : item)
                        .pipeline(
                                item -> {
                                    if ("two".equals(item.get("title"))) {
                                        throw new IllegalArgumentException("bad item");
                                    }
                                    kept.add(item);
                                    return item;
                                })
                        .build()
                        .run();
        assertThat(kept).extracting(i -> i.get("title")).containsExactlyInAnyOrder("home", "three");
        assertThat(result.stats()).containsEntry("item_dropped_count", 2L);
        assertThat(result.errorsByKind()).containsEntry("pipeline/IllegalArgumentException", 1L);
        assertThat(result.items()).isEqualTo(2);
    }

    @Test
    void robotsServerError_disallowsThenRetries_thenGivesUp() {
        AtomicInteger robotsCalls = new AtomicInteger();
        FakeWeb web =
                new FakeWeb()
                        .route(
                                "http://a.test/robots.txt",
                                r -> {
                                    robotsCalls.incrementAndGet();
                                    return FakeWeb.html(r, 503, "down");
                                })
                        .page("http://a.test/", page("home"));
        CrawlResult result =
                crawl(
                        new LinkSpider("http://a.test/"),
                        web,
                        Map.of("retry_backoff_base", "5ms", "retry_times", 1),
                        new CopyOnWriteArrayList<>());
        assertThat(robotsCalls.get()).isEqualTo(2);
        assertThat(web.count("http://a.test/"))
                .as("never fetched while robots.txt is unknown")
                .isZero();
        assertThat(result.errorsByKind()).containsEntry("robotstxt/unavailable", 1L);
        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
    }

    @Test
    void robots404_allowsEverything() {
        FakeWeb web =
                new FakeWeb()
                        .page("http://a.test/", page("home", "/private/x"))
                        .page("http://a.test/private/x", page("x"));
        List<Item> items = new CopyOnWriteArrayList<>();
        crawl(new LinkSpider("http://a.test/"), web, Map.of(), items);
        assertThat(items).hasSize(2);
    }
}
