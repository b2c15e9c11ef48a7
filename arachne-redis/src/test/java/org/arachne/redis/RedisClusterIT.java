package org.arachne.redis;

import static org.arachne.redis.SandboxCrawls.assertManifestItems;
import static org.arachne.redis.SandboxCrawls.keep;
import static org.arachne.redis.SandboxCrawls.pagesFetched;
import static org.arachne.redis.SandboxCrawls.readItems;
import static org.arachne.redis.SandboxCrawls.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.FrontierSetup;
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

/**
 * The engine on a {@link RedisFrontier} over a Redis Cluster of three nodes crawls the sandbox as
 * on one Redis: exactly the manifest's items, every page fetched once, per-host concurrency held by
 * two workers together; a worker finds the cluster from one node's address (it asks the node) or
 * from a list of nodes; every key of a crawl of one partition is on one node, and a crawl of
 * several partitions spreads over the nodes.
 */
@Timeout(180)
class RedisClusterIT {
    @RegisterExtension static final RedisCluster CLUSTER = new RedisCluster();

    @TempDir Path temp;

    @BeforeEach
    void emptyCluster() {
        CLUSTER.flushAll();
    }

    /** The nodes as a user writes them: redis://host:port,host:port,host:port. */
    private static String clusterUrl() {
        return "redis://"
                + CLUSTER.seeds().stream()
                        .map(uri -> uri.getHost() + ":" + uri.getPort())
                        .collect(Collectors.joining(","));
    }

    private static Crawler.Builder crawler(Spider spider, FrontierFactory frontier) {
        return Crawler.builder(spider)
                .settings(Map.of("concurrent_requests", 4, "concurrent_requests_per_domain", 2))
                .frontier(frontier);
    }

    /** Every key of the crawl is on one node: nodes holding any, by port. */
    private static Map<Integer, Long> nodesHoldingTheCrawl() {
        Map<Integer, Long> perNode = CLUSTER.keysPerNode("arachne:{books}:*");
        perNode.values().removeIf(n -> n == 0);
        return perNode;
    }

    @Test
    void oneWorker_givenOneNode_findsTheCluster_andWritesExactlyTheManifestItems()
            throws Exception {
        try (Sandbox sandbox = sandbox("127.0.0.121", "127.0.0.122")) {
            SiteManifest manifest = sandbox.manifest();
            Path out = temp.resolve("books.jsonl");
            FrontierFactory frontier =
                    RedisFrontier.factory(
                            CLUSTER.seeds().get(1),
                            RedisFrontierOptions.defaults().withWorker("solo"));

            CrawlResult result =
                    crawler(new SandboxCrawls.Books(sandbox.startUrls()), frontier)
                            .feed(Feed.of(out, true))
                            .build()
                            .run();

            assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
            assertThat(result.errors()).isZero();
            assertManifestItems(readItems(out), manifest);
            assertThat(pagesFetched(sandbox))
                    .as("every page fetched once")
                    .isEqualTo(manifest.crawlablePages());
            assertThat(nodesHoldingTheCrawl()).hasSize(1);
        }
    }

    /**
     * Two workers crawl the sandbox together through these frontiers: both finish, every page is
     * fetched once, the items are exactly the manifest's, and each host has at most 2 requests in
     * flight from both at once. Returns the first worker's result.
     */
    private static CrawlResult twoWorkersCrawl(
            Sandbox sandbox, FrontierFactory oneFrontier, FrontierFactory twoFrontier)
            throws Exception {
        SiteManifest manifest = sandbox.manifest();
        SandboxCrawls.Books first = new SandboxCrawls.Books(sandbox.startUrls());
        SandboxCrawls.Books second = new SandboxCrawls.Books(sandbox.startUrls());
        Queue<Item> items = new ConcurrentLinkedQueue<>();

        CompletableFuture<CrawlResult> one =
                CompletableFuture.supplyAsync(
                        () -> crawler(first, oneFrontier).pipeline(keep(items)).build().run());
        CompletableFuture<CrawlResult> two =
                CompletableFuture.supplyAsync(
                        () -> crawler(second, twoFrontier).pipeline(keep(items)).build().run());

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
        return one.get();
    }

    @Test
    void twoWorkers_onTheCluster_fetchEveryPageOnce_andHoldPerHostConcurrencyTogether()
            throws Exception {
        try (Sandbox sandbox =
                sandbox("127.0.0.123", "127.0.0.124", "127.0.0.125", "127.0.0.126")) {
            twoWorkersCrawl(
                    sandbox,
                    RedisFrontier.factory(
                            CLUSTER.seeds().get(0),
                            RedisFrontierOptions.defaults().withWorker("one")),
                    RedisFrontier.factory(
                            RedisFrontier.seeds(clusterUrl()),
                            RedisFrontierOptions.defaults().withWorker("two")));

            assertThat(nodesHoldingTheCrawl()).hasSize(1);
        }
    }

    /**
     * A crawl of 6 partitions spreads its keys over the nodes (each partition on the node of its
     * own hash tag), and two workers crawl it as one: every page once, exactly the manifest's
     * items, each host held to 2 requests at once.
     */
    @Test
    void partitionedCrawl_spreadsOverTheNodes_andTwoWorkersFetchEveryPageOnce() throws Exception {
        try (Sandbox sandbox =
                sandbox(
                        "127.0.0.141",
                        "127.0.0.142",
                        "127.0.0.143",
                        "127.0.0.144",
                        "127.0.0.145",
                        "127.0.0.146")) {
            RedisFrontierOptions options = RedisFrontierOptions.defaults().withPartitions(6);
            CrawlResult result =
                    twoWorkersCrawl(
                            sandbox,
                            RedisFrontier.factory(
                                    RedisFrontier.seeds(clusterUrl()), options.withWorker("one")),
                            RedisFrontier.factory(
                                    RedisFrontier.seeds(clusterUrl()), options.withWorker("two")));

            assertThat(result.stats()).containsEntry("redis/partitions", 6L);
            // the hosts' slots fall in partitions 0, 2, 3, 4 and 5, whose hash tags are on all
            // three
            // nodes
            Map<Integer, Long> perNode = CLUSTER.keysPerNode("arachne:{books*}:slot_done");
            perNode.values().removeIf(n -> n == 0);
            assertThat(perNode).as("nodes of partitions whose requests were done").hasSize(3);
        }
    }

    /**
     * A client of one server pointed at a cluster node (as when CLUSTER INFO is refused and the
     * frontier cannot tell): the node answers MOVED for a crawl whose slot is elsewhere, and the
     * frontier stops, saying what to do.
     */
    @Test
    void oneServersClient_onANodeWithoutTheCrawl_isRefused_sayingToGiveTheNodes() {
        RedisClient client = RedisFrontier.newClient();
        try {
            List<FrontierException> refused = new ArrayList<>();
            for (RedisURI node : CLUSTER.seeds()) {
                try {
                    RedisFrontier.open(
                                    client,
                                    node,
                                    FrontierSetup.plainQueue().withCrawl("books"),
                                    RedisFrontierOptions.defaults())
                            .close();
                } catch (FrontierException e) {
                    refused.add(e);
                }
            }

            assertThat(refused)
                    .as("the two nodes that do not hold the crawl's slot")
                    .hasSize(2)
                    .allSatisfy(
                            e -> {
                                assertThat(e.kind()).isEqualTo(FrontierException.Kind.REFUSED);
                                assertThat(e).hasMessageContaining("MOVED");
                                assertThat(e)
                                        .hasMessageContaining(
                                                "give the frontier the cluster's nodes");
                            });
        } finally {
            RedisFrontier.shutdown(client);
        }
    }
}
