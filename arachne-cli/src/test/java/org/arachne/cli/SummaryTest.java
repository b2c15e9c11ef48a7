package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arachne.engine.CrawlResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end-of-crawl summary of a job dir's runs: which run, this run's share, the failed list, this
 * run's recrawl, and the callbacks a changed spider no longer has.
 */
class SummaryTest {

    @Test
    void of_resumedRun_saysWhichRun_andThisRunsPagesAndItemsBesideTheTotals() {
        CrawlResult result =
                new CrawlResult(
                        CrawlResult.Status.FINISHED,
                        "finished",
                        Duration.ofSeconds(10),
                        Map.of(
                                "response_received_count", 1000L,
                                "item_scraped_count", 3000L,
                                "frontier/run", 3L,
                                "frontier/dead_letters", 2L,
                                "dead_letter_count", 5L),
                        Map.of("response_received_count", 700L, "item_scraped_count", 2100L));

        String summary = Summary.of(result, List.of(), Path.of("job/failed.jsonl"), "books.yaml");

        assertThat(summary)
                .contains("  pages                 1000 (300 in this run, 30.0/s)\n")
                .contains("  items                 3000 (900 in this run)\n")
                .contains("  failed for good       2 (job/failed.jsonl)\n")
                .contains(
                        "  job                   run 3 of this job; the counts cover all its runs\n");
    }

    @Test
    void of_crawlWithoutAJobDir_hasNoRunLine_andCountsThisCrawlsFailures() {
        CrawlResult result =
                new CrawlResult(
                        CrawlResult.Status.FINISHED,
                        "finished",
                        Duration.ofSeconds(2),
                        Map.of("response_received_count", 10L, "dead_letter_count", 1L));

        String summary = Summary.of(result, List.of(), null, "books.yaml");

        assertThat(summary)
                .contains("  pages                 10 (5.0/s)\n")
                .contains("  failed for good       1\n")
                .doesNotContain("run ");
    }

    private static CrawlResult resumed(Map<String, Long> stats, Map<String, Long> carriedOver) {
        Map<String, Long> all = new HashMap<>(stats);
        all.put("frontier/run", 2L);
        return new CrawlResult(
                CrawlResult.Status.FINISHED, "finished", Duration.ofSeconds(10), all, carriedOver);
    }

    @Test
    void of_recrawlRun_saysThisRunsPagesDueAndWhatChanged() {
        // the counters of a recrawl two runs ago are carried over: this run's share is shown
        CrawlResult result =
                resumed(
                        Map.of(
                                "recrawl/queued", 1300L,
                                "recrawl/not_modified", 1240L,
                                "recrawl/unchanged", 40L,
                                "recrawl/changed", 20L),
                        Map.of(
                                "recrawl/queued", 100L,
                                "recrawl/not_modified", 90L,
                                "recrawl/changed", 10L));

        String summary = Summary.of(result, List.of(), null, "books.yaml");

        assertThat(summary)
                .contains(
                        "  recrawl               1200 pages due, 1150 not modified (304), 40"
                                + " unchanged, 10 changed\n");
    }

    @Test
    void of_recrawlGoneOnFromAnEarlierRun_saysSoInsteadOfPagesDue() {
        CrawlResult result =
                resumed(
                        Map.of("recrawl/queued", 50L, "recrawl/not_modified", 30L),
                        Map.of("recrawl/queued", 50L, "recrawl/not_modified", 10L));

        assertThat(Summary.of(result, List.of(), null, "books.yaml"))
                .contains(
                        "  recrawl               queued by an earlier run: 20 not modified (304),"
                                + " 0 unchanged, 0 changed\n");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void of_runWithoutARecrawl_hasNoRecrawlLine(boolean earlierRecrawl) {
        Map<String, Long> earlier =
                earlierRecrawl
                        ? Map.of("recrawl/queued", 5L, "recrawl/not_modified", 5L)
                        : Map.of();
        CrawlResult result = resumed(earlier, earlier);

        assertThat(Summary.of(result, List.of(), null, "books.yaml")).doesNotContain("recrawl");
    }

    @Test
    void of_requestsForMissingCallbacks_nameThemAndTheSpiderFile_andHowToFetchThem() {
        CrawlResult result =
                resumed(
                        Map.of(
                                "callback_missing/book", 34L,
                                "callback_missing/extra", 1L,
                                "error_count", 35L,
                                "error_count/callback/missing", 35L),
                        Map.of());

        assertThat(Summary.of(result, List.of(), null, "spiders/books.yaml"))
                .contains(
                        "  missing callbacks     book (34 requests), extra (1 request): not in"
                                + " spiders/books.yaml; failed for good without being fetched (put"
                                + " them back and run again with --retry-failed)\n")
                .contains("  errors                35 (callback/missing 35)\n");
    }

    @Test
    void of_noMissingCallbackInThisRun_hasNoMissingCallbacksLine() {
        CrawlResult result =
                resumed(Map.of("callback_missing/book", 34L), Map.of("callback_missing/book", 34L));

        assertThat(Summary.of(result, List.of(), null, "books.yaml"))
                .doesNotContain("missing callbacks");
    }
}
