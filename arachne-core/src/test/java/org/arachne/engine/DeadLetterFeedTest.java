package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arachne.frontier.JobDirReport;
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
 * The dead-letter feed ({@code failed_file}, {@code failed.jsonl} in a job dir), {@code
 * retry_failed}, the end of each run recorded in the job dir, and what a resumed run's result
 * carries over (#10).
 */
@Timeout(60)
class DeadLetterFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private final ManualTicker ticker = ManualTicker.jumpingWhenIdle();

    /** One item per page of its start URLs. */
    private static final class PagesSpider implements Spider {
        private final List<String> urls;

        PagesSpider(String... urls) {
            this.urls = List.of(urls);
        }

        @Override
        public String name() {
            return "pages";
        }

        @Override
        public List<String> startUrls() {
            return urls;
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Item.of("url", response.url()));
        }
    }

    /** Good pages, one that answers 500, one whose connection is reset; /500 fixed on demand. */
    private static FakeWeb web(AtomicBoolean fixed) {
        return new FakeWeb()
                .page("http://a.test/1", "<p>1</p>")
                .page("http://a.test/2", "<p>2</p>")
                .route(
                        "http://a.test/500",
                        r ->
                                fixed.get()
                                        ? FakeWeb.html(r, 200, "<p>back</p>")
                                        : FakeWeb.html(r, 500, "down"))
                .route("http://b.test/reset", r -> null);
    }

    private Crawler.Builder crawler(FakeWeb web, Map<String, ?> settings) {
        return Crawler.builder(
                        new PagesSpider(
                                "http://a.test/1",
                                "http://a.test/500",
                                "http://b.test/reset",
                                "http://a.test/2"))
                .downloader(web)
                .ticker(ticker)
                .setting("robotstxt_obey", false)
                .setting("retry_times", 1)
                .settings(settings);
    }

    private static List<Map<String, Object>> lines(Path file) throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
        }
        return lines;
    }

    @Test
    void failedFile_withoutAJobDir_appendsEachFailureAsAWholeLine() throws Exception {
        Path failed = dir.resolve("failed.jsonl");
        Files.writeString(failed, "{\"url\": \"from an earlier crawl\"}", StandardCharsets.UTF_8);
        Instant started = ticker.now();

        CrawlResult result =
                crawler(web(new AtomicBoolean()), Map.of("failed_file", failed.toString()))
                        .build()
                        .run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        List<Map<String, Object>> lines = lines(failed);
        assertThat(lines.get(0))
                .as("kept, on its own line")
                .containsEntry("url", "from an earlier crawl");
        assertThat(lines.subList(1, lines.size()))
                .extracting(m -> m.get("url"), m -> m.get("status"), m -> m.get("attempts"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("http://a.test/500", 500, 2),
                        org.assertj.core.groups.Tuple.tuple("http://b.test/reset", null, 2));
        Map<String, Object> http500 =
                lines.stream()
                        .filter(m -> "http://a.test/500".equals(m.get("url")))
                        .findFirst()
                        .orElseThrow();
        assertThat(http500.keySet())
                .containsExactly("url", "method", "reason", "attempts", "status", "failed_at");
        assertThat(http500.get("method")).isEqualTo("GET");
        assertThat((String) http500.get("reason")).contains("HTTP 500");
        assertThat(Instant.parse((String) http500.get("failed_at")))
                .isBetween(started, ticker.now());
        assertThat(result.stats()).containsEntry("dead_letter_count", 2L);
    }

    @Test
    void jobDir_failedJsonlHoldsTheDeadLetters_andRetryFailedFetchesThemAgain() throws Exception {
        Path job = dir.resolve("job");
        Path failed = job.resolve("failed.jsonl");
        Path out = dir.resolve("items.jsonl");
        AtomicBoolean fixed = new AtomicBoolean();
        Map<String, String> jobDir = Map.of("job_dir", job.toString());

        CrawlResult first = crawler(web(fixed), jobDir).feed(Feed.of(out, false)).build().run();
        assertThat(first.stats())
                .containsEntry("frontier/run", 1L)
                .containsEntry("frontier/dead_letters", 2L);
        assertThat(lines(failed))
                .extracting(m -> m.get("url"))
                .containsExactlyInAnyOrder("http://a.test/500", "http://b.test/reset");
        assertThat(JobDirReport.read(job).lastRun().status()).isEqualTo("FINISHED");

        Files.writeString(failed, "", StandardCharsets.UTF_8); // lost, say, by a kill
        CrawlResult again = crawler(web(fixed), jobDir).feed(Feed.of(out, false)).build().run();
        assertThat(again.reason()).isEqualTo("finished in an earlier run");
        assertThat(lines(failed)).as("written again from the job dir").hasSize(2);

        fixed.set(true);
        FakeWeb third = web(fixed);
        CrawlResult retried =
                crawler(third, Map.of("job_dir", job.toString(), "retry_failed", true))
                        .feed(Feed.of(out, false))
                        .build()
                        .run();

        assertThat(retried.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(third.fetched)
                .as("just the dead letters, each tried as new")
                .containsExactlyInAnyOrder(
                        "http://a.test/500", "http://b.test/reset", "http://b.test/reset");
        assertThat(retried.stats())
                .containsEntry("frontier/dead_letters_requeued", 2L)
                .containsEntry("frontier/run", 3L)
                .containsEntry("frontier/dead_letters", 1L);
        assertThat(lines(failed))
                .as("the page that came back left the list")
                .extracting(m -> m.get("url"))
                .containsExactly("http://b.test/reset");
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8))
                .as("its item came with it")
                .hasSize(3)
                .anyMatch(line -> line.contains("http://a.test/500"));
        assertThat(retried.pagesThisRun()).isEqualTo(1);
        assertThat(retried.itemsThisRun()).isEqualTo(1);
        assertThat(retried.items()).as("all runs").isEqualTo(3);
        assertThat(retried.carriedOver()).containsEntry("item_scraped_count", 2L);
    }

    @Test
    void retryFailed_withoutAJobDir_isRefused() {
        assertThatThrownBy(() -> crawler(new FakeWeb(), Map.of("retry_failed", true)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry_failed")
                .hasMessageContaining("job_dir");
    }

    @Test
    void jobDirRunThatCannotStart_keepsTheCountersOfEarlierRuns() throws Exception {
        Path job = dir.resolve("job");
        Path blocked = dir.resolve("file");
        Files.writeString(blocked, "", StandardCharsets.UTF_8);
        CrawlResult first =
                crawler(web(new AtomicBoolean()), Map.of("job_dir", job.toString())).build().run();
        assertThat(first.items()).isEqualTo(2);

        CrawlResult refused =
                crawler(
                                web(new AtomicBoolean()),
                                Map.of(
                                        "job_dir",
                                        job.toString(),
                                        "failed_file",
                                        blocked.resolve("failed.jsonl").toString()))
                        .build()
                        .run();
        assertThat(refused.status()).isEqualTo(CrawlResult.Status.ABORTED);

        CrawlResult after =
                crawler(web(new AtomicBoolean()), Map.of("job_dir", job.toString())).build().run();
        assertThat(after.items()).as("the first run's items still counted").isEqualTo(2);
        assertThat(after.stats()).containsEntry("frontier/run", 3L);
    }

    @Test
    void failedFile_thatCannotBeOpened_stopsTheCrawlBeforeItRuns() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "", StandardCharsets.UTF_8);
        FakeWeb web = web(new AtomicBoolean());

        CrawlResult result =
                crawler(
                                web,
                                Map.of(
                                        "failed_file",
                                        notADirectory.resolve("failed.jsonl").toString()))
                        .build()
                        .run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason()).contains("cannot open the failed requests file");
        assertThat(web.fetched).isEmpty();
    }
}
