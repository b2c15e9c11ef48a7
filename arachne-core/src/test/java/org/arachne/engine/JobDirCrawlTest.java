package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code job_dir} chooses the job dir's frontier: a crawl closed early goes on in the next run from
 * where it stopped, each page fetched once and each item once in the output, with its counters
 * carried over; a spider changed between runs that lost a callback fails the requests queued for it
 * without fetching them, and gets them back by {@code retry_failed} once the callback is back.
 */
@Timeout(60)
class JobDirCrawlTest {
    @TempDir Path dir;

    private static FakeWeb chain(int pages) {
        FakeWeb web = new FakeWeb();
        for (int i = 0; i < pages; i++) {
            web.page("http://a.test/" + i, "<html><body>" + i + "</body></html>");
        }
        return web;
    }

    private CrawlResult crawl(FakeWeb web, Path out, Map<String, ?> settings) {
        return Crawler.builder(new EngineLifecycleTest.ChainSpider("a.test", 9))
                .downloader(web)
                .settings(settings)
                .setting("robotstxt_obey", false)
                .setting("concurrent_requests", 1)
                .setting("job_dir", dir.resolve("job").toString())
                .feed(Feed.of(out, false))
                .build()
                .run();
    }

    /** The field {@code n} of every item in a feed's file, whatever its format, in file order. */
    static List<Integer> numbers(Path out) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        String name = out.getFileName().toString();
        if (name.endsWith(".csv")) {
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).isEqualTo("n");
            lines.stream().skip(1).map(Integer::parseInt).forEach(numbers::add);
            return numbers;
        }
        ObjectMapper json = new ObjectMapper();
        List<String> records =
                name.endsWith(".json")
                        ? List.of(Files.readString(out, StandardCharsets.UTF_8))
                        : Files.readAllLines(out, StandardCharsets.UTF_8);
        for (String record : records) {
            Object value = json.readValue(record, Object.class);
            for (Object item : value instanceof List<?> l ? l : List.of(value)) {
                numbers.add((Integer) ((Map<?, ?>) item).get("n"));
            }
        }
        return numbers;
    }

    @ParameterizedTest
    @CsvSource({"items.jsonl", "items.json", "items.csv"})
    void crawlClosedEarly_goesOnInTheNextRun_eachPageAndItemOnce(String name) throws Exception {
        Path out = dir.resolve(name);
        FakeWeb first = chain(10);
        CrawlResult closed = crawl(first, out, Map.of("closespider_pagecount", 4));
        assertThat(closed.status()).isEqualTo(CrawlResult.Status.CLOSED);
        assertThat(first.fetched).hasSizeLessThan(10);
        assertThat(numbers(out)).as("the first run's file is valid").isNotEmpty();

        FakeWeb second = chain(10);
        CrawlResult resumed = crawl(second, out, Map.of());

        assertThat(resumed.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(resumed.stats()).containsEntry("frontier/resumed", 1L);
        List<String> all = new ArrayList<>(first.fetched);
        all.addAll(second.fetched);
        assertThat(all).as("no page fetched twice").doesNotHaveDuplicates().hasSize(10);
        assertThat(numbers(out)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(resumed.items()).as("counted over both runs").isEqualTo(10);

        CrawlResult again = crawl(chain(10), out, Map.of());
        assertThat(again.reason()).isEqualTo("finished in an earlier run");
        assertThat(numbers(out)).hasSize(10);
    }

    @Test
    void secondCrawlOnTheSameJobDir_isRefused_namingIt() {
        Path out = dir.resolve("items.jsonl");
        FakeWeb web = chain(10);
        Crawler running =
                Crawler.builder(new EngineLifecycleTest.ChainSpider("a.test", 9))
                        .downloader(web)
                        .setting("job_dir", dir.resolve("job").toString())
                        .feed(Feed.of(out, false))
                        .build();
        try {
            assertThatThrownBy(
                            () ->
                                    Crawler.builder(
                                                    new EngineLifecycleTest.ChainSpider(
                                                            "a.test", 9))
                                            .downloader(chain(10))
                                            .setting("job_dir", dir.resolve("job").toString())
                                            .build())
                    .isInstanceOf(FrontierException.class)
                    .hasMessageContaining(dir.resolve("job").toString());
        } finally {
            running.run();
        }
    }

    @Test
    void jobDirAndAFrontierOfTheBuilder_areRefusedTogether() {
        assertThatThrownBy(
                        () ->
                                Crawler.builder(new EngineLifecycleTest.ChainSpider("a.test", 1))
                                        .setting("job_dir", dir.resolve("job").toString())
                                        .frontier(FrontierFactory.MEMORY)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job_dir");
    }

    /**
     * The chain with its pages after the first given to {@code parsePage}, a callback of its own;
     * {@link WithoutParsePage} is the same spider changed: {@code parsePage} is gone.
     */
    static class ParsePageSpider implements Spider {
        @Override
        public String name() {
            return "chain";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/0");
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Item.of("n", 0));
            out.follow("/1", this::parsePage);
        }

        void parsePage(Response response, Output out) {
            int n = Integer.parseInt(response.url().substring(response.url().lastIndexOf('/') + 1));
            out.item(Item.of("n", n));
            if (n < 9) {
                out.follow("/" + (n + 1), this::parsePage);
            }
        }
    }

    /** {@link ParsePageSpider} without its {@code parsePage}. */
    static class WithoutParsePage implements Spider {
        @Override
        public String name() {
            return "chain";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/0");
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Item.of("n", 0));
        }
    }

    private CrawlResult crawl(Spider spider, FakeWeb web, Path out, Map<String, ?> settings) {
        return Crawler.builder(spider)
                .downloader(web)
                .settings(settings)
                .setting("robotstxt_obey", false)
                .setting("concurrent_requests", 1)
                .setting("job_dir", dir.resolve("job").toString())
                .feed(Feed.of(out, false))
                .build()
                .run();
    }

    @Test
    void resumedWithASpiderThatLostACallback_itsQueuedRequestsFailUnfetched_andComeBackWithIt()
            throws Exception {
        Path out = dir.resolve("items.jsonl");
        FakeWeb first = chain(10);
        crawl(new ParsePageSpider(), first, out, Map.of("closespider_pagecount", 4));
        assertThat(first.fetched).hasSize(4);

        FakeWeb second = chain(10);
        CrawlResult changed = crawl(new WithoutParsePage(), second, out, Map.of());

        assertThat(changed.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(second.fetched).as("a request whose callback is gone is not fetched").isEmpty();
        assertThat(changed.stats())
                .containsEntry("callback_missing/parsePage", 1L)
                .containsEntry("error_count/callback/missing", 1L)
                .containsEntry("dead_letter_count", 1L);
        List<String> failed =
                Files.readAllLines(dir.resolve("job/failed.jsonl"), StandardCharsets.UTF_8);
        assertThat(failed).singleElement().asString().contains("\"url\":\"http://a.test/4\"");
        assertThat(new ObjectMapper().readTree(failed.get(0)).get("reason").asText())
                .isEqualTo(
                        "callback_missing/parsePage: the spider 'chain' has no callback 'parsePage'");

        FakeWeb third = chain(10);
        CrawlResult restored =
                crawl(new ParsePageSpider(), third, out, Map.of("retry_failed", true));

        assertThat(restored.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(third.fetched)
                .containsExactly(
                        "http://a.test/4",
                        "http://a.test/5",
                        "http://a.test/6",
                        "http://a.test/7",
                        "http://a.test/8",
                        "http://a.test/9");
        assertThat(numbers(out)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
