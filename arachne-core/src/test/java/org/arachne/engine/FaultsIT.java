package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.middleware.HttpErrorFilter;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.CharsetRoute;
import org.arachne.sandbox.route.CompressedRoute;
import org.arachne.sandbox.route.MetaRefreshRoute;
import org.arachne.sandbox.route.RedirectRoute;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.testing.SuppressForbidden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each downloader behaviour, end to end through the engine against the sandbox's fault routes. */
@Timeout(60)
class FaultsIT {
    private static final String HOST = "127.0.0.51";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(10).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    /** Emits one item per response: its URL, title and decoded text; follows nothing. */
    static class PageSpider implements Spider {
        private final List<String> urls;

        PageSpider(String... urls) {
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
            out.item(
                    Item.of(
                            "url", response.url(),
                            "title", response.xpath("//title/text()").get(),
                            "text", response.text()));
        }
    }

    private static String url(String pathAndQuery) {
        return sandbox.uri(pathAndQuery).toString();
    }

    private static CrawlRun crawl(Spider spider, Object... settings) {
        Map<String, Object> map = new HashMap<>();
        map.put("retry_backoff_base", "10ms");
        for (int i = 0; i < settings.length; i += 2) {
            map.put((String) settings[i], settings[i + 1]);
        }
        return CrawlRun.of(spider, map);
    }

    @Test
    void serverErrorsThenOk_isRetriedAndSucceeds() {
        CrawlRun run = crawl(new PageSpider(url("/fault/flaky?key=f1&fails=2&status=503")));
        assertThat(run.items()).hasSize(1);
        assertThat(run.result().stats()).containsEntry("retry/count", 2L);
        assertThat(run.result().errors()).isZero();
        assertThat(sandbox.log(HOST).count("/fault/flaky")).isEqualTo(3);
    }

    @Test
    void serverErrorsPastTheRetries_areFilteredAndCountedAsScrapyDoes() {
        CrawlRun run = crawl(new PageSpider(url("/fault/flaky?key=f2&fails=9&status=503")));

        assertThat(run.items()).isEmpty();
        assertThat(sandbox.log(HOST).count("/fault/flaky")).isEqualTo(3);
        assertThat(run.result().stats())
                .containsEntry("retry/max_reached", 1L)
                .containsEntry("httperror/response_ignored_count", 1L)
                .containsEntry("httperror/response_ignored_status_count/503", 1L);
        assertThat(run.result().errorsByKind()).containsEntry("http_status/503", 1L);
    }

    @Test
    void serverErrorsPastTheRetries_reachACallbackThatHandlesTheStatus() {
        String flaky = url("/fault/flaky?key=f3&fails=9&status=503");
        PageSpider spider =
                new PageSpider() {
                    @Override
                    public List<Request> startRequests() {
                        return List.of(
                                Request.get(flaky)
                                        .withMeta(HttpErrorFilter.HANDLE_LIST, List.of(503)));
                    }
                };

        CrawlRun run = crawl(spider);

        assertThat(run.items())
                .singleElement()
                .satisfies(i -> assertThat((String) i.get("text")).contains("Attempt 3 failed"));
        assertThat(run.result().stats()).containsEntry("retry/max_reached", 1L);
        assertThat(run.result().errors()).isZero();
    }

    @Test
    void tooManyRequests_waitsForRetryAfter() {
        CrawlRun run = crawl(new PageSpider(url("/fault/ratelimit?key=r1&fails=1&retry_after=1")));
        assertThat(run.items()).hasSize(1);
        List<RequestStart> hits =
                sandbox.log(HOST).starts().stream()
                        .filter(s -> s.path().equals("/fault/ratelimit"))
                        .toList();
        assertThat(hits).hasSize(2);
        Duration waited = Duration.ofNanos(hits.get(1).nanos() - hits.get(0).nanos());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(990));
    }

    @Test
    void retryAfterLongerThanTheMaximum_failsInsteadOfStalling() {
        CrawlRun run =
                crawl(
                        new PageSpider(url("/fault/ratelimit?key=r2&fails=5&retry_after=3600")),
                        "retry_backoff_max",
                        "5s");
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("http_status/429", 1L);
        assertThat(run.result().elapsed()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void redirectChain_isFollowed() {
        CrawlRun run = crawl(new PageSpider(url("/fault/redirect?n=3&code=301")));
        assertThat(run.items())
                .extracting(i -> i.get("title"))
                .containsExactly(RedirectRoute.FINAL_TITLE);
        assertThat(run.result().stats()).containsEntry("redirect/count", 3L);
    }

    @Test
    void redirectLoop_isStoppedAndCounted() {
        CrawlRun run = crawl(new PageSpider(url("/fault/redirect-loop")));
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("redirect/loop", 1L);
        assertThat(sandbox.log(HOST).count("/fault/redirect-loop")).isLessThanOrEqualTo(3);
    }

    @Test
    void metaRefresh_isFollowedToItsTarget() {
        CrawlRun run =
                crawl(
                        new PageSpider(
                                url("/fault/meta-refresh?to=%2Ffault%2Fredirect%3Fn%3D0&delay=1")));
        assertThat(run.items())
                .extracting(i -> i.get("title"))
                .containsExactly(RedirectRoute.FINAL_TITLE);
        assertThat(run.result().stats())
                .containsEntry("redirect/count", 1L)
                .containsEntry("redirect/meta_refresh", 1L);
        assertThat(sandbox.log(HOST).count("/fault/redirect")).isEqualTo(1);
    }

    @Test
    void metaRefreshLoop_isStoppedAndCounted() {
        CrawlRun run = crawl(new PageSpider(url("/fault/meta-refresh")));
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("redirect/loop", 1L);
        assertThat(sandbox.log(HOST).count("/fault/meta-refresh")).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"delay=100, true", "delay=0, false"})
    void metaRefresh_notFollowedWhenTooSlowOrDisabled(String delay, boolean enabled) {
        CrawlRun run =
                crawl(
                        new PageSpider(url("/fault/meta-refresh?to=%2Ffault%2Fgzip&" + delay)),
                        "metarefresh_enabled",
                        enabled);
        assertThat(run.items())
                .extracting(i -> i.get("title"))
                .containsExactly(MetaRefreshRoute.TITLE);
        assertThat(run.result().stats()).doesNotContainKey("redirect/meta_refresh");
        assertThat(sandbox.log(HOST).count("/fault/gzip")).isZero();
    }

    @Test
    void denyPrivateAddresses_refusesWithoutConnecting() {
        CrawlRun run =
                crawl(
                        new PageSpider(url("/fault/gzip"), "http://intranet.test/x"),
                        "deny_private_addresses",
                        true,
                        "dns_overrides",
                        Map.of("intranet.test", "10.255.255.1"));
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("download/refused", 2L);
        assertThat(run.result().stats()).doesNotContainKey("retry/count");
        assertThat(sandbox.log(HOST).count()).isZero();
    }

    @Test
    void denyPrivateAddressesOff_crawlsTheSandbox() {
        CrawlRun run = crawl(new PageSpider(url("/fault/gzip")));
        assertThat(run.items()).hasSize(1);
        assertThat(run.result().errorsByKind()).doesNotContainKey("download/refused");
        assertThat(sandbox.log(HOST).count("/fault/gzip")).isEqualTo(1);
    }

    @Test
    void slowServer_timesOutWithinTheDownloadTimeout() {
        CrawlRun run =
                crawl(
                        new PageSpider(url("/fault/slow?ms=20000")),
                        "download_timeout",
                        "400ms",
                        "retry_times",
                        1);
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("download/timeout", 1L);
        assertThat(sandbox.log(HOST).count("/fault/slow")).isEqualTo(2);
        assertThat(run.result().elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @CsvSource({"/fault/huge?mb=8", "/fault/huge?mb=8&chunked=true", "/fault/gzip-bomb?mb=64"})
    void bodyOverMaxsize_isRefused(String path) {
        CrawlRun run = crawl(new PageSpider(url(path)), "download_maxsize", "1MiB");
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("download/too_large", 1L);
    }

    @ParameterizedTest
    @CsvSource({"/fault/gzip", "/fault/deflate"})
    void compressedBodies_areDecoded(String path) {
        CrawlRun run = crawl(new PageSpider(url(path)));
        assertThat(run.items()).hasSize(1);
        assertThat((String) run.items().get(0).get("text")).contains(CompressedRoute.PHRASE);
    }

    @Test
    void brokenGzip_isAnEncodingError() {
        CrawlRun run = crawl(new PageSpider(url("/fault/bad-gzip")));
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("download/bad_encoding", 1L);
    }

    @ParameterizedTest
    @CsvSource({"/fault/gbk", "/fault/gbk-meta", "/fault/gbk-sniff"})
    void gbkPages_decodeCorrectly(String path) {
        CrawlRun run = crawl(new PageSpider(url(path)));
        assertThat((String) run.items().get(0).get("text")).contains(CharsetRoute.CHINESE_PHRASE);
    }

    @Test
    void shiftJisPage_decodesCorrectly() {
        CrawlRun run = crawl(new PageSpider(url("/fault/shift-jis")));
        assertThat((String) run.items().get(0).get("text")).contains(CharsetRoute.JAPANESE_PHRASE);
    }

    @Test
    void connectionReset_isRetriedThenCounted() {
        CrawlRun run = crawl(new PageSpider(url("/fault/reset")), "retry_times", 1);
        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("download/connection_reset", 1L);
        assertThat(sandbox.log(HOST).count("/fault/reset")).isEqualTo(2);
    }

    @Test
    void linkTrap_isCutByThePageCount() {
        Spider follower =
                new PageSpider(url("/fault/trap/0")) {
                    @Override
                    public void parse(Response response, Output out) {
                        for (String href : response.xpath("//a/@href").getAll()) {
                            out.follow(href);
                        }
                    }
                };
        CrawlRun run = crawl(follower, "closespider_pagecount", 40);
        assertThat(run.result().status()).isEqualTo(CrawlResult.Status.CLOSED);
        assertThat(run.result().reason()).isEqualTo("closespider_pagecount");
        assertThat(run.result().pages()).isBetween(40L, 40L + 16);
    }

    /**
     * Backpressure: a trap where every page links to 40 new ones, crawled with a memory limit of
     * 500 queued requests, a pipeline that lags (2 ms per item) and a page cap. The queue outgrows
     * the limit 30-fold; memory holds what the limit allows (plus one batch of links per lease in
     * flight and the next chunk of each queue), the rest waits on disk, and every page fetched
     * still reaches its callback and its item the pipeline.
     */
    @Test
    void wideLinkTrap_withALaggingPipeline_keepsTheQueueWithinItsMemoryLimit() {
        int limit = 500;
        int fanout = 40;
        Spider follower =
                new PageSpider(url("/fault/trap/0?fanout=" + fanout)) {
                    @Override
                    public void parse(Response response, Output out) {
                        out.item(Item.of("url", response.url()));
                        for (String href : response.xpath("//a/@href").getAll()) {
                            out.follow(href);
                        }
                    }
                };
        List<Item> items = new CopyOnWriteArrayList<>();
        CrawlResult result =
                Crawler.builder(follower)
                        .setting("closespider_pagecount", 400)
                        .setting("scheduler_memory_queue_limit", limit)
                        .pipeline(
                                item -> {
                                    lag();
                                    items.add(item);
                                    return item;
                                })
                        .build()
                        .run();

        Map<String, Long> stats = result.stats();
        assertThat(result.reason()).isEqualTo("closespider_pagecount");
        assertThat(result.pages()).isBetween(400L, 400L + 16);
        assertThat(items)
                .as("every page reached its callback and the pipeline")
                .hasSize((int) result.pages());
        assertThat(stats.get("dupefilter/seen"))
                .as("the queue outgrew the memory limit many times over")
                .isGreaterThan(30L * limit);
        assertThat(stats.get("scheduler/spilled_to_disk")).isGreaterThan(20L * limit);
        int concurrency = 16;
        assertThat(stats.get("scheduler/max_in_memory"))
                .as(
                        "in memory: the limit, one page of links per lease in flight, a chunk per queue")
                .isLessThanOrEqualTo(limit + (long) concurrency * fanout + 2 * 512);
        assertThat(result.errors()).isZero();
    }

    @SuppressForbidden(reason = "a pipeline that is slow on purpose: nothing to wait for")
    private static void lag() throws InterruptedException {
        Thread.sleep(2); // an export that lags behind the crawl
    }

    /** A Retry-After pauses the whole host, not only the request that got it. */
    @Test
    void retryAfter_pausesTheWholeHost() {
        CrawlRun run =
                crawl(
                        new PageSpider(
                                url("/fault/ratelimit?key=p1&fails=1&retry_after=1"),
                                url("/fault/status?code=200&n=1"),
                                url("/fault/status?code=200&n=2"),
                                url("/fault/status?code=200&n=3")),
                        "concurrent_requests_per_domain",
                        1);
        assertThat(run.items()).hasSize(4);
        List<RequestStart> starts = sandbox.log(HOST).starts();
        int limited = -1;
        for (int i = 0; i < starts.size(); i++) {
            if (starts.get(i).path().equals("/fault/ratelimit")) {
                limited = i;
                break;
            }
        }
        assertThat(limited).as("the 429 was served").isNotNegative();
        assertThat(starts.size())
                .as("requests after the 429: " + starts)
                .isGreaterThan(limited + 1);
        Duration gap =
                Duration.ofNanos(starts.get(limited + 1).nanos() - starts.get(limited).nanos());
        assertThat(gap)
                .as("no request to the host during the pause: " + starts)
                .isGreaterThanOrEqualTo(Duration.ofMillis(980));
        assertThat(run.result().stats()).containsEntry("politeness/retry_after_pause_count", 1L);
    }
}
