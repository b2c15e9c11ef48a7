package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arachne.engine.CrawlResult;
import org.junit.jupiter.api.Test;

/** The end-of-crawl summary of a job dir's runs: which run, this run's share, the failed list. */
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

        String summary = Summary.of(result, List.of(), Path.of("job/failed.jsonl"));

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

        String summary = Summary.of(result, List.of(), null);

        assertThat(summary)
                .contains("  pages                 10 (5.0/s)\n")
                .contains("  failed for good       1\n")
                .doesNotContain("run ");
    }
}
