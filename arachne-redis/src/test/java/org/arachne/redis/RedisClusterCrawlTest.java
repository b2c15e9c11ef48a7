package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands' side of a crawl on a Redis Cluster of three nodes (#11), reached through a {@link
 * RedisEndpoint} given the nodes or one node that does not hold the crawl's keys: its control
 * scripts, its stop told on the control channel to a listener subscribed on another node, its
 * status, the leases of a worker given back, and an export of its stream.
 */
@Timeout(120)
class RedisClusterCrawlTest {
    @RegisterExtension static final RedisCluster CLUSTER = new RedisCluster();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir Path temp;

    @BeforeEach
    void emptyCluster() {
        CLUSTER.flushAll();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    /** An endpoint given one node that does not hold the crawl's keys: it finds the cluster. */
    private RedisEndpoint oneNode() {
        RedisURI node = RedisURI.create(CLUSTER.urlOfAnotherNodeThan("arachne:{books}:meta"));
        RedisEndpoint endpoint = RedisEndpoint.connect(List.of(node), null);
        opened.add(endpoint);
        return endpoint;
    }

    private RedisEndpoint allNodes() {
        RedisEndpoint endpoint = RedisEndpoint.connect(CLUSTER.seeds(), null);
        opened.add(endpoint);
        return endpoint;
    }

    private RedisFrontier worker(RedisEndpoint endpoint, String name) {
        RedisFrontier f =
                endpoint.openFrontier(
                        FrontierSetup.of(
                                        SlotRules.perHostUnlimited(),
                                        Throttle.none(),
                                        new ManualTicker())
                                .withCrawl("books"),
                        RedisFrontierOptions.defaults()
                                .withWorker(name)
                                .withItems(RedisFrontierOptions.Items.FOR_EXPORT));
        opened.add(f);
        return f;
    }

    private RedisCrawl crawl(RedisEndpoint endpoint) {
        RedisCrawl crawl = RedisCrawl.connect(endpoint, "books");
        opened.add(crawl);
        return crawl;
    }

    @Test
    void endpoint_givenOneNode_findsTheCluster() {
        assertThat(oneNode().isCluster()).isTrue();
        assertThat(allNodes().isCluster()).isTrue();
        assertThat(oneNode().where()).startsWith("Redis Cluster at 127.0.0.1:");
    }

    @Test
    void stop_isToldToAListener_andReadByTheStatus_throughAnyNode() throws Exception {
        RedisEndpoint one = oneNode();
        RedisFrontier w = worker(allNodes(), "w");
        w.add(List.of(Request.get("http://a.test/1")));
        CountDownLatch told = new CountDownLatch(1);
        opened.add(crawl(one).onStop(told::countDown));

        RedisCrawl.Stopped stopped = crawl(allNodes()).stop();

        assertThat(stopped).isNotNull();
        assertThat(told.await(10, TimeUnit.SECONDS)).as("told on the channel").isTrue();
        assertThat(crawl(one).stoppedAt()).isEqualTo(stopped.at());
        CrawlStatus status = crawl(one).status();
        assertThat(status.state()).isEqualTo(CrawlStatus.State.STOPPED);
        assertThat(status.queued()).isEqualTo(1);
        assertThat(crawl(one).resume()).isTrue();
        assertThat(crawl(one).status().state()).isEqualTo(CrawlStatus.State.RUNNING);
    }

    @Test
    void releaseLeases_ofAWorkerGone_queuesItsRequestsAgain() throws Exception {
        RedisFrontier gone = worker(allNodes(), "gone");
        gone.add(List.of(Request.get("http://a.test/1")));
        gone.take(Duration.ZERO);
        RedisCrawl crawl = crawl(oneNode());

        long released = crawl.releaseLeases("gone");

        assertThat(released).isEqualTo(1);
        assertThat(crawl.status().inFlight()).isZero();
        assertThat(crawl.status().queued()).isEqualTo(1);
    }

    @Test
    void export_throughOneNode_writesEveryBatchOnce() throws Exception {
        RedisFrontier w = worker(allNodes(), "w");
        w.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
        for (int i = 0; i < 2; i++) {
            Lease lease = w.take(Duration.ZERO);
            w.done(
                    lease,
                    List.of(),
                    List.of(Item.of("url", lease.request().url())),
                    SlotSignals.NONE);
        }
        Path out = temp.resolve("books.jsonl");

        CrawlExport.Result result;
        try (CrawlExport export =
                CrawlExport.open(crawl(oneNode()), null, Feed.of(out, false), Duration.ZERO)) {
            result = export.run(false);
        }

        assertThat(result.items()).isEqualTo(2);
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(
                        "{\"url\":\"http://a.test/1\"}", "{\"url\":\"http://a.test/2\"}");
        assertThat(CLUSTER.keysPerNode("arachne:{books}:*").values())
                .filteredOn(n -> n > 0)
                .as("every key of the crawl on one node")
                .hasSize(1);
    }

    @Test
    void credentials_thatTheClusterRefuses_areRefused_namingNoPassword() throws Exception {
        CLUSTER.requirePassword("pw-Zq81");
        try {
            List<RedisURI> wrong = new ArrayList<>();
            for (RedisURI seed : CLUSTER.seeds()) {
                RedisURI uri = RedisURI.create(seed.toURI());
                uri.setAuthentication("wrong-Kd72".toCharArray());
                wrong.add(uri);
            }
            List<RedisURI> right = new ArrayList<>();
            for (RedisURI seed : CLUSTER.seeds()) {
                RedisURI uri = RedisURI.create(seed.toURI());
                uri.setAuthentication("pw-Zq81".toCharArray());
                right.add(uri);
            }

            for (List<RedisURI> seeds : List.of(wrong, wrong.subList(1, 2))) {
                assertThatThrownBy(() -> RedisEndpoint.connect(seeds, null))
                        .isInstanceOfSatisfying(
                                FrontierException.class,
                                e -> assertThat(e.kind()).isEqualTo(FrontierException.Kind.REFUSED))
                        .hasMessageContaining("refused the credentials")
                        .hasMessageNotContaining("wrong-Kd72");
            }
            RedisEndpoint endpoint = RedisEndpoint.connect(right.subList(1, 2), null);
            opened.add(endpoint);
            assertThat(crawl(endpoint).exists()).isFalse();
        } finally {
            CLUSTER.requirePassword(null);
        }
    }
}
