package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.http.Body;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole crawls on a clock that jumps to whatever an idle frontier waits for: delays of seconds and
 * minutes hold exactly on the crawl's clock and cost no real time (the class timeout would catch a
 * real wait). What the server sees in real time is {@code PolitenessIT}'s part.
 */
@Timeout(20)
class CrawlClockTest {
    private static final String HOST = "http://a.test";

    private final ManualTicker clock = ManualTicker.jumpingWhenIdle();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private record Sent(String url, long nanos) {}

    /** A start page linking to {@code /1} .. {@code /n}. */
    static FakeWeb site(String host, int pages, String robots) {
        StringBuilder home = new StringBuilder("<html><body>");
        FakeWeb web = new FakeWeb().page(host + "/robots.txt", robots);
        for (int i = 1; i <= pages; i++) {
            home.append("<a href=\"/").append(i).append("\">p</a>");
            web.page(host + "/" + i, "<html><body>page</body></html>");
        }
        return web.page(host + "/", home.append("</body></html>").toString());
    }

    /** Follows every link of a page. */
    static Spider spider(String... starts) {
        return new Spider() {
            @Override
            public String name() {
                return "clock";
            }

            @Override
            public List<String> startUrls() {
                return List.of(starts);
            }

            @Override
            public void parse(Response response, Output out) {
                for (String href : response.text().split("href=\"")) {
                    if (href.startsWith("/")) {
                        out.follow(href.substring(0, href.indexOf('"')));
                    }
                }
            }
        };
    }

    private Downloader timed(Downloader web) {
        return new Downloader() {
            @Override
            public Response fetch(Request request) throws DownloadException, InterruptedException {
                sent.add(new Sent(request.url(), clock.nanos()));
                return web.fetch(request);
            }

            @Override
            public void close() {
                web.close();
            }
        };
    }

    private CrawlResult crawl(Downloader web, Map<String, ?> settings, String... starts) {
        return crawl(web, settings, new Random(7), starts);
    }

    private CrawlResult crawl(
            Downloader web, Map<String, ?> settings, Random random, String... starts) {
        return Crawler.builder(spider(starts))
                .downloader(timed(web))
                .settings(settings)
                .ticker(clock)
                .random(random)
                .build()
                .run();
    }

    /** Gaps between consecutive sends to one host, in the order sent. */
    private List<Duration> gaps(String host) {
        List<Duration> gaps = new ArrayList<>();
        long previous = -1;
        for (Sent s : sent) {
            if (s.url().startsWith(host)) {
                if (previous >= 0) {
                    gaps.add(Duration.ofNanos(s.nanos() - previous));
                }
                previous = s.nanos();
            }
        }
        return gaps;
    }

    @Test
    void downloadDelay_spacesEveryStartOfTheSlotExactly() {
        CrawlResult result =
                crawl(
                        site(HOST, 8, "User-agent: *\nAllow: /\n"),
                        Map.of("download_delay", "10s", "randomize_download_delay", false),
                        HOST + "/");

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(sent).hasSize(10); // robots.txt, the start page, 8 pages
        assertThat(gaps(HOST)).hasSize(9).containsOnly(Duration.ofSeconds(10));
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void slotsWaitApart_soTwoHostsTakeTheTimeOfOne() {
        String other = "http://b.test";
        FakeWeb a = site(HOST, 5, "User-agent: *\nAllow: /\n");
        FakeWeb b = site(other, 5, "User-agent: *\nAllow: /\n");
        Downloader both =
                new Downloader() {
                    @Override
                    public Response fetch(Request request)
                            throws DownloadException, InterruptedException {
                        return (request.url().startsWith(HOST) ? a : b).fetch(request);
                    }

                    @Override
                    public void close() {}
                };
        CrawlResult result =
                crawl(
                        both,
                        Map.of("download_delay", "1m", "randomize_download_delay", false),
                        HOST + "/",
                        other + "/");

        assertThat(gaps(HOST)).hasSize(6).containsOnly(Duration.ofMinutes(1));
        assertThat(gaps(other)).hasSize(6).containsOnly(Duration.ofMinutes(1));
        assertThat(result.elapsed()).isLessThan(Duration.ofMinutes(7));
    }

    @Test
    void randomizedDelay_staysWithinHalfToOneAndAHalf_andRepeatsWithTheSameSeed() {
        Map<String, ?> settings = Map.of("download_delay", "10s");
        crawl(site(HOST, 12, "User-agent: *\nAllow: /\n"), settings, HOST + "/");
        List<Duration> first = gaps(HOST);
        sent.clear();
        crawl(site(HOST, 12, "User-agent: *\nAllow: /\n"), settings, HOST + "/");

        assertThat(first)
                .hasSize(13)
                .allSatisfy(
                        gap ->
                                assertThat(gap)
                                        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        assertThat(first.stream().distinct().count()).isGreaterThan(1);
        assertThat(gaps(HOST)).isEqualTo(first);
    }

    @Test
    void robotsCrawlDelay_spacesStarts_upToTheSettingsCap() {
        CrawlResult polite =
                crawl(
                        site(HOST, 4, "User-agent: *\nCrawl-delay: 30\n"),
                        Map.of("randomize_download_delay", false),
                        HOST + "/");
        assertThat(polite.status()).isEqualTo(CrawlResult.Status.FINISHED);
        // robots.txt itself is fetched before its Crawl-delay is known
        assertThat(gaps(HOST).subList(1, 5)).containsOnly(Duration.ofSeconds(30));

        sent.clear();
        crawl(
                site(HOST, 4, "User-agent: *\nCrawl-delay: 3600\n"),
                Map.of("randomize_download_delay", false, "robotstxt_max_crawl_delay", "2m"),
                HOST + "/");
        assertThat(gaps(HOST).subList(1, 5)).containsOnly(Duration.ofMinutes(2));
    }

    @Test
    void retryAfter_pausesTheWholeSlot_forTheTimeTheServerAsked() {
        AtomicInteger busy = new AtomicInteger();
        FakeWeb web =
                site(HOST, 2, "User-agent: *\nAllow: /\n")
                        .route(
                                HOST + "/1",
                                r ->
                                        busy.getAndIncrement() == 0
                                                ? new Response(
                                                        r,
                                                        r.url(),
                                                        503,
                                                        Headers.of("Retry-After", "120"),
                                                        Body.EMPTY,
                                                        Duration.ZERO)
                                                : FakeWeb.html(r, 200, "<html>ok</html>"));
        CrawlResult result =
                crawl(
                        web,
                        Map.of("concurrent_requests_per_domain", 1, "retry_backoff_max", "5m"),
                        HOST + "/");

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.stats()).containsEntry("retry/count", 1L);
        long refused = timeOf(HOST + "/1", 0);
        assertThat(Duration.ofNanos(timeOf(HOST + "/1", 1) - refused))
                .isEqualTo(Duration.ofMinutes(2));
        // the other page of the slot waited out the pause too
        assertThat(Duration.ofNanos(timeOf(HOST + "/2", 0) - refused))
                .isGreaterThanOrEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void hourLongDelay_finishesAtOnce_andStopsInTime() {
        CrawlResult result =
                crawl(
                        site(HOST, 3, "User-agent: *\nAllow: /\n"),
                        Map.of("download_delay", "1h", "randomize_download_delay", false),
                        HOST + "/");

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(gaps(HOST)).hasSize(4).containsOnly(Duration.ofHours(1));
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofHours(4));
    }

    /** When the {@code n}th request for {@code url} (from 0) was sent, on the crawl's clock. */
    private long timeOf(String url, int n) {
        return sent.stream()
                .filter(s -> s.url().equals(url))
                .skip(n)
                .findFirst()
                .orElseThrow()
                .nanos();
    }
}
