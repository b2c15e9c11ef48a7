package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.arachne.frontier.Dedup;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.http.Request;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dupefilter: bloom} on Redis: a Bloom filter per partition, as bits of a string set by the
 * scripts (docs/redis.md, "Seen set"), sized for the expected count at the false-positive rate:
 * every request seen before is dropped, new ones are kept but for about that rate, and the filter
 * takes the bits its size says instead of a set of fingerprints.
 */
@Timeout(60)
class RedisBloomTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static final int EXPECTED = 3000;
    private static final double RATE = 0.01;

    private final ManualTicker ticker = new ManualTicker();
    private final List<RedisFrontier> opened = new ArrayList<>();
    private RedisClient client;

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

    private RedisFrontier frontier(Dedup dedup, int partitions) {
        FrontierSetup setup =
                FrontierSetup.of(SlotRules.perHostUnlimited(), Throttle.none(), ticker)
                        .withCrawl("bloom")
                        .withDedup(dedup);
        RedisFrontier f =
                RedisFrontier.open(
                        client,
                        REDIS.uri(),
                        setup,
                        RedisFrontierOptions.defaults()
                                .withClock(RedisFrontierOptions.Clock.TICKER)
                                .withPartitions(partitions));
        opened.add(f);
        return f;
    }

    private static List<Request> requests(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> Request.get("http://h" + (i % 7) + ".test/page/" + i))
                .toList();
    }

    private static long bytesOf(String key) {
        RedisClient raw = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            return c.sync().exists(key) == 0 ? -1 : c.sync().strlen(key);
        } finally {
            raw.shutdown();
        }
    }

    private static long keys(String pattern) {
        RedisClient raw = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            return c.sync().keys(pattern).size();
        } finally {
            raw.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void bloom_dropsEveryRequestSeen_keepsNewOnesButForItsRate_inTheBitsItsSizeSays(
            int partitions) {
        RedisFrontier f = frontier(Dedup.bloom(EXPECTED, RATE), partitions);

        int added = 0;
        for (int from = 0; from < EXPECTED; from += 500) {
            added += f.add(requests(from, from + 500));
        }
        int again = f.add(requests(0, EXPECTED));

        System.out.printf(
                Locale.ROOT,
                "bloom, %d partition(s): %d of %d new requests kept%n",
                partitions,
                added,
                EXPECTED);
        assertThat(again).as("every request seen before is dropped").isZero();
        // the filter is filled up to its expected count: at most its rate of new requests lost,
        // and 3 times that leaves room for chance (the mean is below the rate)
        assertThat(added).isBetween((int) (EXPECTED * (1 - 3 * RATE)), EXPECTED);
        assertThat(f.queuedCount()).isEqualTo(added);
        assertThat(f.stats()).containsEntry("dupefilter/seen", (long) added);
        try (RedisCrawl crawl = RedisCrawl.connect(client, REDIS.uri(), "bloom")) {
            assertThat(crawl.status().seen()).as("arachne status").isEqualTo(added);
        }
        BloomSize size = BloomSize.of(Dedup.bloom(EXPECTED, RATE), partitions);
        assertThat(size.hashes()).isEqualTo(7); // -log2(0.01) probes
        assertThat(size.capacity()).isEqualTo(partitions == 1 ? EXPECTED : 2 * EXPECTED / 3);
        CrawlKeys keys = new CrawlKeys("bloom");
        long bytes = 0;
        for (int k = 0; k < partitions; k++) {
            long partitionBytes = bytesOf(keys.prefix(k) + "bloom");
            assertThat(partitionBytes).isLessThanOrEqualTo((size.bits() + 7) / 8);
            bytes += Math.max(0, partitionBytes);
        }
        assertThat(bytes)
                .as(
                        "1.2 bytes a request at 1 %% (twice that over partitions), where an exact"
                                + " set holds 16 and more")
                .isLessThanOrEqualTo((long) (EXPECTED * (partitions == 1 ? 1.25 : 2.5)));
        assertThat(keys("arachne:{bloom*}:seen")).as("no set of fingerprints").isZero();
    }

    @Test
    void workerWithAnotherDeduplication_thanTheCrawlsBloom_isRefused() {
        frontier(Dedup.bloom(EXPECTED, RATE), 1).add(requests(0, 10));

        assertThatThrownBy(() -> frontier(Dedup.EXACT, 1))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining("deduplication bloom");
        RedisFrontier sizedOtherwise = frontier(Dedup.bloom(10 * EXPECTED, RATE), 1);
        assertThat(sizedOtherwise.add(requests(0, 10))).as("the crawl's filter").isZero();
    }

    @Test
    void bloomBiggerThanItsPartitionsHold_isRefused_sayingToGiveMorePartitions() {
        assertThatThrownBy(() -> frontier(Dedup.bloom(10_000_000_000L, 1e-6), 1))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining("give the crawl more partitions");
    }
}
