package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.http.Response;
import org.arachne.sandbox.RequestLog;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Politeness measured where it matters: at the server. Every host answers after a short latency, so
 * that a crawler that ignored its limits would show more requests in flight than allowed.
 */
@Timeout(120)
class PolitenessIT {
    private static final List<String> HOSTS =
            List.of("127.0.0.41", "127.0.0.42", "127.0.0.43", "127.0.0.44");

    /**
     * Requests are started when the frontier leases them; their arrival at the server can be late
     * by the client's send time (connection set-up, scheduling), which shortens the gap that the
     * server sees. This bounds that jitter for the assertions on gaps.
     */
    private static final Duration SEND_JITTER = Duration.ofMillis(20);

    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        Sandbox.Builder builder = Sandbox.builder().hosts(HOSTS).pagesPerHost(40).seed(3);
        for (String ip : HOSTS) {
            builder.latency(ip, Duration.ofMillis(30));
        }
        sandbox = builder.build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private CrawlRun crawl(List<String> starts, Map<String, ?> settings) {
        return CrawlRun.of(new BooksSpider(starts), settings);
    }

    @Test
    void perDomainLimit_isNeverExceeded() {
        CrawlRun run =
                crawl(
                        sandbox.startUrls(),
                        Map.of("concurrent_requests", 64, "concurrent_requests_per_domain", 3));
        assertThat(run.result().errors()).isZero();
        for (String ip : HOSTS) {
            assertThat(sandbox.log(ip).maxConcurrent()).as(ip).isEqualTo(3);
        }
    }

    @Test
    void downloadSlots_overrideTheLimitOfOneHost() {
        String limited = HOSTS.get(3);
        CrawlRun run =
                crawl(
                        sandbox.startUrls(),
                        Map.of(
                                "concurrent_requests", 64,
                                "concurrent_requests_per_domain", 3,
                                "download_slots", Map.of(limited, Map.of("concurrency", 1))));
        assertThat(run.result().errors()).isZero();
        assertThat(sandbox.log(limited).maxConcurrent()).isEqualTo(1);
        assertThat(sandbox.log(HOSTS.get(0)).maxConcurrent()).isEqualTo(3);
    }

    /**
     * AutoThrottle: with a server that takes 150 ms per page and a target concurrency of 1, the
     * delay follows the latency, so the host sees about one request at a time although its slot
     * would allow four.
     */
    @Test
    void autoThrottle_followsTheServersLatency() throws Exception {
        String ip = "127.0.0.52";
        try (Sandbox slow =
                Sandbox.builder()
                        .hosts(List.of(ip))
                        .pagesPerHost(40)
                        .latency(ip, Duration.ofMillis(150))
                        .build()
                        .start()) {
            CrawlRun run =
                    crawl(
                            slow.startUrls(),
                            Map.of(
                                    "concurrent_requests_per_domain",
                                    4,
                                    "autothrottle_enabled",
                                    true,
                                    "autothrottle_start_delay",
                                    "50ms",
                                    "autothrottle_target_concurrency",
                                    1.0,
                                    "closespider_pagecount",
                                    12));
            assertThat(run.result().errors()).isZero();
            RequestLog log = slow.log(ip);
            List<RequestStart> starts = log.starts();
            assertThat(starts).hasSizeGreaterThanOrEqualTo(12);
            List<Long> lateGaps = new ArrayList<>();
            for (int i = starts.size() / 2; i < starts.size(); i++) {
                lateGaps.add((starts.get(i).nanos() - starts.get(i - 1).nanos()) / 1_000_000);
            }
            lateGaps.sort(null);
            long medianGapMillis = lateGaps.get(lateGaps.size() / 2);
            String seen = "starts: " + startsMillis(log);
            assertThat(medianGapMillis).as(seen).isGreaterThanOrEqualTo(100);
            assertThat(log.maxConcurrent()).as(seen).isLessThanOrEqualTo(2);
            assertThat(run.result().stats().get("politeness/delay_set_by/autothrottle"))
                    .isPositive();
        }
    }

    @Test
    void globalLimit_isNeverExceeded() {
        CrawlRun run =
                crawl(
                        sandbox.startUrls(),
                        Map.of("concurrent_requests", 5, "concurrent_requests_per_domain", 8));
        assertThat(run.result().errors()).isZero();
        assertThat(sandbox.allHostsLog().maxConcurrent()).isEqualTo(5);
        for (String ip : HOSTS) {
            assertThat(sandbox.log(ip).maxConcurrent()).as(ip).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void perIpLimit_holdsAcrossHostNamesOnOneAddress() {
        String ip = HOSTS.get(0);
        int port = sandbox.port();
        List<String> names = List.of("books-a.test", "books-b.test", "books-c.test");
        List<String> starts = new ArrayList<>();
        StringBuilder overrides = new StringBuilder();
        for (String name : names) {
            starts.add("http://" + name + ":" + port + "/");
            overrides.append(overrides.isEmpty() ? "" : ",").append(name).append('=').append(ip);
        }
        CrawlRun run =
                crawl(
                        starts,
                        Map.of(
                                "concurrent_requests", 64,
                                "concurrent_requests_per_domain", 8,
                                "concurrent_requests_per_ip", 2,
                                "dns_overrides", overrides.toString()));
        assertThat(run.result().errors()).isZero();
        RequestLog log = sandbox.log(ip);
        assertThat(log.starts())
                .extracting(RequestStart::host)
                .contains(
                        names.get(0) + ":" + port,
                        names.get(1) + ":" + port,
                        names.get(2) + ":" + port);
        assertThat(log.maxConcurrent()).isEqualTo(2);
    }

    @Test
    void downloadDelay_spacesStartsOfOneHost() {
        Duration delay = Duration.ofMillis(200);
        CrawlRun run =
                crawl(
                        List.of(sandbox.baseUrl(HOSTS.get(1))),
                        Map.of(
                                "download_delay",
                                "200ms",
                                "randomize_download_delay",
                                false,
                                "concurrent_requests_per_domain",
                                1,
                                "closespider_pagecount",
                                12));
        RequestLog log = sandbox.log(HOSTS.get(1));
        String seen = run.result().stats() + "\nstarts at the server: " + startsMillis(log);
        assertThat(run.result().pages()).as(seen).isGreaterThanOrEqualTo(12);
        assertThat(log.maxConcurrent()).as(seen).isEqualTo(1);
        assertThat(log.minGapBetweenStarts())
                .as(seen)
                .isGreaterThanOrEqualTo(delay.minus(SEND_JITTER));
    }

    /**
     * #9: a URL that robots.txt forbids is never sent, so it spends no start: with two forbidden
     * URLs between allowed ones, the allowed ones (and robots.txt before them) still start one
     * delay apart at the server, not three (the frontier gives back the start of a lease that never
     * sent its request).
     */
    @Test
    void forbiddenByRobots_spendsNoDelay() {
        Duration delay = Duration.ofMillis(300);
        String base = sandbox.baseUrl(HOSTS.get(3)); // ends with a slash
        List<String> starts =
                List.of(
                        base,
                        base + "private/account.html",
                        base + "private/orders-1.html",
                        base + "catalogue/book-00001.html",
                        base + "private/orders-2.html",
                        base + "private/orders-3.html",
                        base + "catalogue/book-00002.html");
        Spider noLinks =
                new Spider() {
                    @Override
                    public String name() {
                        return "no-links";
                    }

                    @Override
                    public List<String> startUrls() {
                        return starts;
                    }

                    @Override
                    public void parse(Response response, Output out) {}
                };

        CrawlRun run =
                CrawlRun.of(
                        noLinks,
                        Map.of(
                                "download_delay",
                                "300ms",
                                "randomize_download_delay",
                                false,
                                "concurrent_requests_per_domain",
                                1));

        RequestLog log = sandbox.log(HOSTS.get(3));
        String seen = run.result().stats() + "\nstarts at the server: " + startsMillis(log);
        assertThat(run.result().stats()).as(seen).containsEntry("robotstxt/forbidden", 4L);
        assertThat(log.starts())
                .extracting(RequestStart::path)
                .as(seen)
                .containsExactlyInAnyOrder(
                        "/robots.txt",
                        "/",
                        "/catalogue/book-00001.html",
                        "/catalogue/book-00002.html");
        List<RequestStart> served = log.starts();
        for (int i = 1; i < served.size(); i++) {
            Duration gap = Duration.ofNanos(served.get(i).nanos() - served.get(i - 1).nanos());
            // a forbidden URL that spent a start would make a gap of at least two delays
            assertThat(gap).as(seen).isLessThan(delay.multipliedBy(2));
            if (i > 1) { // robots.txt, the host's first request, may arrive late: a new connection
                assertThat(gap).as(seen).isGreaterThanOrEqualTo(delay.minus(SEND_JITTER));
            }
        }
    }

    @Test
    void randomizedDelay_staysWithinHalfToOneAndAHalfTimes() {
        CrawlRun run =
                crawl(
                        List.of(sandbox.baseUrl(HOSTS.get(2))),
                        Map.of(
                                "download_delay",
                                "100ms",
                                "randomize_download_delay",
                                true,
                                "closespider_pagecount",
                                16));
        assertThat(run.result().pages()).isGreaterThanOrEqualTo(16);
        List<RequestStart> starts = sandbox.log(HOSTS.get(2)).starts();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            gaps.add(starts.get(i).nanos() - starts.get(i - 1).nanos());
        }
        long min = gaps.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = gaps.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(Duration.ofNanos(min))
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).minus(SEND_JITTER));
        assertThat(Duration.ofNanos(max - min))
                .as("gaps vary: the delay is randomised")
                .isGreaterThan(Duration.ofMillis(20));
    }

    @Test
    void robotsCrawlDelay_spacesStarts_andIsCappedByTheSetting() throws Exception {
        String polite = "127.0.0.46";
        String greedy = "127.0.0.47";
        try (Sandbox delayed =
                Sandbox.builder()
                        .hosts(List.of(polite, greedy))
                        .pagesPerHost(30)
                        .crawlDelay(polite, Duration.ofMillis(250))
                        .crawlDelay(greedy, Duration.ofSeconds(5))
                        .build()
                        .start()) {
            CrawlRun run =
                    crawl(
                            delayed.startUrls(),
                            Map.of(
                                    "robotstxt_max_crawl_delay",
                                    "400ms",
                                    "closespider_pagecount",
                                    12));
            assertThat(run.result().errors()).isZero();
            RequestLog politeLog = delayed.log(polite);
            assertThat(politeLog.count()).isGreaterThanOrEqualTo(4);
            assertThat(politeLog.minGapBetweenStarts())
                    .as("starts: " + startsMillis(politeLog))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250).minus(SEND_JITTER));
            RequestLog greedyLog = delayed.log(greedy);
            assertThat(greedyLog.count()).isGreaterThanOrEqualTo(3);
            assertThat(greedyLog.minGapBetweenStarts())
                    .as("starts: " + startsMillis(greedyLog))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400).minus(SEND_JITTER));
            List<RequestStart> starts = greedyLog.starts();
            Duration first = Duration.ofNanos(starts.get(1).nanos() - starts.get(0).nanos());
            assertThat(first)
                    .as("capped at 400 ms, not the 5 s asked")
                    .isLessThan(Duration.ofSeconds(2));
        }
    }

    /**
     * Head-of-line: a slow host never holds up the fast ones. With one host answering slowly and
     * two at once, the fast hosts are crawled through while the slow one has done only part of its
     * pages, counted in the server's own request starts.
     */
    @Test
    void slowHost_doesNotHoldUpFastHosts() throws Exception {
        String slow = "127.0.0.48";
        List<String> fast = List.of("127.0.0.49", "127.0.0.50");
        try (Sandbox mixed =
                Sandbox.builder()
                        .hosts(List.of(slow, fast.get(0), fast.get(1)))
                        .pagesPerHost(100)
                        .latency(slow, Duration.ofMillis(250))
                        .build()
                        .start()) {
            CrawlRun run =
                    crawl(
                            mixed.startUrls(),
                            Map.of("concurrent_requests", 8, "concurrent_requests_per_domain", 2));
            assertThat(run.result().errors()).isZero();
            long fastEnd = 0;
            for (String ip : fast) {
                List<RequestStart> starts = mixed.log(ip).starts();
                assertThat(starts).hasSizeGreaterThan(100); // every page and robots.txt
                fastEnd = Math.max(fastEnd, starts.get(starts.size() - 1).nanos());
            }
            List<RequestStart> slowStarts = mixed.log(slow).starts();
            long lastFast = fastEnd;
            long slowBeforeFastEnd = slowStarts.stream().filter(s -> s.nanos() <= lastFast).count();
            assertThat(slowStarts).hasSizeGreaterThan(100);
            assertThat(mixed.log(slow).maxConcurrent()).isEqualTo(2);
            assertThat(slowBeforeFastEnd)
                    .as("slow-host requests started before the fast hosts were done")
                    .isLessThan(slowStarts.size() / 2);
        }
    }

    /** Each start as milliseconds after the first, with its path, for failure messages. */
    private static List<String> startsMillis(RequestLog log) {
        List<RequestStart> starts = log.starts();
        List<String> out = new ArrayList<>();
        for (RequestStart start : starts) {
            out.add((start.nanos() - starts.get(0).nanos()) / 1_000_000 + "ms " + start.path());
        }
        return out;
    }
}
