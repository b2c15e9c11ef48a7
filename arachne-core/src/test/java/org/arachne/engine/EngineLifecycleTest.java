package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.ItemOutbox;
import org.arachne.frontier.Lease;
import org.arachne.frontier.MemoryFrontier;
import org.arachne.frontier.Opening;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.politeness.SlotSignals;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a crawl starts and ends with the frontier SPI: stopping while a slot waits, a resumed
 * frontier that is not seeded again, the one policy for frontier failures, and items that reach the
 * feeds through the frontier's outbox.
 */
@Timeout(30)
class EngineLifecycleTest {
    @TempDir Path dir;

    /** One item per page, one link to the next page up to {@code last}. */
    static class ChainSpider implements Spider {
        private final String host;
        private final int last;

        ChainSpider(String host, int last) {
            this.host = host;
            this.last = last;
        }

        @Override
        public String name() {
            return "chain";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://" + host + "/0");
        }

        @Override
        public void parse(Response response, Output out) {
            int n = Integer.parseInt(response.url().substring(response.url().lastIndexOf('/') + 1));
            out.item(Item.of("n", n));
            if (n < last) {
                out.follow("/" + (n + 1));
            }
        }
    }

    private static FakeWeb chain(String host, int pages) {
        FakeWeb web = new FakeWeb();
        for (int i = 0; i < pages; i++) {
            web.page("http://" + host + "/" + i, "<html><body>" + i + "</body></html>");
        }
        return web;
    }

    /**
     * A crawl of a chain whose next page waits 60 s after the first, which counts the latch down.
     */
    private static Crawler waitingALongDelay(FakeWeb web, CountDownLatch firstPage) {
        web.route(
                "http://a.test/0",
                r -> {
                    firstPage.countDown();
                    return FakeWeb.html(r, 200, "<html>0</html>");
                });
        return Crawler.builder(new ChainSpider("a.test", 2))
                .downloader(web)
                .settings(
                        Map.of(
                                "robotstxt_obey", false,
                                "download_delay", "60s",
                                "randomize_download_delay", false))
                .build();
    }

    @Test
    void stop_whileTheOnlySlotWaitsALongDelay_returnsAtOnce() throws Exception {
        CountDownLatch firstPage = new CountDownLatch(1);
        FakeWeb web = chain("a.test", 3);
        Crawler crawler = waitingALongDelay(web, firstPage);
        CompletableFuture<CrawlResult> run =
                CompletableFuture.supplyAsync(crawler::run, task -> Thread.ofVirtual().start(task));
        assertThat(firstPage.await(10, TimeUnit.SECONDS)).isTrue();
        // the first lease must have ended and the dispatcher be waiting for the 60 s delay
        while (crawler.inFlight() > 0 || crawler.queued() == 0) {
            Thread.onSpinWait();
        }
        long stoppedAt = System.nanoTime();
        crawler.stop();
        CrawlResult result = run.get(20, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
        System.out.println(
                "stop() to run() returning, with a 60 s delay pending: " + millis + " ms");
        assertThat(result.status()).isEqualTo(CrawlResult.Status.STOPPED);
        assertThat(millis).as("the old dispatcher waited out its 5 s take").isLessThan(2000);
        assertThat(web.fetched).containsExactly("http://a.test/0");
    }

    @Test
    void interruptingTheCrawlsThread_abortsIt_andKeepsTheInterrupt() throws Exception {
        CountDownLatch firstPage = new CountDownLatch(1);
        FakeWeb web = chain("a.test", 3);
        Crawler crawler = waitingALongDelay(web, firstPage);
        CompletableFuture<CrawlResult> result = new CompletableFuture<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread runner =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    result.complete(crawler.run());
                                    stillInterrupted.complete(Thread.interrupted());
                                });
        assertThat(firstPage.await(10, TimeUnit.SECONDS)).isTrue();
        while (crawler.inFlight() > 0 || crawler.queued() == 0) {
            Thread.onSpinWait();
        }
        runner.interrupt();

        assertThat(result.get(10, TimeUnit.SECONDS).status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.get().reason()).isEqualTo("the crawl's thread was interrupted");
        assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(web.fetched).containsExactly("http://a.test/0");
    }

    @Test
    void items_reachEveryFeedThroughTheOutbox_inFullLeaseBatches() throws Exception {
        Path jsonl = dir.resolve("items.jsonl");
        Path csv = dir.resolve("items.csv");
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 49))
                        .downloader(chain("a.test", 50))
                        .setting("robotstxt_obey", false)
                        .feed(Feed.of(jsonl, false))
                        .feed(Feed.of(csv, false))
                        .build()
                        .run();
        assertThat(result.items()).isEqualTo(50);
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(50);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertThat(json.readTree(line).get("n").isInt()).as(line).isTrue();
        }
        assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8))
                .hasSize(51)
                .first()
                .isEqualTo("n");
    }

    @Test
    void resumedFrontier_isNotSeededAgain_andItsCountersCarryOver() {
        FakeWeb web = chain("a.test", 5);
        FrontierFactory resumed =
                setup ->
                        new FrontierWrapper(new MemoryFrontier(setup)) {
                            {
                                // an earlier run crawled /0 .. /2 and queued /3
                                delegate.add(List.of(Request.get("http://a.test/0")));
                                try {
                                    Lease earlier = delegate.take(Duration.ZERO);
                                    delegate.done(
                                            earlier,
                                            List.of(Request.get("http://a.test/3")),
                                            List.of(),
                                            SlotSignals.NONE);
                                } catch (InterruptedException e) {
                                    throw new AssertionError(e);
                                }
                            }

                            @Override
                            public Opening opening() {
                                return Opening.RESUMED;
                            }

                            @Override
                            public Map<String, Long> restoredCounters() {
                                return Map.of(
                                        "item_scraped_count", 3L, "response_received_count", 3L);
                            }
                        };
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 4))
                        .downloader(web)
                        .setting("robotstxt_obey", false)
                        .frontier(resumed)
                        .build()
                        .run();
        assertThat(web.fetched)
                .as("the start URL is not crawled again")
                .containsExactly("http://a.test/3", "http://a.test/4");
        assertThat(result.items()).as("3 from earlier runs, 2 now").isEqualTo(5);
        assertThat(result.stats()).containsEntry("frontier/resumed", 1L);
    }

    /** An outbox that says it is durable and keeps the feed positions of its acknowledgements. */
    static final class RecordingOutbox implements ItemOutbox {
        final ItemOutbox delegate;
        final Map<String, Long> restored;
        volatile Map<String, Long> acknowledged = Map.of();

        RecordingOutbox(ItemOutbox delegate, Map<String, Long> restored) {
            this.delegate = delegate;
            this.restored = restored;
        }

        @Override
        public List<CommittedItems> poll(int maxBatches, Duration maxWait)
                throws InterruptedException {
            return delegate.poll(maxBatches, maxWait);
        }

        @Override
        public void acknowledge(long sequence) {
            throw new AssertionError("a durable outbox is told the feed positions");
        }

        @Override
        public void acknowledge(long sequence, Map<String, Long> feedPositions) {
            acknowledged = Map.copyOf(feedPositions);
            delegate.acknowledge(sequence);
        }

        @Override
        public Map<String, Long> feedPositions() {
            return restored;
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public long ready() {
            return delegate.ready();
        }

        @Override
        public long pending() {
            return delegate.pending();
        }
    }

    @ParameterizedTest
    @CsvSource({"items.jsonl", "items.json", "items.csv"})
    void durableOutbox_recordsFeedPositions_andAResumedRunGoesOnFromThem(String name)
            throws Exception {
        Path out = dir.resolve(name);
        RecordingOutbox[] first = new RecordingOutbox[1];
        Crawler.builder(new ChainSpider("a.test", 2))
                .downloader(chain("a.test", 3))
                .setting("robotstxt_obey", false)
                .feed(Feed.of(out, true))
                .frontier(
                        setup ->
                                new FrontierWrapper(new MemoryFrontier(setup)) {
                                    final RecordingOutbox outbox =
                                            first[0] =
                                                    new RecordingOutbox(
                                                            delegate.outbox(), Map.of());

                                    @Override
                                    public ItemOutbox outbox() {
                                        return outbox;
                                    }
                                })
                .build()
                .run();
        String key = out.toAbsolutePath().normalize().toString();
        long position = first[0].acknowledged.get(key);
        assertThat(position).isPositive().isLessThanOrEqualTo(Files.size(out));
        // what a killed run may leave after the position: an item written, never acknowledged
        Files.write(out, "{\"torn\":".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        Crawler.builder(new ChainSpider("a.test", 4))
                .downloader(chain("a.test", 5))
                .setting("robotstxt_obey", false)
                .feed(Feed.of(out, true)) // -O: a resumed job never starts its files afresh
                .frontier(
                        setup ->
                                new FrontierWrapper(
                                        resumedAfter(
                                                        "http://a.test/0",
                                                        "http://a.test/1",
                                                        "http://a.test/2")
                                                .open(setup)) {
                                    {
                                        delegate.add(List.of(Request.get("http://a.test/3")));
                                    }

                                    final RecordingOutbox outbox =
                                            new RecordingOutbox(
                                                    delegate.outbox(), Map.of(key, position));

                                    @Override
                                    public ItemOutbox outbox() {
                                        return outbox;
                                    }
                                })
                .build()
                .run();

        assertThat(JobDirCrawlTest.numbers(out)).containsExactly(0, 1, 2, 3, 4);
    }

    /** A memory frontier that says it resumed, after an earlier "run" crawled these URLs. */
    private static FrontierFactory resumedAfter(String... crawled) {
        return setup ->
                new FrontierWrapper(new MemoryFrontier(setup)) {
                    {
                        for (String url : crawled) {
                            delegate.add(List.of(Request.get(url)));
                            try {
                                delegate.done(
                                        delegate.take(Duration.ZERO),
                                        List.of(),
                                        List.of(),
                                        SlotSignals.NONE);
                            } catch (InterruptedException e) {
                                throw new AssertionError(e);
                            }
                        }
                    }

                    @Override
                    public Opening opening() {
                        return Opening.RESUMED;
                    }
                };
    }

    @Test
    void resumedFrontier_queuesOnlyStartUrlsItHasNotSeen() {
        FakeWeb web = chain("a.test", 1).page("http://a.test/7", "<html>new</html>");
        Spider spider =
                new ChainSpider("a.test", 0) {
                    @Override
                    public List<Request> startRequests() {
                        return List.of(
                                Request.get("http://a.test/0").withDontFilter(true),
                                Request.get("http://a.test/7"));
                    }
                };
        CrawlResult result =
                Crawler.builder(spider)
                        .downloader(web)
                        .setting("robotstxt_obey", false)
                        .frontier(resumedAfter("http://a.test/0"))
                        .build()
                        .run();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(web.fetched).containsExactly("http://a.test/7");
    }

    @Test
    void resumedFrontier_withNothingLeft_saysTheJobIsFinished() {
        FakeWeb web = chain("a.test", 1);
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 0))
                        .downloader(web)
                        .setting("robotstxt_obey", false)
                        .frontier(resumedAfter("http://a.test/0"))
                        .build()
                        .run();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.reason()).isEqualTo("finished in an earlier run");
        assertThat(web.fetched).isEmpty();
    }

    @Test
    void frontierFailingForGood_stopsTheCrawlCleanly_withTheFeedsClosed() throws Exception {
        Path jsonl = dir.resolve("items.jsonl");
        AtomicInteger takes = new AtomicInteger();
        FrontierFactory failing =
                setup ->
                        new FrontierWrapper(new MemoryFrontier(setup)) {
                            @Override
                            public @Nullable Lease take(Duration maxWait)
                                    throws InterruptedException {
                                if (takes.incrementAndGet() > 3) {
                                    throw new FrontierException(
                                            "disk full", false, new java.io.IOException("ENOSPC"));
                                }
                                return delegate.take(maxWait);
                            }
                        };
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 9))
                        .downloader(chain("a.test", 10))
                        .setting("robotstxt_obey", false)
                        .setting("concurrent_requests", 1)
                        .feed(Feed.of(jsonl, false))
                        .frontier(failing)
                        .build()
                        .run();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason()).contains("frontier failed").contains("disk full");
        assertThat(result.errorsByKind()).containsEntry("frontier/FrontierException", 1L);
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"n\":"));
    }

    /** An outbox that cannot record an acknowledgement: its store's disk is full. */
    static final class FullDiskOutbox implements ItemOutbox {
        private final ItemOutbox delegate;

        FullDiskOutbox(ItemOutbox delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<CommittedItems> poll(int maxBatches, Duration maxWait)
                throws InterruptedException {
            return delegate.poll(maxBatches, maxWait);
        }

        @Override
        public void acknowledge(long sequence) {
            throw new FrontierException(
                    "cannot record the acknowledged items: disk full",
                    FrontierException.Kind.STORAGE,
                    false,
                    null);
        }

        @Override
        public long ready() {
            return delegate.ready();
        }

        @Override
        public long pending() {
            return delegate.pending();
        }
    }

    @Test
    void acknowledgementThatCannotBeRecorded_stopsTheCrawlAsAnOutputFailure_withNothingUncaught()
            throws Exception {
        // #10: the feed writer's acknowledgement escaped its virtual thread, stack trace and all,
        // and the crawl went on without recording anything
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        CrawlResult result;
        try {
            FrontierFactory full =
                    setup ->
                            new FrontierWrapper(new MemoryFrontier(setup)) {
                                private final ItemOutbox outbox =
                                        new FullDiskOutbox(delegate.outbox());

                                @Override
                                public ItemOutbox outbox() {
                                    return outbox;
                                }
                            };
            result =
                    Crawler.builder(new ChainSpider("a.test", 9))
                            .downloader(chain("a.test", 10))
                            .setting("robotstxt_obey", false)
                            .setting("concurrent_requests", 1)
                            .feed(Feed.of(dir.resolve("items.jsonl"), false))
                            .frontier(full)
                            .build()
                            .run();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(uncaught).isEmpty();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.OUTPUT_FAILED);
        assertThat(result.reason())
                .contains("frontier failed")
                .contains("cannot record the acknowledged items: disk full");
        // how many pages came before the first acknowledgement failed is a race: a lease's thread
        // drains after its permit is back, so the dispatcher may have taken (even finished) them
        // all
    }

    @Test
    void frontierFailingWhenTheRobotsStageQueuesRobotsTxt_stopsTheCrawl_asAFrontierFailure() {
        // #10: counted and logged as an unexpected failure (a bug), stack trace and all
        FrontierFactory full =
                setup ->
                        new FrontierWrapper(new MemoryFrontier(setup)) {
                            @Override
                            public int add(List<Request> requests) {
                                if (requests.stream()
                                        .anyMatch(r -> r.url().endsWith("/robots.txt"))) {
                                    throw new FrontierException(
                                            "disk full",
                                            FrontierException.Kind.STORAGE,
                                            false,
                                            null);
                                }
                                return delegate.add(requests);
                            }
                        };
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 3))
                        .downloader(chain("a.test", 4))
                        .frontier(full)
                        .build()
                        .run();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.OUTPUT_FAILED);
        assertThat(result.reason()).contains("frontier failed: disk full");
        assertThat(result.errorsByKind())
                .containsOnlyKeys("frontier/FrontierException")
                .doesNotContainKey("engine/FrontierException");
    }

    @Test
    void transientFrontierFailure_isTriedAgain_andTheLeaseEndsOnce() {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        AtomicInteger accepted = new AtomicInteger();
        FrontierFactory flaky =
                setup ->
                        new FrontierWrapper(new MemoryFrontier(setup)) {
                            @Override
                            public Ending done(
                                    Lease lease,
                                    List<Request> produced,
                                    List<Item> items,
                                    SlotSignals signals) {
                                if (failuresLeft.getAndDecrement() > 0) {
                                    throw new FrontierException(
                                            "busy", true, new RuntimeException());
                                }
                                Ending ending = delegate.done(lease, produced, items, signals);
                                if (ending.accepted()) {
                                    accepted.incrementAndGet();
                                }
                                return ending;
                            }
                        };
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 2))
                        .downloader(chain("a.test", 3))
                        .setting("robotstxt_obey", false)
                        .frontier(flaky)
                        .build()
                        .run();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.items()).isEqualTo(3);
        assertThat(accepted.get()).as("one accepted ending per page").isEqualTo(3);
        assertThat(result.stats()).containsEntry("frontier/retries", 2L);
        assertThat(result.errors()).isZero();
    }

    @Test
    void userRequestStage_changesWhatIsSent() {
        List<String> agents = new java.util.concurrent.CopyOnWriteArrayList<>();
        FakeWeb web = new FakeWeb();
        web.route(
                "http://a.test/0",
                r -> {
                    agents.add(String.valueOf(r.headers().first("X-Token")));
                    return FakeWeb.html(r, 200, "<html>0</html>");
                });
        Crawler.builder(new ChainSpider("a.test", 0))
                .downloader(web)
                .setting("robotstxt_obey", false)
                .requestStage(
                        (request, slot) ->
                                org.arachne.middleware.StageResult.next(
                                        request.withHeader("X-Token", "t-1")))
                .build()
                .run();
        assertThat(agents).containsExactly("t-1");
    }

    /** A page linking to 100 others on one host, each of which is a page too. */
    private static FakeWeb star() {
        FakeWeb web = new FakeWeb();
        StringBuilder links = new StringBuilder("<html><body>");
        for (int i = 1; i <= 100; i++) {
            links.append("<a href=\"/").append(i).append("\">x</a>");
            web.page("http://a.test/" + i, "<html><body>" + i + "</body></html>");
        }
        web.page("http://a.test/0", links.append("</body></html>").toString());
        return web;
    }

    /** Follows every link of a page; one item per page. */
    static final class StarSpider implements Spider {
        @Override
        public String name() {
            return "star";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/0");
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Item.of("url", response.url()));
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("href=\"([^\"]+)\"").matcher(response.text());
            while (m.find()) {
                out.follow(m.group(1));
            }
        }
    }

    @Test
    void closespiderPagecount_stopsSchedulingAtTheCount_evenWithManyRequestsInFlight() {
        FakeWeb web = star();
        CrawlResult result =
                Crawler.builder(new StarSpider())
                        .downloader(web)
                        .settings(
                                Map.of(
                                        "robotstxt_obey", false,
                                        "concurrent_requests", 16,
                                        "concurrent_requests_per_domain", 16,
                                        "closespider_pagecount", 5))
                        .build()
                        .run();
        assertThat(result.reason()).isEqualTo("closespider_pagecount");
        assertThat(result.pages()).as("before: 11 to 12 pages").isEqualTo(5);
        assertThat(web.fetched).hasSize(5);
    }

    @Test
    void startRequests_areCountedAsScheduled() {
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 2))
                        .downloader(chain("a.test", 3))
                        .setting("robotstxt_obey", false)
                        .build()
                        .run();
        assertThat(result.stats()).containsEntry("request_scheduled_count", 3L);
    }

    @Test
    void abort_afterAGracefulStop_saysAborted() throws Exception {
        CountDownLatch slowPage = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeWeb web = new FakeWeb();
        web.route(
                "http://a.test/0",
                r -> {
                    slowPage.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return FakeWeb.html(r, 200, "<html>0</html>");
                });
        Crawler crawler =
                Crawler.builder(new ChainSpider("a.test", 0))
                        .downloader(web)
                        .setting("robotstxt_obey", false)
                        .build();
        CompletableFuture<CrawlResult> run =
                CompletableFuture.supplyAsync(crawler::run, task -> Thread.ofVirtual().start(task));
        assertThat(slowPage.await(10, TimeUnit.SECONDS)).isTrue();
        crawler.stop();
        crawler.abort();
        release.countDown();
        CrawlResult result = run.get(20, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason()).startsWith("aborted on request");
    }

    @Test
    void feedOnAFullDevice_stopsTheCrawl_andCountsNoItemAsScraped() throws Exception {
        Path full = Files.createSymbolicLink(dir.resolve("full.jsonl"), Path.of("/dev/full"));
        CrawlResult result =
                Crawler.builder(new ChainSpider("a.test", 49))
                        .downloader(chain("a.test", 50))
                        .setting("robotstxt_obey", false)
                        .feed(Feed.of(full, false))
                        .build()
                        .run();
        assertThat(result.status()).isEqualTo(CrawlResult.Status.OUTPUT_FAILED);
        assertThat(result.reason()).contains("full.jsonl").contains("No space left on device");
        assertThat(result.items()).as("nothing reached the disk").isZero();
        assertThat(result.errorsByKind()).containsOnlyKeys("export/IOException");
        assertThat(result.errorsByKind().get("export/IOException"))
                .as("one error, not one per item")
                .isEqualTo(1L);
        assertThat(result.pages()).as("the crawl stopped early").isLessThan(50);
    }

    /** A crawl whose one feed is {@code output}: it cannot start. */
    private static CrawlResult crawlInto(Path output) {
        return Crawler.builder(new ChainSpider("a.test", 0))
                .downloader(chain("a.test", 1))
                .setting("robotstxt_obey", false)
                .feed(Feed.of(output, false))
                .build()
                .run();
    }

    @Test
    void outputUnderAMissingDirectoryThatCannotBeMade_saysThePathAndTheReasonInOneLine()
            throws Exception {
        Files.writeString(dir.resolve("plain-file"), "not a directory");
        Path output = dir.resolve("plain-file/items.jsonl");

        CrawlResult result = crawlInto(output);

        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason())
                .isEqualTo(
                        "cannot start: cannot open output "
                                + output
                                + ": "
                                + dir.resolve("plain-file")
                                + ": Not a directory");
        assertThat(result.pages()).isZero();
    }

    @Test
    void outputUnderAMissingDirectoryInAReadOnlyOne_saysThePathAndTheReasonInOneLine()
            throws Exception {
        Path readOnly = readOnlyDirectory();
        Path output = readOnly.resolve("missing/items.jsonl");

        CrawlResult result = crawlInto(output);

        assertThat(result.reason())
                .startsWith("cannot start: cannot open output " + output + ": ")
                .doesNotContain("\n")
                .matches(".*: (Permission denied|Operation not permitted)");
    }

    @Test
    void outputInAReadOnlyDirectory_saysThePathAndTheReasonInOneLine() throws Exception {
        Path output = readOnlyDirectory().resolve("items.jsonl");
        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Engine.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        CrawlResult result;
        try {
            result = crawlInto(output);
        } finally {
            log.detachAppender(logged);
        }

        assertThat(logged.list)
                .filteredOn(e -> e.getFormattedMessage().startsWith("cannot start"))
                .singleElement()
                .satisfies(e -> assertThat(e.getThrowableProxy()).as("no stack trace").isNull());

        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        // before #9: "cannot open output X: X", the reason left out
        assertThat(result.reason())
                .isEqualTo(
                        "cannot start: cannot open output "
                                + output
                                + ": "
                                + output
                                + ": Permission denied");
        assertThat(result.errorsByKind()).containsOnlyKeys("open/IOException");
    }

    /**
     * A directory this process cannot write in: one made read-only, or, when that does not stop
     * this process (root ignores permissions), Linux's {@code /sys}, where even root cannot create
     * files.
     */
    private Path readOnlyDirectory() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        if (readOnly.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        if (!canCreateFileIn(readOnly)) {
            return readOnly;
        }
        Path sys = Path.of("/sys");
        Assumptions.assumeTrue(
                Files.isDirectory(sys) && !canCreateFileIn(sys),
                "no directory this process cannot write in");
        return sys;
    }

    private static boolean canCreateFileIn(Path directory) {
        try {
            Files.delete(Files.createTempFile(directory, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void appendingToAFileCutMidRecord_startsOnANewLine() throws Exception {
        Path jsonl = dir.resolve("items.jsonl");
        Files.writeString(jsonl, "{\"n\":0}\n{\"n\":1", StandardCharsets.UTF_8); // a kill -9
        Crawler.builder(new ChainSpider("a.test", 0))
                .downloader(chain("a.test", 1))
                .setting("robotstxt_obey", false)
                .feed(Feed.of(jsonl, false))
                .build()
                .run();
        assertThat(Files.readAllLines(jsonl, StandardCharsets.UTF_8))
                .containsExactly("{\"n\":0}", "{\"n\":1", "{\"n\":0}");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 127.0.0.9, false", // per domain, an IP address is the slot of http://127.0.0.9/ URLs
        "0, a.test, false",
        "2, a.test, true", // per IP, a host name is never a slot
        "2, 127.0.0.9, false"
    })
    void downloadSlotsNamingAHostName_perIp_isAWarning(int perIp, String slot, boolean warned) {
        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CrawlParts.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            Crawler.builder(new ChainSpider("a.test", 0))
                    .downloader(chain("a.test", 1))
                    .setting("robotstxt_obey", false)
                    .setting("concurrent_requests_per_ip", perIp)
                    .setting("dns_overrides", Map.of("a.test", "127.0.0.9"))
                    .setting("download_slots", Map.of(slot, Map.of("concurrency", 1)))
                    .build()
                    .run();
        } finally {
            log.detachAppender(logged);
        }
        assertThat(logged.list)
                .filteredOn(e -> e.getFormattedMessage().contains("it never applies"))
                .hasSize(warned ? 1 : 0);
    }

    /** Passes every call to another frontier; tests override the calls they change. */
    static class FrontierWrapper implements Frontier {
        final Frontier delegate;

        FrontierWrapper(Frontier delegate) {
            this.delegate = delegate;
        }

        @Override
        public Opening opening() {
            return delegate.opening();
        }

        @Override
        public int add(List<Request> requests) {
            return delegate.add(requests);
        }

        @Override
        public @Nullable Lease take(Duration maxWait) throws InterruptedException {
            return delegate.take(maxWait);
        }

        @Override
        public void started(Lease lease) {
            delegate.started(lease);
        }

        @Override
        public Ending done(
                Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
            return delegate.done(lease, produced, items, signals);
        }

        @Override
        public Ending retry(
                Lease lease, Request request, Duration delay, String reason, SlotSignals signals) {
            return delegate.retry(lease, request, delay, reason, signals);
        }

        @Override
        public Ending fail(Lease lease, String reason, SlotSignals signals) {
            return delegate.fail(lease, reason, signals);
        }

        @Override
        public @Nullable Lease renew(Lease lease) {
            return delegate.renew(lease);
        }

        @Override
        public ItemOutbox outbox() {
            return delegate.outbox();
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean awaitFinished(Duration timeout) throws InterruptedException {
            return delegate.awaitFinished(timeout);
        }

        @Override
        public long queuedCount() {
            return delegate.queuedCount();
        }

        @Override
        public int leasedCount() {
            return delegate.leasedCount();
        }

        @Override
        public Map<String, Long> restoredCounters() {
            return delegate.restoredCounters();
        }

        @Override
        public void saveCounters(Map<String, Long> counters) {
            delegate.saveCounters(counters);
        }

        @Override
        public Map<String, Long> stats() {
            return delegate.stats();
        }

        @Override
        public void wakeUp() {
            delegate.wakeUp();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
