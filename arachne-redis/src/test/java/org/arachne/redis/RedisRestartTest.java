package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis stopped and started again under a frontier, with every write in its append-only file: while
 * it is down every call fails as transient (the engine tries again with backoff); once it is back
 * the frontier reloads its scripts and goes on with the queue, the seen set, the leases and the
 * item stream as they were.
 */
@Timeout(60)
class RedisRestartTest {
    @RegisterExtension static final RedisServer REDIS = RedisServer.withAppendOnly();

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void redisRestarted_withAppendOnly_losesNothing() throws Exception {
        RedisClient client = RedisFrontier.newClient();
        FrontierSetup setup =
                FrontierSetup.of(SlotRules.perHostUnlimited(), Throttle.none(), ticker)
                        .withCrawl("restart");
        try (RedisFrontier f =
                RedisFrontier.open(
                        client,
                        REDIS.uri(),
                        setup,
                        RedisFrontierOptions.defaults()
                                .withClock(RedisFrontierOptions.Clock.TICKER))) {
            f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
            Lease out = f.take(Duration.ZERO);
            f.done(out, List.of(), List.of(Item.of("n", 1)), SlotSignals.NONE);
            Lease inFlight = f.take(Duration.ZERO);

            REDIS.stop();
            assertThatThrownBy(f::queuedCount)
                    .isInstanceOf(FrontierException.class)
                    .hasMessageContaining("Redis at 127.0.0.1:")
                    .satisfies(e -> assertThat(((FrontierException) e).isTransient()).isTrue());
            REDIS.startAgain();

            // as the engine does: try again until the client has reconnected
            Long queued =
                    await().atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(20))
                            .ignoreExceptionsInstanceOf(FrontierException.class)
                            .until(f::queuedCount, Objects::nonNull);
            assertThat(queued).isZero();
            assertThat(f.leasedCount()).as("the lease is still out").isEqualTo(1);
            assertThat(f.add(List.of(Request.get("http://a.test/1"))))
                    .as("the seen set is kept")
                    .isZero();
            assertThat(
                            f.done(inFlight, List.of(), List.of(Item.of("n", 2)), SlotSignals.NONE)
                                    .accepted())
                    .isTrue();
            assertThat(f.outbox().poll(10, Duration.ZERO))
                    .flatExtracting(batch -> batch.items())
                    .containsExactly(Item.of("n", 1), Item.of("n", 2));
            assertThat(f.isFinished()).isTrue();
            assertThat(f.stats())
                    .containsKey("redis/round_trips")
                    .doesNotContainKey("frontier/leases_expired");
        } finally {
            RedisFrontier.shutdown(client);
        }
    }

    /**
     * A crawl of partitions whose server restarted: the scripts a frontier only sends without
     * waiting (trim) are loaded again too, so what was forwarded is trimmed and the crawl finishes.
     */
    @Test
    void redisRestarted_partitionedCrawl_forwardsAndTrimsAgain_andFinishes() throws Exception {
        RedisClient client = RedisFrontier.newClient();
        FrontierSetup setup =
                FrontierSetup.of(SlotRules.perHostUnlimited(), Throttle.none(), ticker)
                        .withCrawl("restart-parts");
        String from = "a.test";
        String to = "b.test";
        for (int i = 0; CrawlKeys.partitionOf(to, 3) == CrawlKeys.partitionOf(from, 3); i++) {
            to = "b" + i + ".test";
        }
        try (RedisFrontier f =
                RedisFrontier.open(
                        client,
                        REDIS.uri(),
                        setup,
                        RedisFrontierOptions.defaults()
                                .withClock(RedisFrontierOptions.Clock.TICKER)
                                .withPartitions(3))) {
            f.add(List.of(Request.get("http://" + from + "/1")));

            REDIS.stop();
            REDIS.startAgain();

            Lease lease =
                    await().atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(20))
                            .ignoreExceptionsInstanceOf(FrontierException.class)
                            .until(() -> f.take(Duration.ZERO), Objects::nonNull);
            f.done(lease, List.of(Request.get("http://" + to + "/1")), List.of(), SlotSignals.NONE);
            Lease forwarded = f.take(Duration.ZERO);
            assertThat(forwarded.request().url()).isEqualTo("http://" + to + "/1");
            f.done(forwarded, List.of(), List.of(), SlotSignals.NONE);

            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(
                            () -> {
                                ticker.advance(Duration.ofSeconds(6)); // the sweep forwards again
                                f.take(Duration.ZERO);
                                assertThat(f.isFinished()).as("nothing outgoing any more").isTrue();
                            });
        } finally {
            RedisFrontier.shutdown(client);
        }
    }
}
