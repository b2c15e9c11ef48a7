package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.Ending;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.http.Request;
import org.arachne.item.Item;
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
 * A script ran in Redis and its answer never came back (the connection broke right after): the call
 * is made again, by the client as it reconnects or by the engine, and gets the answer the first run
 * would have given. A take gets the same lease again, so no lease is left out until its deadline;
 * an ending is accepted, its items stored once.
 */
@Timeout(30)
class RedisLostReplyTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private final ManualTicker ticker = new ManualTicker();
    private RedisClient client;
    private ReplyDroppingProxy proxy;
    private RedisFrontier worker;
    private RedisFrontier observer;

    @BeforeEach
    void open() throws Exception {
        REDIS.flushAll();
        client = RedisFrontier.newClient();
        proxy = new ReplyDroppingProxy(REDIS.uri().getPort());
        FrontierSetup setup =
                FrontierSetup.of(SlotRules.perHostUnlimited(), Throttle.none(), ticker)
                        .withCrawl("lost");
        RedisFrontierOptions options =
                RedisFrontierOptions.defaults().withClock(RedisFrontierOptions.Clock.TICKER);
        worker = RedisFrontier.open(client, proxy.uri(), setup, options.withWorker("worker"));
        observer = RedisFrontier.open(client, REDIS.uri(), setup, options.withWorker("observer"));
    }

    @AfterEach
    void close() throws Exception {
        worker.close();
        observer.close();
        proxy.close();
        RedisFrontier.shutdown(client);
    }

    /** Calls again until Redis answers, as the engine does with a transient failure. */
    private static <T> T answered(Callable<T> call) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(FrontierException.class)
                .until(call, Objects::nonNull);
    }

    @Test
    void take_whoseAnswerIsLost_getsTheSameLeaseAgain_andLeavesNoOtherOut() throws Exception {
        worker.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));

        proxy.dropNextReply();
        Lease lease = answered(() -> worker.take(Duration.ZERO));

        assertThat(observer.leasedCount()).as("one lease out, not two").isEqualTo(1);
        assertThat(observer.queuedCount()).isEqualTo(1);
        assertThat(worker.done(lease, List.of(), List.of(), SlotSignals.NONE).accepted()).isTrue();
        assertThat(observer.leasedCount()).isZero();
    }

    @Test
    void done_whoseAnswerIsLost_isAccepted_andItsItemsAreStoredOnce() throws Exception {
        worker.add(List.of(Request.get("http://a.test/1")));
        Lease lease = worker.take(Duration.ZERO);

        proxy.dropNextReply();
        Ending ending =
                answered(
                        () ->
                                worker.done(
                                        lease,
                                        List.of(Request.get("http://a.test/2")),
                                        List.of(Item.of("n", 1)),
                                        SlotSignals.NONE));

        assertThat(ending).isEqualTo(Ending.accepted(1));
        assertThat(observer.queuedCount()).as("the produced request, queued once").isEqualTo(1);
        assertThat(observer.leasedCount()).isZero();
        List<CommittedItems> batches = worker.outbox().poll(10, Duration.ZERO);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).items()).containsExactly(Item.of("n", 1));
        assertThat(worker.outbox().pending()).isEqualTo(1);
    }
}
