package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.spider.Output;
import org.arachne.spider.Sitemaps;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What callbacks emit, as a crawl sees it: items checked when made, links, callbacks, seeds. */
@Timeout(20)
class CallbackOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private abstract static class OnePageSpider implements Spider {
        @Override
        public String name() {
            return "one-page";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/");
        }
    }

    private static FakeWeb web(String html) {
        return new FakeWeb().page("http://a.test/", html);
    }

    private static CrawlResult crawl(Spider spider, FakeWeb web, Feed... feeds) {
        Crawler.Builder builder =
                Crawler.builder(spider).downloader(web).setting("robotstxt_obey", false);
        for (Feed feed : feeds) {
            builder.feed(feed);
        }
        return builder.build().run();
    }

    @Test
    void itemWithAValueNoExporterCanWrite_failsTheCallback_andEveryOutputStaysValid()
            throws Exception {
        Spider spider =
                new OnePageSpider() {
                    @Override
                    public void parse(Response response, Output out) {
                        out.item(Item.of("n", 1, "offers", List.of(Map.of("price", 2))));
                        out.item(
                                Item.of(
                                        "n",
                                        2,
                                        "offers",
                                        List.of(
                                                Map.of("price", 3),
                                                Map.of("price", Instant.EPOCH))));
                        out.item(Item.of("n", 3)); // never reached: the callback failed above
                    }
                };
        Path jsonl = dir.resolve("items.jsonl");
        Path json = dir.resolve("items.json");
        Path csv = dir.resolve("items.csv");
        Logger log = (Logger) LoggerFactory.getLogger(CrawlEvents.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        CrawlResult result;
        try {
            result =
                    crawl(
                            spider,
                            web("<html></html>"),
                            Feed.of(jsonl, true),
                            Feed.of(json, true),
                            Feed.of(csv, true));
        } finally {
            log.detachAppender(logged);
        }

        assertThat(result.errorsByKind()).containsEntry("callback/IllegalArgumentException", 1L);
        assertThat(result.items()).isEqualTo(1);
        assertThat(logged.list)
                .anySatisfy(
                        event ->
                                assertThat(event.getFormattedMessage())
                                        .contains("http://a.test/")
                                        .contains(
                                                "item field 'offers[1].price' holds a"
                                                        + " java.time.Instant"));

        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        for (String line : lines) {
            assertThat(JSON.readTree(line).get("n").asInt()).isEqualTo(1);
        }
        JsonNode array = JSON.readTree(json.toFile());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(1);
        List<Map<String, String>> rows =
                new CsvMapper()
                        .readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .<Map<String, String>>readValues(csv.toFile())
                        .readAll();
        assertThat(rows).containsExactly(Map.of("n", "1", "offers", "[{\"price\":2}]"));
    }

    /** Not a spider: a request would name its method, and the crawl would call the spider's. */
    static final class Helper {
        void parse(Response response, Output out) {
            out.item(Item.of("from", "helper"));
        }
    }

    @Test
    void followWithAMethodOfAnotherObject_isRefused_asACallbackError() {
        Helper helper = new Helper();
        Logger log = (Logger) LoggerFactory.getLogger(CrawlEvents.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        CrawlResult result;
        FakeWeb web = web("<html></html>").page("http://a.test/next", "<html></html>");
        try {
            result =
                    crawl(
                            new OnePageSpider() {
                                @Override
                                public void parse(Response response, Output out) {
                                    out.follow("/next", helper::parse);
                                }
                            },
                            web);
        } finally {
            log.detachAppender(logged);
        }

        assertThat(result.errorsByKind()).containsEntry("callback/IllegalArgumentException", 1L);
        assertThat(web.fetched).containsExactly("http://a.test/");
        assertThat(logged.list)
                .anySatisfy(
                        event ->
                                assertThat(event.getFormattedMessage())
                                        .contains("http://a.test/")
                                        .contains("not of the crawl's spider")
                                        .contains("this::parseBook"));
    }

    @Test
    void everyFollow_resolvesTheLink_andSkipsAndCountsTheBadOnes() {
        String html = "<html></html>";
        FakeWeb web =
                web(html)
                        .page("http://a.test/plain", html)
                        .page("http://a.test/named", html)
                        .page("http://a.test/dir/adjusted", html);
        Spider spider =
                new OnePageSpider() {
                    @Override
                    public void parse(Response response, Output out) {
                        if (!response.url().equals("http://a.test/")) {
                            out.item(
                                    Item.of(
                                            "url", response.url(),
                                            "callback", response.request().callbackName(),
                                            "from", response.meta("from"),
                                            "depth", response.request().depth()));
                            return;
                        }
                        for (String bad :
                                List.of("mailto:a@a.test", "javascript:void(0)", "http://")) {
                            out.follow(bad);
                            out.follow(bad, this::parseLeaf);
                            out.follow(bad, this::parseLeaf, r -> r.withMeta("from", "home"));
                        }
                        out.follow("plain");
                        out.follow("/named", this::parseLeaf);
                        out.follow(
                                "dir/adjusted", this::parseLeaf, r -> r.withMeta("from", "home"));
                    }

                    void parseLeaf(Response response, Output out) {
                        parse(response, out);
                    }
                };
        List<Item> items = new java.util.concurrent.CopyOnWriteArrayList<>();
        CrawlResult result =
                Crawler.builder(spider)
                        .downloader(web)
                        .setting("robotstxt_obey", false)
                        .pipeline(
                                item -> {
                                    items.add(item);
                                    return item;
                                })
                        .build()
                        .run();

        assertThat(result.errors()).isZero();
        assertThat(result.stats())
                .containsEntry("link/skipped/not_http", 6L)
                .containsEntry("link/skipped/invalid_url", 3L);
        assertThat(items)
                .extracting(Item::fields)
                .containsExactlyInAnyOrder(
                        fields("http://a.test/plain", "parse", null),
                        fields("http://a.test/named", "parseLeaf", null),
                        fields("http://a.test/dir/adjusted", "parseLeaf", "home"));
    }

    private static Map<String, Object> fields(String url, String callback, String from) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("url", url);
        fields.put("callback", callback);
        fields.put("from", from);
        fields.put("depth", 1);
        return fields;
    }

    @Test
    void spiderThatOverridesStartRequests_keepsItsSitemapRequests() {
        String sitemap =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                        + "<url><loc>http://a.test/listed</loc></url></urlset>";
        FakeWeb web =
                new FakeWeb()
                        .page("http://a.test/start", "<html></html>")
                        .page("http://a.test/listed", "<html></html>")
                        .route(
                                "http://a.test/sitemap.xml",
                                r ->
                                        new Response(
                                                r,
                                                r.url(),
                                                200,
                                                Headers.of("Content-Type", "application/xml"),
                                                Body.utf8(sitemap),
                                                Duration.ofMillis(1)));
        Spider spider =
                new OnePageSpider() {
                    @Override
                    public List<Request> startRequests() {
                        return List.of(Request.get("http://a.test/start"));
                    }

                    @Override
                    public Sitemaps sitemaps() {
                        return Sitemaps.builder().urls("http://a.test/sitemap.xml").build();
                    }

                    @Override
                    public void parse(Response response, Output out) {}
                };

        CrawlResult result = crawl(spider, web);

        assertThat(web.fetched)
                .containsExactlyInAnyOrder(
                        "http://a.test/start", "http://a.test/sitemap.xml", "http://a.test/listed");
        assertThat(result.stats()).containsEntry("sitemap/urls", 1L);
    }
}
