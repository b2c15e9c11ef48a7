package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.frontier.CommittedItems;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A frontier's outbox over a crawl of three partitions ({@link PartitionedCrawl} writes their
 * streams as {@code end.lua} would): it gives every partition's batches once, each partition's in
 * order, under increasing sequences of its own; an outbox opened after its acknowledgement gives
 * exactly the batches after it; a worker whose items are exported numbers its own batches.
 */
@Timeout(60)
class PartitionedOutboxTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static RedisClient client;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CrawlKeys keys = new CrawlKeys("books");
    private PartitionedCrawl books;

    @BeforeAll
    static void connect() {
        client = RedisFrontier.newClient();
    }

    @AfterAll
    static void disconnect() {
        RedisFrontier.shutdown(client);
    }

    @BeforeEach
    void threePartitions() {
        REDIS.flushAll();
        books = new PartitionedCrawl(client, REDIS.uri(), "books", 3);
        opened.add(books);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    /** An outbox as a frontier of the crawl makes it, its scripts reaching the three partitions. */
    private RedisOutbox outbox(RedisFrontierOptions.Items items) {
        RedisLink link = RedisLink.standalone(client, REDIS.uri());
        opened.add(link);
        Scripts scripts = new Scripts(link, keys);
        scripts.partitions(3);
        scripts.loadAll();
        return new RedisOutbox(
                scripts, keys, RedisFrontierOptions.defaults().withItems(items), 0, 0, Map.of());
    }

    private static int page(CommittedItems batch) {
        return ((Number) batch.items().getFirst().fields().get("page")).intValue();
    }

    @Test
    void outbox_givesEveryPartitionsBatchesOnce_inTheirOrder_underItsOwnSequence()
            throws Exception {
        books.commit(0, 2); // pages 0, 1
        books.commit(1, 1); // page 2
        books.commit(2, 3); // pages 3, 4, 5
        RedisOutbox outbox = outbox(RedisFrontierOptions.Items.CRAWL_STREAM);
        int own = books.commit(1, ""); // page 6, committed by this process: kept in memory
        outbox.committed(1, 2, Request.get("http://a.test/" + own), List.of(Item.of("page", own)));

        List<CommittedItems> batches = outbox.poll(64, Duration.ZERO);

        assertThat(batches)
                .extracting(CommittedItems::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(batches)
                .extracting(PartitionedOutboxTest::page)
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThat(batches)
                .extracting(PartitionedOutboxTest::page)
                .as("each partition's in its order")
                .containsSubsequence(0, 1)
                .containsSubsequence(2, 6)
                .containsSubsequence(3, 4, 5);
        assertThat(outbox.ready()).isZero();
        assertThat(outbox.pending()).isEqualTo(7);
    }

    @Test
    void outbox_openedAfterAnAcknowledgement_givesExactlyTheBatchesAfterIt() throws Exception {
        books.commit(0, 2);
        books.commit(1, 2);
        books.commit(2, 3);
        RedisOutbox first = outbox(RedisFrontierOptions.Items.CRAWL_STREAM);
        List<CommittedItems> given = first.poll(64, Duration.ZERO);
        first.acknowledge(4, Map.of("/books.jsonl", 120L));
        books.commit(0, 1); // page 7

        RedisOutbox again = outbox(RedisFrontierOptions.Items.CRAWL_STREAM);
        List<CommittedItems> rest = again.poll(64, Duration.ZERO);

        List<Integer> expected = new ArrayList<>();
        given.subList(4, given.size()).forEach(b -> expected.add(page(b)));
        expected.add(7);
        assertThat(rest)
                .extracting(PartitionedOutboxTest::page)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(again.pending()).isEqualTo(4);
        assertThat(
                        books.streamLength(0, "")
                                + books.streamLength(1, "")
                                + books.streamLength(2, ""))
                .as("what was acknowledged is trimmed from every stream")
                .isEqualTo(4);
    }

    @Test
    void exportedWorker_numbersItsOwnBatches_whateverTheirPartitions() throws Exception {
        RedisOutbox outbox = outbox(RedisFrontierOptions.Items.FOR_EXPORT);
        outbox.committed(0, 1, Request.get("http://a.test/1"), List.of(Item.of("page", 1)));
        outbox.committed(2, 1, Request.get("http://b.test/1"), List.of(Item.of("page", 2)));

        List<CommittedItems> batches = outbox.poll(64, Duration.ZERO);

        assertThat(batches).extracting(CommittedItems::sequence).containsExactly(1L, 2L);
        assertThat(batches).extracting(PartitionedOutboxTest::page).containsExactly(1, 2);
        outbox.acknowledge(2, Map.of());
        assertThat(books.field(0, "acknowledged")).as("the export acknowledges").isNull();
    }
}
