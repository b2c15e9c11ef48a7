package org.arachne.redis;

import static org.arachne.redis.SandboxCrawls.assertManifestItems;
import static org.arachne.redis.SandboxCrawls.keep;
import static org.arachne.redis.SandboxCrawls.pagesFetched;
import static org.arachne.redis.SandboxCrawls.readItems;
import static org.arachne.redis.SandboxCrawls.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole crawls of the sandbox site with the engine on a {@link RedisFrontier}: one worker writing a
 * feed (the items through the Redis stream, against the manifest), and two workers in one process
 * sharing the crawl (every page fetched once by one of them, per-host concurrency held by both
 * together, as the server measures it). Reports the round trips per page.
 */
@Timeout(180)
class RedisCrawlIT {
    private static final Logger log = LoggerFactory.getLogger(RedisCrawlIT.class);

    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    @TempDir Path temp;

    @BeforeEach
    void emptyServer() {
        REDIS.flushAll();
    }

    /**
     * A worker takes 4 leases at once, 2 per host: with 4 hosts one worker cannot hold every
     * permit, so both work, and only permits shared in Redis keep a host at 2.
     */
    private static Crawler.Builder crawler(Spider spider, String worker) {
        return Crawler.builder(spider)
                .settings(Map.of("concurrent_requests", 4, "concurrent_requests_per_domain", 2))
                .frontier(
                        RedisFrontier.factory(
                                REDIS.uri(), RedisFrontierOptions.defaults().withWorker(worker)));
    }

    @Test
    void oneWorker_writesExactlyTheManifestItems_throughTheItemStream() throws Exception {
        try (Sandbox sandbox = sandbox("127.0.0.111", "127.0.0.112")) {
            SiteManifest manifest = sandbox.manifest();
            SandboxCrawls.Books spider = new SandboxCrawls.Books(sandbox.startUrls());
            Path out = temp.resolve("books.jsonl");

            CrawlResult result = crawler(spider, "solo").feed(Feed.of(out, true)).build().run();

            assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertThat(result.errors()).isZero();
            assertManifestItems(readItems(out), manifest);
            long pages = pagesFetched(sandbox);
            assertThat(pages).as("every page fetched once").isEqualTo(manifest.crawlablePages());
            long roundTrips = result.stats().get("redis/round_trips");
            log.info(
                    "one worker: {} pages, {} Redis round trips, {} per page: {}",
                    pages,
                    roundTrips,
                    String.format(java.util.Locale.ROOT, "%.2f", (double) roundTrips / pages),
                    redisFigures(result));
        }
    }

    @Test
    void twoWorkers_fetchEveryPageOnce_andHoldPerHostConcurrencyTogether() throws Exception {
        try (Sandbox sandbox =
                sandbox("127.0.0.113", "127.0.0.114", "127.0.0.115", "127.0.0.116")) {
            SiteManifest manifest = sandbox.manifest();
            SandboxCrawls.Books first = new SandboxCrawls.Books(sandbox.startUrls());
            SandboxCrawls.Books second = new SandboxCrawls.Books(sandbox.startUrls());
            Queue<Item> items = new ConcurrentLinkedQueue<>();

            CompletableFuture<CrawlResult> one =
                    CompletableFuture.supplyAsync(
                            () -> crawler(first, "one").pipeline(keep(items)).build().run());
            CompletableFuture<CrawlResult> two =
                    CompletableFuture.supplyAsync(
                            () -> crawler(second, "two").pipeline(keep(items)).build().run());

            assertThat(one.get().status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertThat(two.get().status()).isEqualTo(CrawlResult.Status.FINISHED);
            List<String> parsed = new ArrayList<>(first.parsed);
            parsed.addAll(second.parsed);
            assertThat(parsed).doesNotHaveDuplicates().hasSize(manifest.crawlablePages());
            assertThat(pagesFetched(sandbox)).isEqualTo(manifest.crawlablePages());
            assertManifestItems(items.stream().map(Item::fields).toList(), manifest);
            for (String ip : sandbox.hosts()) {
                assertThat(sandbox.log(ip).maxConcurrent())
                        .as("requests in flight at once at %s, from both workers", ip)
                        .isLessThanOrEqualTo(2);
            }
            long endings =
                    one.get().stats().get("redis/calls/end")
                            + two.get().stats().get("redis/calls/end");
            long robots = 0;
            for (String ip : sandbox.hosts()) {
                robots += sandbox.log(ip).count("/robots.txt");
                assertThat(sandbox.log(ip).count("/robots.txt"))
                        .as("robots.txt of %s: fetched once by each worker at most", ip)
                        .isLessThanOrEqualTo(2);
            }
            // a worker whose robots.txt request the other took reads what the other kept (#11),
            // rather than putting its requests of that host back again and again until the end
            assertThat(endings)
                    .as("lease endings: the pages, the robots.txt, a few waits for them")
                    .isLessThanOrEqualTo(manifest.crawlablePages() + robots + 40);
            log.info(
                    "two workers: {} and {} pages, {} lease endings, {} robots.txt fetches",
                    first.parsed.size(),
                    second.parsed.size(),
                    endings,
                    robots);
        }
    }

    private static Map<String, Long> redisFigures(CrawlResult result) {
        Map<String, Long> figures = new java.util.TreeMap<>();
        result.stats()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith("redis/")) {
                                figures.put(key, value);
                            }
                        });
        return figures;
    }
}
