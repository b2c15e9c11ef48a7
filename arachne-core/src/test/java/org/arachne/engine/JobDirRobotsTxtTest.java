package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job dir keeps what robots.txt said across runs (#10): a crawl stopped part-way and resumed
 * fetches each origin's robots.txt once over both runs, and an origin's {@code Crawl-delay} spaces
 * the first requests of the resumed run too, measured on a crawl clock that jumps over the delays
 * (as in {@link CrawlClockTest}). Kept for RFC 9309's 24 hours on the wall clock, not longer.
 */
@Timeout(30)
class JobDirRobotsTxtTest {
    private static final String SLOW = "http://slow.test";
    private static final String MILD = "http://mild.test";

    @TempDir Path dir;

    private final ManualTicker clock = ManualTicker.jumpingWhenIdle();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private record Sent(String url, long nanos) {}

    /** Two sites of 6 pages: one asks for 30 s between requests, the other for 7 s. */
    private Downloader web() {
        FakeWeb slow = CrawlClockTest.site(SLOW, 5, "User-agent: *\nCrawl-delay: 30\n");
        FakeWeb mild = CrawlClockTest.site(MILD, 5, "User-agent: *\nCrawl-delay: 7\n");
        return new Downloader() {
            @Override
            public Response fetch(Request request) throws DownloadException, InterruptedException {
                sent.add(new Sent(request.url(), clock.nanos()));
                return (request.url().startsWith(SLOW) ? slow : mild).fetch(request);
            }

            @Override
            public void close() {}
        };
    }

    private CrawlResult crawl(Map<String, ?> settings) {
        return Crawler.builder(CrawlClockTest.spider(SLOW + "/", MILD + "/"))
                .downloader(web())
                .settings(settings)
                .setting("randomize_download_delay", false)
                .setting("job_dir", dir.resolve("job").toString())
                .ticker(clock)
                .random(new Random(7))
                .build()
                .run();
    }

    /** Stopped after 3 pages: the mild site's first ones; the slow one is mostly left. */
    private List<Sent> firstRun() {
        CrawlResult closed = crawl(Map.of("closespider_pagecount", 3));
        assertThat(closed.status()).isEqualTo(CrawlResult.Status.CLOSED);
        List<Sent> first = List.copyOf(sent);
        sent.clear();
        return first;
    }

    private static long count(List<Sent> sends, String url) {
        return sends.stream().filter(s -> s.url().equals(url)).count();
    }

    /** Gaps between consecutive sends to one site, in the order sent. */
    private static List<Duration> gaps(List<Sent> sends, String site) {
        List<Duration> gaps = new ArrayList<>();
        long previous = -1;
        for (Sent s : sends) {
            if (s.url().startsWith(site)) {
                if (previous >= 0) {
                    gaps.add(Duration.ofNanos(s.nanos() - previous));
                }
                previous = s.nanos();
            }
        }
        return gaps;
    }

    @Test
    void resumedCrawl_fetchesRobotsTxtOncePerOriginOverBothRuns_andKeepsTheCrawlDelays() {
        List<Sent> first = firstRun();
        clock.advance(Duration.ofHours(1));

        CrawlResult resumed = crawl(Map.of());

        assertThat(resumed.status()).isEqualTo(CrawlResult.Status.FINISHED);
        List<Sent> all = new ArrayList<>(first);
        all.addAll(sent);
        assertThat(count(all, SLOW + "/robots.txt")).isEqualTo(1);
        assertThat(count(all, MILD + "/robots.txt")).isEqualTo(1);
        assertThat(count(sent, SLOW + "/robots.txt") + count(sent, MILD + "/robots.txt"))
                .as("none fetched by the resumed run")
                .isZero();
        assertThat(resumed.stats()).containsEntry("robotstxt/restored", 2L);
        assertThat(all.stream().map(Sent::url).filter(u -> !u.endsWith("/robots.txt")))
                .as("every page once over both runs")
                .hasSize(12)
                .doesNotHaveDuplicates();
        assertThat(gaps(sent, SLOW))
                .as("the slow site's first requests of the resumed run are 30 s apart")
                .hasSizeGreaterThanOrEqualTo(4)
                .containsOnly(Duration.ofSeconds(30));
        assertThat(gaps(sent, MILD)).isNotEmpty().containsOnly(Duration.ofSeconds(7));
    }

    @Test
    void resumedCrawl_aDayAfterTheRobotsTxtWasFetched_fetchesItAgain() {
        firstRun();
        clock.advance(Duration.ofHours(24));

        CrawlResult resumed = crawl(Map.of());

        assertThat(resumed.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(count(sent, SLOW + "/robots.txt")).isEqualTo(1);
        assertThat(count(sent, MILD + "/robots.txt")).isEqualTo(1);
        assertThat(resumed.stats()).doesNotContainKey("robotstxt/restored");
        assertThat(gaps(sent, SLOW)).containsOnly(Duration.ofSeconds(30));
    }

    @Test
    void resumedCrawl_notObeyingRobotsTxt_neitherReadsNorAppliesWhatWasKept() {
        firstRun();

        CrawlResult resumed = crawl(Map.of("robotstxt_obey", false));

        assertThat(resumed.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(resumed.stats()).doesNotContainKey("robotstxt/restored");
        assertThat(gaps(sent, SLOW)).isNotEmpty().containsOnly(Duration.ZERO);
    }
}
