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
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.RequestLog;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.RecrawlRoute;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job dir crawls the sandbox's {@code /recrawl/} pages, two of them change, the crawl's clock
 * moves past {@code recrawl_after}, and the same job runs again: checked at the server (which
 * conditions it got, what it answered) and in the second run's output.
 */
@Timeout(60)
class RecrawlIT {
    private static final String HOST = "127.0.0.41";
    private static final int PAGES = RecrawlRoute.PAGES + 1; // and the index

    @TempDir Path dir;

    private final ManualTicker clock = ManualTicker.jumpingWhenIdle();
    private Sandbox sandbox;
    private RecrawlRoute route;

    @BeforeEach
    void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(2).build().start();
        route = sandbox.recrawlRoute();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /** One item per page: its URL and version; every link followed. */
    private final class VersionSpider implements Spider {
        @Override
        public String name() {
            return "recrawl";
        }

        @Override
        public List<String> startUrls() {
            return List.of(sandbox.uri("/recrawl/").toString());
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(
                    Item.of(
                            "url",
                            response.url(),
                            "version",
                            response.css("p.version::text").get()));
            for (String href : response.css("a::attr(href)").getAll()) {
                out.follow(href);
            }
        }
    }

    /** Runs the job; returns it with the paths the server got during the run (robots.txt too). */
    private record Run(CrawlResult result, List<String> paths) {}

    private Run crawl(Path out, Map<String, ?> settings) {
        RequestLog log = sandbox.log(HOST);
        int before = log.starts().size();
        CrawlResult result =
                Crawler.builder(new VersionSpider())
                        .ticker(clock)
                        .settings(settings)
                        .setting("job_dir", dir.resolve("job").toString())
                        .feed(Feed.of(out, false))
                        .build()
                        .run();
        List<String> paths =
                log.starts().subList(before, log.starts().size()).stream()
                        .map(RequestStart::path)
                        .toList();
        return new Run(result, paths);
    }

    private static List<String> itemPaths(Path out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> paths = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            paths.add(java.net.URI.create(json.readTree(line).get("url").asText()).getPath());
        }
        return paths;
    }

    /** The first run, then pages 3 and 7 change and eight days pass. */
    private void crawlThenChange() throws Exception {
        Run first = crawl(dir.resolve("first.jsonl"), Map.of());
        assertThat(first.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(itemPaths(dir.resolve("first.jsonl"))).hasSize(PAGES);
        assertThat(route.conditionalRequests()).isZero();
        route.change(3);
        route.change(7);
        clock.advance(Duration.ofDays(8));
    }

    @Test
    void secondRun_pastRecrawlAfter_givesItemsOnlyForTheChangedPages_304sCounted()
            throws Exception {
        crawlThenChange();

        Path out = dir.resolve("second.jsonl");
        Run second = crawl(out, Map.of("recrawl_after", "7d"));

        assertThat(second.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(itemPaths(out))
                .containsExactlyInAnyOrder(
                        "/recrawl/3", "/recrawl/3/v2", "/recrawl/7", "/recrawl/7/v2");
        assertThat(route.conditionalRequests())
                .as("every page asked conditionally")
                .isEqualTo(PAGES);
        assertThat(route.notModified()).isEqualTo(PAGES - 2);
        assertThat(second.paths())
                .as("each page once, the new pages of the changed ones, nothing else")
                .hasSize(1 + PAGES + 2)
                .doesNotHaveDuplicates()
                .contains("/robots.txt", "/recrawl/3/v2", "/recrawl/7/v2");
        assertThat(second.result().stats())
                .containsEntry(StatKeys.RECRAWL_QUEUED, (long) PAGES)
                .containsEntry(StatKeys.RECRAWL_NOT_MODIFIED, (long) PAGES - 2)
                .containsEntry(StatKeys.RECRAWL_CHANGED, 2L)
                .doesNotContainKey(StatKeys.ERROR_COUNT)
                .doesNotContainKey("httperror/response_ignored_count");

        Run third = crawl(dir.resolve("third.jsonl"), Map.of("recrawl_after", "7d"));
        assertThat(third.result().reason()).isEqualTo("finished in an earlier run");
        assertThat(third.paths()).as("nothing fetched, not even robots.txt").isEmpty();
    }

    @Test
    void serverIgnoringConditions_theBodysHashTellsTheUnchangedPages() throws Exception {
        crawlThenChange();
        route.ignoreConditions(true);

        Path out = dir.resolve("second.jsonl");
        Run second = crawl(out, Map.of("recrawl_after", "7d"));

        assertThat(itemPaths(out))
                .containsExactlyInAnyOrder(
                        "/recrawl/3", "/recrawl/3/v2", "/recrawl/7", "/recrawl/7/v2");
        assertThat(route.notModified()).isZero();
        assertThat(second.result().stats())
                .containsEntry(StatKeys.RECRAWL_UNCHANGED, (long) PAGES - 2)
                .containsEntry(StatKeys.RECRAWL_CHANGED, 2L)
                .doesNotContainKey(StatKeys.RECRAWL_NOT_MODIFIED);
    }

    @Test
    void recrawlItemsAll_fetchesEveryPageWhole_andGivesEveryPagesItems() throws Exception {
        crawlThenChange();

        Path out = dir.resolve("second.jsonl");
        Run second = crawl(out, Map.of("recrawl_after", "7d", "recrawl_items", "all"));

        assertThat(route.conditionalRequests()).as("no conditions sent").isZero();
        assertThat(itemPaths(out)).hasSize(PAGES + 2).doesNotHaveDuplicates();
        assertThat(second.result().stats())
                .containsEntry(StatKeys.RECRAWL_UNCHANGED, (long) PAGES - 2)
                .containsEntry(StatKeys.RECRAWL_CHANGED, 2L);
    }
}
