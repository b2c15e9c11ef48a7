package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotOverride;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crawl as the commands around its workers see it: stopping it (told to listeners at once, and
 * to one that comes later), letting it go on, its status per host and per worker, the claim that
 * keeps a worker's name to one process, and the leases left under a name. The frontiers run on the
 * server's clock, as {@code arachne worker}'s do.
 */
@Timeout(60)
class RedisCrawlTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static RedisClient client;

    private final ManualTicker ticker = new ManualTicker();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void connect() {
        client = RedisFrontier.newClient();
    }

    @AfterAll
    static void disconnect() {
        RedisFrontier.shutdown(client);
    }

    @BeforeEach
    void emptyServer() {
        REDIS.flushAll();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private RedisFrontier worker(String name) {
        SlotRules rules =
                new SlotRules(
                        8,
                        0,
                        Duration.ZERO,
                        false,
                        Map.of(
                                "a.test",
                                new SlotOverride(2, null, null),
                                "b.test",
                                new SlotOverride(1, Duration.ofSeconds(3), false)),
                        UnaryOperator.identity());
        Throttle throttle =
                new Throttle(
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                        null,
                        new Random(7));
        RedisFrontier f =
                RedisFrontier.open(
                        client,
                        REDIS.uri(),
                        FrontierSetup.of(rules, throttle, ticker).withCrawl("books"),
                        RedisFrontierOptions.defaults()
                                .withWorker(name)
                                .withItems(RedisFrontierOptions.Items.FOR_EXPORT));
        opened.add(f);
        return f;
    }

    private RedisCrawl crawl() {
        RedisCrawl crawl = RedisCrawl.connect(client, REDIS.uri(), "books");
        opened.add(crawl);
        return crawl;
    }

    @Test
    void stop_tellsEveryListener_andOneThatListensLater() throws Exception {
        worker("w");
        RedisCrawl crawl = crawl();
        CountDownLatch before = new CountDownLatch(1);
        opened.add(crawl.onStop(before::countDown));

        RedisCrawl.Stopped stopped = crawl.stop();
        CountDownLatch after = new CountDownLatch(1);
        opened.add(crawl.onStop(after::countDown));

        assertThat(stopped).isNotNull();
        assertThat(before.await(10, TimeUnit.SECONDS)).as("told on the channel").isTrue();
        assertThat(after.await(10, TimeUnit.SECONDS)).as("told by the flag").isTrue();
        assertThat(crawl.stoppedAt()).isEqualTo(stopped.at());
        assertThat(crawl.status().state()).isEqualTo(CrawlStatus.State.STOPPED);
    }

    @Test
    void crawlOpenedAndNotSeededYet_isStarting_andHasNotEnded() {
        worker("w"); // its engine queues the start requests after the frontier opened
        RedisCrawl crawl = crawl();

        assertThat(crawl.status().state()).isEqualTo(CrawlStatus.State.STARTING);
        assertThat(crawl.state("").ended()).as("an export following it waits").isFalse();

        worker("w").add(List.of(Request.get("http://b.test/1")));
        assertThat(crawl.status().state()).isEqualTo(CrawlStatus.State.RUNNING);
    }

    @Test
    void stop_ofACrawlWithWork_isStoppedUntilResumed() {
        RedisFrontier w = worker("w");
        w.add(List.of(Request.get("http://b.test/1")));
        RedisCrawl crawl = crawl();

        crawl.stop();
        CrawlStatus stopped = crawl.status();
        crawl.resume();

        assertThat(stopped.state()).isEqualTo(CrawlStatus.State.STOPPED);
        assertThat(stopped.stoppedAt()).isNotNull();
        assertThat(crawl.stoppedAt()).isNull();
        assertThat(crawl.status().state()).isEqualTo(CrawlStatus.State.RUNNING);
    }

    @Test
    void releaseLeases_ofAWorkerNoProcessHolds_queuesTheirRequestsAgain_andNoOthers()
            throws Exception {
        RedisFrontier gone = worker("gone");
        RedisFrontier other = worker("other");
        gone.add(List.of(Request.get("http://a.test/1"), Request.get("http://b.test/1")));
        gone.take(Duration.ZERO);
        Lease kept = other.take(Duration.ZERO);

        long released = crawl().releaseLeases("gone");

        CrawlStatus status = crawl().status();
        assertThat(released).isEqualTo(1);
        assertThat(status.inFlight()).isEqualTo(1);
        assertThat(status.queued()).isEqualTo(1);
        assertThat(status.leasesExpired()).isEqualTo(1);
        assertThat(status.workers())
                .extracting(w -> w.name() + " " + w.leases())
                .containsExactly("other 1");
        assertThat(other.done(kept, List.of(), List.of(), SlotSignals.NONE).accepted()).isTrue();
    }

    @Test
    void endpoint_givenSeveralAddressesOfServersThatAreNoCluster_isRefused_sayingSo() {
        assertThatThrownBy(() -> RedisEndpoint.connect(List.of(REDIS.uri(), REDIS.uri()), null))
                .isInstanceOfSatisfying(
                        FrontierException.class,
                        e -> assertThat(e.kind()).isEqualTo(FrontierException.Kind.REFUSED))
                .hasMessageContaining("not a Redis Cluster")
                .hasMessageContaining("give one server's address alone");
        try (RedisEndpoint one = RedisEndpoint.connect(List.of(REDIS.uri()), null)) {
            assertThat(one.isCluster()).isFalse();
            assertThat(one.where()).isEqualTo("Redis at 127.0.0.1:" + REDIS.uri().getPort());
        }
    }

    @Test
    void crawlNotThere_cannotBeStopped_andHasNoStatus() {
        RedisCrawl crawl = crawl();

        assertThat(crawl.exists()).isFalse();
        assertThat(crawl.stop()).isNull();
        assertThat(crawl.status()).isNull();
    }

    @Test
    void status_countsTheCrawl_perHost_andPerWorker() throws Exception {
        RedisFrontier one = worker("one");
        RedisFrontier two = worker("two");
        one.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://a.test/2"),
                        Request.get("http://a.test/3"),
                        Request.get("http://b.test/1")));
        Lease a = one.take(Duration.ZERO);
        Lease b = two.take(Duration.ZERO);
        one.done(a, List.of(), List.of(Item.of("n", 1)), SlotSignals.NONE);
        Lease held = one.take(Duration.ZERO);
        WorkerRegistration registration =
                WorkerRegistration.register(
                        crawl(),
                        "one",
                        Duration.ZERO,
                        () -> new WorkerReport("host-a", 12, "stream", "running", 1, 1, 0, 0),
                        lost -> {});
        opened.add(registration);

        CrawlStatus status = crawl().status();

        assertThat(status.state()).isEqualTo(CrawlStatus.State.RUNNING);
        assertThat(status.done()).isEqualTo(1);
        assertThat(status.inFlight()).isEqualTo(2);
        assertThat(status.queued()).isEqualTo(1);
        assertThat(status.itemBatches()).isEqualTo(1);
        assertThat(List.of(a.slot(), b.slot(), held.slot())).containsOnly("a.test");
        assertThat(status.hosts())
                .extracting(
                        h ->
                                h.slot()
                                        + " "
                                        + h.queued()
                                        + " queued "
                                        + h.inFlight()
                                        + "/"
                                        + h.concurrency()
                                        + ", "
                                        + h.done()
                                        + " done "
                                        + h.failed()
                                        + " failed")
                .as("most queued first")
                .containsExactly(
                        "b.test 1 queued 0/1, 0 done 0 failed",
                        "a.test 0 queued 2/2, 1 done 0 failed");
        assertThat(status.hosts().getFirst().delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(status.workers())
                .extracting(w -> w.name() + " " + w.state() + " " + w.leases())
                .containsExactly("one running 1", "two unknown 1");
        assertThat(status.workers().getFirst().report().host()).isEqualTo("host-a");

        two.fail(b, "http/404", SlotSignals.NONE);

        CrawlStatus later = crawl().status();
        assertThat(later.failed()).isEqualTo(1);
        assertThat(later.hosts())
                .filteredOn(h -> h.slot().equals("a.test"))
                .extracting(h -> h.done() + " done " + h.failed() + " failed")
                .containsExactly("1 done 1 failed");
    }

    @Test
    void workerName_heldByOneProcess_isRefusedToAnother_untilGivenUp() throws Exception {
        RedisCrawl crawl = crawl();
        WorkerRegistration first =
                WorkerRegistration.register(
                        crawl,
                        "w1",
                        Duration.ZERO,
                        () -> new WorkerReport("h", 1, "stream", "running", 0, 0, 0, 0),
                        lost -> {});

        assertThatThrownBy(
                        () ->
                                WorkerRegistration.register(
                                        crawl,
                                        "w1",
                                        Duration.ZERO,
                                        () ->
                                                new WorkerReport(
                                                        "h", 2, "stream", "running", 0, 0, 0, 0),
                                        lost -> {}))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining("the worker name 'w1' of crawl 'books' is in use by process");

        first.ended(new WorkerReport("h", 1, "stream", "finished", 3, 2, 0, 0));
        first.close();
        WorkerRegistration second =
                WorkerRegistration.register(
                        crawl,
                        "w1",
                        Duration.ZERO,
                        () -> new WorkerReport("h", 2, "stream", "running", 0, 0, 0, 0),
                        lost -> {});
        opened.add(second);
        assertThat(second).isNotNull();
    }

    @Test
    void endedWorker_isShownAsItEnded() throws Exception {
        worker("w");
        RedisCrawl crawl = crawl();
        WorkerRegistration registration =
                WorkerRegistration.register(
                        crawl,
                        "w",
                        Duration.ZERO,
                        () -> new WorkerReport("h", 1, "stream", "running", 0, 0, 0, 0),
                        lost -> {});

        registration.ended(new WorkerReport("h", 1, "stream", "finished", 7, 5, 1, 0));
        registration.close();

        CrawlStatus.Worker shown = crawl.status().workers().getFirst();
        assertThat(shown.state()).isEqualTo("finished");
        assertThat(shown.report().pages()).isEqualTo(7);
    }
}
