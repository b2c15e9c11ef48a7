package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arachne.frontier.Ending;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.http.Request;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A crawl of several partitions (docs/redis.md, "Partitions"): each slot's queue, leases and seen
 * set are in the partition of its name, requests a lease produces for other partitions' slots are
 * forwarded there once, also when the worker that produced them is gone before it forwarded them,
 * and the crawl is not finished while a request is on its way. The frontiers share one {@code
 * ManualTicker} as the crawl's clock.
 */
@Timeout(60)
class RedisPartitionTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static final int PARTITIONS = 4;

    private final ManualTicker ticker = new ManualTicker();
    private final List<RedisFrontier> opened = new ArrayList<>();
    private RedisClient client;
    private final FrontierSetup setup =
            FrontierSetup.of(SlotRules.perHostUnlimited(), Throttle.none(), ticker)
                    .withCrawl("parts");

    @BeforeEach
    void open() {
        REDIS.flushAll();
        client = RedisFrontier.newClient();
    }

    @AfterEach
    void close() {
        opened.forEach(RedisFrontier::close);
        RedisFrontier.shutdown(client);
    }

    private RedisFrontier worker(String name, int partitions) {
        return worker(name, partitions, REDIS.uri());
    }

    private RedisFrontier worker(String name, int partitions, io.lettuce.core.RedisURI uri) {
        RedisFrontier f =
                RedisFrontier.open(
                        client,
                        uri,
                        setup,
                        RedisFrontierOptions.defaults()
                                .withClock(RedisFrontierOptions.Clock.TICKER)
                                .withWorker(name)
                                .withPartitions(partitions));
        opened.add(f);
        return f;
    }

    private static int partitionOf(String host) {
        return CrawlKeys.partitionOf(host, PARTITIONS);
    }

    /** Hosts h0.test, h1.test, ... until every partition has one, and then some. */
    private static List<String> hostsOfEveryPartition() {
        List<String> hosts = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        for (int i = 0; covered.size() < PARTITIONS || hosts.size() < 12; i++) {
            String host = "h" + i + ".test";
            hosts.add(host);
            covered.add(partitionOf(host));
        }
        return hosts;
    }

    private static String otherPartitionsHost(String host) {
        for (int i = 0; ; i++) {
            String other = "o" + i + ".test";
            if (partitionOf(other) != partitionOf(host)) {
                return other;
            }
        }
    }

    private static long field(int partition, String field) {
        return Long.parseLong(hget(new CrawlKeys("parts").prefix(partition) + "meta", field));
    }

    private static String hget(String key, String field) {
        RedisClient raw = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            String value = c.sync().hget(key, field);
            return value == null ? "0" : value;
        } finally {
            raw.shutdown();
        }
    }

    private static List<String> keys(String pattern) {
        RedisClient raw = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            return c.sync().keys(pattern);
        } finally {
            raw.shutdown();
        }
    }

    private static List<Lease> takeAll(RedisFrontier f) throws InterruptedException {
        List<Lease> leases = new ArrayList<>();
        for (Lease lease = f.take(Duration.ZERO); lease != null; lease = f.take(Duration.ZERO)) {
            leases.add(lease);
        }
        return leases;
    }

    @Test
    void done_queuesEachProducedRequestInItsSlotsPartition_once() throws Exception {
        RedisFrontier f = worker("one", PARTITIONS);
        f.add(List.of(Request.get("http://seed.test/")));
        Lease seed = f.take(Duration.ZERO);
        List<Request> produced = new ArrayList<>();
        for (String host : hostsOfEveryPartition()) {
            produced.add(Request.get("http://" + host + "/a"));
            produced.add(Request.get("http://" + host + "/b"));
        }
        List<Request> twice = new ArrayList<>(produced);
        twice.addAll(produced);

        Ending ending = f.done(seed, twice, List.of(), SlotSignals.NONE);

        assertThat(ending.accepted()).isTrue();
        assertThat(f.queuedCount()).isEqualTo(produced.size());
        List<String> taken = takeAll(f).stream().map(l -> l.request().url()).toList();
        assertThat(taken)
                .containsExactlyInAnyOrderElementsOf(produced.stream().map(Request::url).toList());
        for (String host : hostsOfEveryPartition()) {
            assertThat(keys(new CrawlKeys("parts").prefix(partitionOf(host)) + "slot:" + host))
                    .as("%s's slot is in partition %d", host, partitionOf(host))
                    .hasSize(1);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            for (int k = 0; k < PARTITIONS; k++) {
                                assertThat(field(k, "outgoing"))
                                        .as("partition %d's outgoing, trimmed once forwarded", k)
                                        .isZero();
                            }
                        });
    }

    @Test
    void workerGoneBeforeItForwarded_anotherWorkersTakeForwardsTheRequests_once() throws Exception {
        ReplyDroppingProxy proxy = new ReplyDroppingProxy(REDIS.uri().getPort());
        try {
            RedisFrontier dying = worker("dying", PARTITIONS, proxy.uri());
            RedisFrontier other = worker("other", 0);
            dying.add(List.of(Request.get("http://seed.test/")));
            Lease seed = dying.take(Duration.ZERO);
            String away = otherPartitionsHost("seed.test");
            List<Request> produced =
                    List.of(
                            Request.get("http://" + away + "/1"),
                            Request.get("http://" + away + "/2").withDontFilter(true));

            proxy.dropNextReply(); // its end ran; it never heard, and so never forwarded
            assertThatThrownBy(() -> dying.done(seed, produced, List.of(), SlotSignals.NONE))
                    .isInstanceOf(FrontierException.class);

            assertThat(other.leasedCount()).isZero();
            assertThat(other.queuedCount()).as("on their way, in no queue yet").isZero();
            assertThat(other.isFinished()).as("a request on its way").isFalse();
            assertThat(other.take(Duration.ZERO))
                    .as("forwarded only once a few seconds old")
                    .isNull();

            forwardByHand(partitionOf("seed.test"), partitionOf(away));
            forwardByHand(partitionOf("seed.test"), partitionOf(away));
            assertThat(other.queuedCount())
                    .as("forwarded twice, queued once, the dontFilter one too")
                    .isEqualTo(2);

            ticker.advance(Duration.ofSeconds(6)); // a take forwards them again: skipped
            Lease first = other.take(Duration.ZERO);
            List<Lease> forwarded = new ArrayList<>();
            if (first != null) {
                forwarded.add(first);
            }
            forwarded.addAll(takeAll(other));
            assertThat(forwarded)
                    .extracting(l -> l.request().url())
                    .containsExactlyInAnyOrder("http://" + away + "/1", "http://" + away + "/2");

            // the worker asks again with the same ending: its answer, and its forward, are repeated
            Ending again =
                    await().atMost(Duration.ofSeconds(20))
                            .ignoreExceptionsInstanceOf(FrontierException.class)
                            .until(
                                    () -> dying.done(seed, produced, List.of(), SlotSignals.NONE),
                                    e -> e != null);
            assertThat(again.accepted()).isTrue();
            assertThat(other.queuedCount()).as("forwarded twice, queued once").isZero();
            for (Lease lease : forwarded) {
                other.done(lease, List.of(), List.of(), SlotSignals.NONE);
            }
            await().atMost(Duration.ofSeconds(10)).until(other::isFinished);
        } finally {
            proxy.close();
        }
    }

    /**
     * Calls {@code forward.lua} on the target with what waits in the source for it, as a worker
     * does, without trimming the source.
     */
    private void forwardByHand(int source, int target) {
        try (RedisLink link = RedisLink.standalone(client, REDIS.uri())) {
            CrawlKeys keys = new CrawlKeys("parts");
            Scripts scripts = new Scripts(link, keys);
            scripts.partitions(PARTITIONS);
            scripts.loadAll();
            byte[] out = (keys.prefix(source) + "out:" + target).getBytes(StandardCharsets.UTF_8);
            Args args = new Args().add(ticker.now().toEpochMilli() * 1000).add("bfs").add(source);
            for (StreamMessage<byte[], byte[]> entry :
                    link.commands().xrange(out, Range.create("-", "+"))) {
                args.add(entry.getId().substring(0, entry.getId().indexOf('-')));
                entry.getBody()
                        .forEach(
                                (field, value) -> {
                                    if (new String(field, StandardCharsets.UTF_8)
                                            .equals("requests")) {
                                        args.add(value);
                                    }
                                });
            }
            assertThat(args.list()).as("entries waiting in the source").hasSizeGreaterThan(3);
            scripts.call(Scripts.Script.FORWARD, target, args.list());
        }
    }

    @Test
    void partitions_areTheCrawls_andAnotherNumberIsRefused() {
        RedisFrontier maker = worker("maker", PARTITIONS);
        maker.add(List.of(Request.get("http://a.test/")));

        assertThatThrownBy(() -> worker("other", 3))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining("made with " + PARTITIONS + " partitions");
        RedisFrontier joining = worker("joining", 0);
        assertThat(joining.stats()).containsEntry("redis/partitions", (long) PARTITIONS);
        assertThat(joining.queuedCount()).isEqualTo(1);
    }
}
