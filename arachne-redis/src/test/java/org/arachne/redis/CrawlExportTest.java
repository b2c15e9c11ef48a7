package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.Lease;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.politeness.Backoff;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The item streams of a crawl and {@code arachne export}'s reading of them: a worker whose items
 * are exported leaves them in the crawl's stream (its engine sees its own, none of the others'),
 * one that writes its own file keeps them in a stream of its own, and an export writes each batch
 * once, trims only what it acknowledged, resumes a file cut back to its acknowledged position, and
 * keeps the stream to one reader.
 */
@Timeout(60)
class CrawlExportTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static RedisClient client;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualTicker ticker = new ManualTicker();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir Path temp;

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

    private RedisFrontier worker(String name, RedisFrontierOptions.Items items) {
        SlotRules rules =
                new SlotRules(8, 0, Duration.ZERO, false, Map.of(), UnaryOperator.identity());
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
                                .withClock(RedisFrontierOptions.Clock.TICKER)
                                .withWorker(name)
                                .withItems(items));
        opened.add(f);
        return f;
    }

    private RedisCrawl crawl() {
        RedisCrawl crawl = RedisCrawl.connect(client, REDIS.uri(), "books");
        opened.add(crawl);
        return crawl;
    }

    /** Queues a page per number and ends each with one item {@code {"page": n}}. */
    private static void crawlPages(RedisFrontier f, int from, int to) throws Exception {
        List<Request> requests = new ArrayList<>();
        for (int n = from; n < to; n++) {
            requests.add(Request.get("http://a.test/" + n));
        }
        f.add(requests);
        for (int n = from; n < to; n++) {
            Lease lease = f.take(Duration.ZERO);
            int page = Integer.parseInt(lease.request().url().substring("http://a.test/".length()));
            f.done(lease, List.of(), List.of(Item.of("page", page)), SlotSignals.NONE);
        }
    }

    private static List<Integer> pages(Path file) throws Exception {
        List<Integer> pages = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            pages.add(((Number) JSON.readValue(line, Map.class).get("page")).intValue());
        }
        return pages;
    }

    private long streamLength(String key) {
        try (StatefulRedisConnection<String, String> c = client.connect(REDIS.uri())) {
            return c.sync().xlen(key);
        }
    }

    @Test
    void exportedItems_stayInTheCrawlsStream_theEngineSeesOnlyItsOwn() throws Exception {
        RedisFrontier one = worker("one", RedisFrontierOptions.Items.FOR_EXPORT);
        RedisFrontier two = worker("two", RedisFrontierOptions.Items.FOR_EXPORT);
        crawlPages(one, 0, 3);
        crawlPages(two, 3, 5);

        assertThat(one.outbox().poll(64, Duration.ZERO))
                .extracting(b -> b.items().getFirst().fields().get("page"))
                .containsExactly(0, 1, 2);
        one.outbox().acknowledge(3, Map.of());
        assertThat(two.outbox().poll(64, Duration.ZERO)).hasSize(2);
        assertThat(one.outbox().poll(64, Duration.ZERO)).as("never the other's").isEmpty();
        assertThat(streamLength("arachne:{books}:items"))
                .as("a worker's acknowledgement trims nothing: the export reads them")
                .isEqualTo(5);
    }

    @Test
    void export_writesEveryBatchOnce_andTrimsWhatItAcknowledged() throws Exception {
        RedisFrontier w = worker("w", RedisFrontierOptions.Items.FOR_EXPORT);
        crawlPages(w, 0, 5);
        Path out = temp.resolve("books.jsonl");

        CrawlExport.Result first = export(out, null);
        crawlPages(w, 5, 8);
        CrawlExport.Result second = export(out, null);

        assertThat(first.items()).isEqualTo(5);
        assertThat(second.items()).isEqualTo(3);
        assertThat(pages(out)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(streamLength("arachne:{books}:items")).isZero();
    }

    @Test
    void export_resumedAfterWritesPastItsAcknowledgement_cutsThemOff_andWritesThemOnce()
            throws Exception {
        RedisFrontier w = worker("w", RedisFrontierOptions.Items.FOR_EXPORT);
        crawlPages(w, 0, 4);
        Path out = temp.resolve("books.jsonl");
        export(out, null);
        long acknowledged = Files.size(out);
        crawlPages(w, 4, 6);
        // as a killed export leaves its file: the next batches written, not acknowledged
        Files.writeString(
                out, "{\"page\":4}\n{\"pa", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        CrawlExport resumed = CrawlExport.open(crawl(), null, Feed.of(out, false), Duration.ZERO);
        CrawlExport.Result result;
        try (resumed) {
            result = resumed.run(false);
        }

        assertThat(resumed.resumedAt()).isEqualTo(acknowledged);
        assertThat(result.items()).isEqualTo(2);
        assertThat(pages(out)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void secondExport_whileOneReadsTheStream_isRefused_namingTheProcess() throws Exception {
        worker("w", RedisFrontierOptions.Items.FOR_EXPORT);
        CrawlExport first =
                CrawlExport.open(
                        crawl(), null, Feed.of(temp.resolve("a.jsonl"), false), Duration.ZERO);
        opened.add(first);

        assertThatThrownBy(
                        () ->
                                CrawlExport.open(
                                        crawl(),
                                        null,
                                        Feed.of(temp.resolve("b.jsonl"), false),
                                        Duration.ZERO))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining(
                        "the item stream of crawl 'books' is in use by process "
                                + ProcessHandle.current().pid())
                .extracting(e -> ((FrontierException) e).kind())
                .isEqualTo(FrontierException.Kind.IN_USE);
    }

    @Test
    void workerStream_keepsItsItemsApart_exportedWithItsName() throws Exception {
        RedisFrontier own = worker("own", RedisFrontierOptions.Items.WORKER_STREAM);
        RedisFrontier shared = worker("shared", RedisFrontierOptions.Items.FOR_EXPORT);
        crawlPages(own, 0, 3);
        crawlPages(shared, 3, 5);
        own.close(); // gone before its feed writer took them: they wait in its stream

        Path crawlFile = temp.resolve("crawl.jsonl");
        Path ownFile = temp.resolve("own.jsonl");
        export(crawlFile, null);
        export(ownFile, "own");

        assertThat(pages(crawlFile)).containsExactlyInAnyOrder(3, 4);
        assertThat(pages(ownFile)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(streamLength("arachne:{books}:items:own")).isZero();
    }

    @Test
    void workerStream_resumedUnderTheSameName_givesWhatItDidNotAcknowledge() throws Exception {
        RedisFrontier first = worker("w1", RedisFrontierOptions.Items.WORKER_STREAM);
        crawlPages(first, 0, 3);
        first.outbox().acknowledge(1, Map.of("/out.jsonl", 42L));
        first.close();

        RedisFrontier again = worker("w1", RedisFrontierOptions.Items.WORKER_STREAM);

        assertThat(again.outbox().feedPositions()).containsEntry("/out.jsonl", 42L);
        assertThat(again.outbox().poll(64, Duration.ZERO))
                .extracting(b -> b.items().getFirst().fields().get("page"))
                .containsExactly(1, 2);
    }

    private CrawlExport.Result export(Path out, String worker) throws Exception {
        try (CrawlExport export =
                CrawlExport.open(crawl(), worker, Feed.of(out, false), Duration.ZERO)) {
            return export.run(false);
        }
    }
}
