package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.http.Body;
import org.arachne.http.Downloader;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recrawl_after} on a finished job dir, on a clock the test moves: the pages fetched longer
 * ago are asked for again with their validators, and only the changed ones give items. The site
 * honours conditions on {@code /}, {@code /1} .. {@code /4}; {@code /5} sends no validators, so
 * only its body's hash tells that it is unchanged.
 */
@Timeout(60)
class RecrawlCrawlTest {
    @TempDir Path dir;

    private final ManualTicker clock = new ManualTicker();
    private final Site site = new Site();

    /** Pages {@code /} and {@code /1} .. {@code /5}; a changed page links to a new one. */
    private static final class Site implements Downloader {
        final Map<String, Integer> versions = new ConcurrentHashMap<>();
        final List<Request> sent = new CopyOnWriteArrayList<>();

        @Override
        public Response fetch(Request request) {
            sent.add(request);
            String path = request.url().substring("http://a.test".length());
            int version = versions.getOrDefault(path, 1);
            StringBuilder html = new StringBuilder("<html><body><p>" + version + "</p>");
            if (path.equals("/")) {
                for (int i = 1; i <= 5; i++) {
                    html.append("<a href=\"/").append(i).append("\">").append(i).append("</a>");
                }
            } else if (version > 1 && !path.endsWith("/new")) {
                html.append("<a href=\"").append(path).append("/new\">new</a>");
            }
            String etag = "\"" + path + "-" + version + "\"";
            boolean validators = !path.equals("/5");
            if (validators && etag.equals(request.headers().first("If-None-Match"))) {
                return new Response(
                        request,
                        request.url(),
                        304,
                        Headers.of("ETag", etag),
                        Body.EMPTY,
                        Duration.ofMillis(1));
            }
            return new Response(
                    request,
                    request.url(),
                    200,
                    validators
                            ? Headers.of("Content-Type", "text/html", "ETag", etag)
                            : Headers.of("Content-Type", "text/html"),
                    Body.utf8(html.append("</body></html>").toString()),
                    Duration.ofMillis(1));
        }

        List<String> sentPaths() {
            return sent.stream().map(r -> r.url().substring("http://a.test".length())).toList();
        }

        @Override
        public void close() {}
    }

    /** One item per page, its links followed. */
    private static final class VersionSpider implements Spider {
        @Override
        public String name() {
            return "versions";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/");
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Item.of("url", response.url(), "version", response.css("p::text").get()));
            for (String href : response.css("a::attr(href)").getAll()) {
                out.follow(href);
            }
        }
    }

    private CrawlResult crawl(Path out, Map<String, ?> settings) {
        site.sent.clear();
        return Crawler.builder(new VersionSpider())
                .downloader(site)
                .ticker(clock)
                .settings(settings)
                .setting("robotstxt_obey", false)
                .setting("job_dir", dir.resolve("job").toString())
                .feed(Feed.of(out, false))
                .build()
                .run();
    }

    private static List<String> itemUrls(Path out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> urls = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            urls.add(json.readTree(line).get("url").asText());
        }
        return urls;
    }

    private CrawlResult firstCrawl() throws Exception {
        CrawlResult first = crawl(dir.resolve("first.jsonl"), Map.of());
        assertThat(first.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(itemUrls(dir.resolve("first.jsonl"))).hasSize(6);
        return first;
    }

    @Test
    void recrawlAfter_asksWithValidators_andGivesItemsOnlyForChangedPages() throws Exception {
        firstCrawl();
        site.versions.put("/4", 2);
        clock.advance(Duration.ofDays(8));

        Path out = dir.resolve("recrawl.jsonl");
        CrawlResult recrawl = crawl(out, Map.of("recrawl_after", "7d"));

        assertThat(recrawl.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(site.sentPaths())
                .as("every page again, and the page new on the changed one")
                .containsExactlyInAnyOrder("/", "/1", "/2", "/3", "/4", "/5", "/4/new");
        assertThat(site.sent)
                .filteredOn(r -> !r.url().endsWith("/5") && !r.url().endsWith("/new"))
                .allSatisfy(
                        r ->
                                assertThat(r.headers().first("If-None-Match"))
                                        .as("%s is conditional", r.url())
                                        .isNotNull());
        assertThat(itemUrls(out))
                .containsExactlyInAnyOrder("http://a.test/4", "http://a.test/4/new");
        assertThat(recrawl.stats())
                .containsEntry(StatKeys.RECRAWL_QUEUED, 6L)
                .containsEntry(StatKeys.RECRAWL_NOT_MODIFIED, 4L)
                .containsEntry(StatKeys.RECRAWL_UNCHANGED, 1L)
                .containsEntry(StatKeys.RECRAWL_CHANGED, 1L)
                .containsEntry(StatKeys.responseStatus(304), 4L)
                .doesNotContainKey(StatKeys.ERROR_COUNT)
                .doesNotContainKey("httperror/response_ignored_count");
        assertThat(recrawl.items()).as("counted over both runs").isEqualTo(8);

        CrawlResult again = crawl(dir.resolve("again.jsonl"), Map.of("recrawl_after", "7d"));
        assertThat(again.reason())
                .as("every page was fetched or revalidated just now")
                .isEqualTo("finished in an earlier run");
        assertThat(site.sent).isEmpty();

        clock.advance(Duration.ofDays(8));
        site.versions.put("/2", 2);
        CrawlResult later = crawl(dir.resolve("later.jsonl"), Map.of("recrawl_after", "7d"));
        assertThat(itemUrls(dir.resolve("later.jsonl")))
                .as("a revalidated page keeps its validators; /4 stays at version 2")
                .containsExactlyInAnyOrder("http://a.test/2", "http://a.test/2/new");
        assertThat(later.stats()).containsEntry(StatKeys.RECRAWL_QUEUED, 13L);
    }

    @Test
    void recrawlItemsAll_fetchesEveryPageWhole_andGivesEveryItem() throws Exception {
        firstCrawl();
        site.versions.put("/4", 2);
        clock.advance(Duration.ofDays(8));

        Path out = dir.resolve("all.jsonl");
        CrawlResult recrawl = crawl(out, Map.of("recrawl_after", "7d", "recrawl_items", "all"));

        assertThat(site.sent)
                .allSatisfy(r -> assertThat(r.headers().contains("If-None-Match")).isFalse());
        assertThat(itemUrls(out))
                .containsExactlyInAnyOrder(
                        "http://a.test/",
                        "http://a.test/1",
                        "http://a.test/2",
                        "http://a.test/3",
                        "http://a.test/4",
                        "http://a.test/5",
                        "http://a.test/4/new");
        assertThat(recrawl.stats())
                .containsEntry(StatKeys.RECRAWL_UNCHANGED, 5L)
                .containsEntry(StatKeys.RECRAWL_CHANGED, 1L)
                .doesNotContainKey(StatKeys.RECRAWL_NOT_MODIFIED);
    }

    @Test
    void finishedJob_notOldEnough_orWithoutRecrawlAfter_saysItIsFinished() throws Exception {
        firstCrawl();
        clock.advance(Duration.ofDays(3));
        CrawlResult young = crawl(dir.resolve("young.jsonl"), Map.of("recrawl_after", "7d"));
        assertThat(young.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(young.reason()).isEqualTo("finished in an earlier run");

        clock.advance(Duration.ofDays(30));
        CrawlResult without = crawl(dir.resolve("without.jsonl"), Map.of());
        assertThat(without.reason()).isEqualTo("finished in an earlier run");
        assertThat(site.sent).isEmpty();
        assertThat(without.stats()).doesNotContainKey(StatKeys.RECRAWL_QUEUED);
    }
}
