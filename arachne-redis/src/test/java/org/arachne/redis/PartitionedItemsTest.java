package org.arachne.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.arachne.frontier.CommittedItems;
import org.arachne.item.Item;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crawl of three partitions, its keys written as the frontier's scripts would leave them ({@link
 * PartitionedCrawl}), as its readers see it: the export writes every partition's batches once,
 * resumes exactly once after a kill between its checkpoint and its trims or between writing and its
 * checkpoint; the state and the status sum the partitions, and the crawl has not ended while a
 * request is on its way between partitions.
 */
@Timeout(60)
class PartitionedItemsTest {
    @RegisterExtension static final RedisServer REDIS = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisClient client;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private PartitionedCrawl books;

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

    private RedisCrawl crawl() {
        RedisCrawl crawl = RedisCrawl.connect(client, REDIS.uri(), "books");
        opened.add(crawl);
        return crawl;
    }

    private CrawlExport.Result export(Path out) throws Exception {
        try (CrawlExport export =
                CrawlExport.open(crawl(), null, Feed.of(out, false), Duration.ZERO)) {
            return export.run(false);
        }
    }

    private static List<Integer> pages(Path file) throws Exception {
        List<Integer> pages = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            pages.add(((Number) JSON.readValue(line, Map.class).get("page")).intValue());
        }
        return pages;
    }

    private static Integer[] range(int from, int to) {
        return IntStream.range(from, to).boxed().toArray(Integer[]::new);
    }

    @Test
    void export_ofThreePartitions_writesEveryBatchOnce_andTrimsEveryStream() throws Exception {
        books.commit(0, 4);
        books.commit(1, 3);
        books.commit(2, 5);
        Path out = temp.resolve("books.jsonl");

        CrawlExport.Result first = export(out);
        books.commit(2, 2);
        books.commit(1, 1);
        CrawlExport.Result second = export(out);

        assertThat(first.items()).isEqualTo(12);
        assertThat(first.batchesLeft()).isZero();
        assertThat(second.items()).isEqualTo(3);
        assertThat(pages(out)).containsExactlyInAnyOrder(range(0, 15));
        for (int k = 0; k < 3; k++) {
            assertThat(books.streamLength(k, "")).as("partition %d's stream", k).isZero();
        }
        assertThat(books.field(0, "acknowledged")).isEqualTo("4");
        assertThat(books.field(0, "acknowledged/1")).isEqualTo("4");
        assertThat(books.field(0, "acknowledged/2")).isEqualTo("7");
        assertThat(crawl().status().itemBatchesExported()).isEqualTo(15);
    }

    @Test
    void export_killedBetweenItsCheckpointAndItsTrims_resumesWithEveryItemOnce() throws Exception {
        books.commit(0, 2);
        books.commit(1, 3);
        books.commit(2, 1);
        Path out = temp.resolve("books.jsonl");
        // an export that wrote every batch and kept its checkpoint, then was killed: no trims
        RedisCrawl crawl = crawl();
        try (RedisLink link = RedisLink.standalone(client, REDIS.uri())) {
            Scripts scripts = new Scripts(link, crawl.keys());
            scripts.loadAll();
            RedisOutbox outbox = RedisOutbox.reader(scripts, crawl.keys(), "");
            List<CommittedItems> batches = outbox.poll(64, Duration.ZERO);
            try (FeedFile file = Exporters.open(Feed.of(out, false))) {
                for (CommittedItems batch : batches) {
                    for (Item item : batch.items()) {
                        file.export(item);
                    }
                }
                file.sync();
                outbox.keep(batches.getLast().sequence(), Map.of(file.key(), file.position()));
            }
        }
        assertThat(books.streamLength(1, "")).as("not trimmed").isEqualTo(3);
        books.commit(1, 2);

        CrawlExport.Result resumed = export(out);

        assertThat(resumed.items()).isEqualTo(2);
        assertThat(pages(out)).containsExactlyInAnyOrder(range(0, 8));
        for (int k = 0; k < 3; k++) {
            assertThat(books.streamLength(k, "")).as("partition %d's stream", k).isZero();
        }
    }

    @Test
    void export_killedAfterWritingBeforeItsCheckpoint_cutsThemOff_andWritesEveryItemOnce()
            throws Exception {
        books.commit(0, 1);
        books.commit(1, 2);
        books.commit(2, 1);
        Path out = temp.resolve("books.jsonl");
        export(out);
        long checkpoint = Files.size(out);
        books.commit(2, 2);
        books.commit(0, 1);
        // as a killed export leaves its file: the next batches written, no checkpoint
        Files.writeString(
                out, "{\"page\":4}\n{\"pa", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        CrawlExport resumed = CrawlExport.open(crawl(), null, Feed.of(out, false), Duration.ZERO);
        CrawlExport.Result result;
        try (resumed) {
            result = resumed.run(false);
        }

        assertThat(resumed.resumedAt()).isEqualTo(checkpoint);
        assertThat(result.items()).isEqualTo(3);
        assertThat(pages(out)).containsExactlyInAnyOrder(range(0, 7));
    }

    @Test
    void followingExport_endsOnceNoPartitionHasWork_withEveryBatchWritten() throws Exception {
        books.commit(1, 2);
        books.commit(2, 1);
        books.set(1, "sequence", 4); // seeded: requests were queued, none is any more
        books.set(2, "sequence", 2);
        Path out = temp.resolve("books.jsonl");

        CrawlExport.Result result;
        try (CrawlExport export =
                CrawlExport.open(crawl(), null, Feed.of(out, false), Duration.ZERO)) {
            result = export.run(true);
        }

        assertThat(result.ended()).isTrue();
        assertThat(result.items()).isEqualTo(3);
        assertThat(result.batchesLeft()).isZero();
    }

    @Test
    void workerStream_ofThreePartitions_isExportedWithItsName() throws Exception {
        books.commit(0, ":w");
        books.commit(2, ":w");
        books.commit(1, 1);
        Path out = temp.resolve("w.jsonl");

        CrawlExport.Result result;
        try (CrawlExport export =
                CrawlExport.open(crawl(), "w", Feed.of(out, false), Duration.ZERO)) {
            result = export.run(false);
        }

        assertThat(result.items()).isEqualTo(2);
        assertThat(pages(out)).containsExactlyInAnyOrder(0, 1);
        assertThat(books.field(0, "acknowledged:w/2")).isEqualTo("1");
        assertThat(books.streamLength(2, ":w")).isZero();
        assertThat(books.streamLength(1, "")).as("the crawl's stream untouched").isEqualTo(1);
    }

    @Test
    void state_sumsThePartitions_andHasNotEnded_whileAPartitionHasOutgoing() {
        books.set(0, "sequence", 3);
        books.set(1, "sequence", 5);
        books.commit(0, 1);
        books.commit(2, 2);
        books.set(2, "outgoing", 1);
        RedisCrawl crawl = crawl();

        RedisCrawl.State moving = crawl.state("");
        books.set(2, "outgoing", 0);
        books.bump(2, "changes");
        RedisCrawl.State arrived = crawl.state("");

        assertThat(moving.outgoing()).isEqualTo(1);
        assertThat(moving.everQueued()).isEqualTo(8);
        assertThat(moving.lastBatch()).isEqualTo(3);
        assertThat(moving.ended()).as("a request on its way to another partition").isFalse();
        assertThat(arrived.ended()).isTrue();
    }

    @Test
    void state_whosePartitionChangedBetweenItsReadings_hasNotEnded() {
        books.set(1, "sequence", 5);
        RedisCrawl crawl = crawl();

        List<List<Object>> first = crawl.readings("");
        books.bump(1, "changes"); // a request forwarded from partition 2 to partition 1, say
        List<List<Object>> again = crawl.readings("");

        assertThat(RedisCrawl.State.of(first, true).ended()).as("each reading alone").isTrue();
        assertThat(RedisCrawl.State.settled(first, again).ended()).isFalse();
        assertThat(RedisCrawl.State.settled(again, crawl.readings("")).ended()).isTrue();
    }

    @Test
    void status_sumsThePartitions_joinsTheirSlots_andTheLeasesOfEachWorker() {
        long later = (System.currentTimeMillis() + 60_000) * 1000;
        books.set(0, "sequence", 2);
        books.set(1, "sequence", 6);
        books.set(1, "done", 3);
        books.set(2, "done", 1);
        books.queue(0, "c.test", 2);
        books.queue(2, "d.test", 1);
        books.lease(1, "t1", "a.test", "w", later);
        books.lease(2, "t2", "b.test", "w", later);
        books.lease(2, "t3", "b.test", "v", 0);
        books.commit(1, 2);
        books.commit(2, 1);

        CrawlStatus status = crawl().status();

        assertThat(status.state()).isEqualTo(CrawlStatus.State.RUNNING);
        assertThat(status.queued()).isEqualTo(3);
        assertThat(status.done()).isEqualTo(4);
        assertThat(status.inFlight()).isEqualTo(3);
        assertThat(status.inFlightExpired()).isEqualTo(1);
        assertThat(status.itemBatches()).isEqualTo(3);
        assertThat(status.hosts())
                .extracting(h -> h.slot() + " " + h.queued() + " " + h.inFlight())
                .containsExactly("c.test 2 0", "d.test 1 0", "b.test 0 2", "a.test 0 1");
        assertThat(status.workers())
                .extracting(w -> w.name() + " " + w.leases())
                .containsExactly("v 1", "w 2");
    }

    @Test
    void status_ofPartitionsWithNothingInFlight_isFinished() {
        books.set(0, "sequence", 2);
        books.set(2, "done", 2);

        assertThat(crawl().status().state()).isEqualTo(CrawlStatus.State.FINISHED);

        books.set(1, "outgoing", 1);
        assertThat(crawl().status().state())
                .as("a request on its way to another partition")
                .isEqualTo(CrawlStatus.State.RUNNING);
    }

    @Test
    void stop_flagsPartitionZero_andCountsTheLeasesOfEveryPartition() {
        long later = (System.currentTimeMillis() + 60_000) * 1000;
        books.lease(1, "t1", "a.test", "w", later);
        books.lease(2, "t2", "b.test", "w", later);

        RedisCrawl.Stopped stopped = crawl().stop();

        assertThat(stopped.leasesOut()).isEqualTo(2);
        assertThat(books.field(0, "stopped")).isNotNull();
        assertThat(books.field(1, "stopped")).isNull();
        assertThat(crawl().status().state()).isEqualTo(CrawlStatus.State.STOPPING);
    }

    @Test
    void releaseLeases_givesBackAWorkersLeasesInEveryPartition_andNoOthers() {
        long later = (System.currentTimeMillis() + 60_000) * 1000;
        books.lease(0, "t0", "c.test", "gone", later);
        books.lease(2, "t2", "b.test", "gone", later);
        books.lease(2, "t3", "b.test", "other", later);

        long released = crawl().releaseLeases("gone");

        assertThat(released).isEqualTo(2);
        assertThat(books.deadline(0, "t0")).as("expired by the status script").isNull();
        assertThat(books.deadline(2, "t2")).isNull();
        assertThat(books.deadline(2, "t3")).isNotNull();
        assertThat(crawl().status().workers())
                .extracting(w -> w.name() + " " + w.leases())
                .containsExactly("other 1");
    }
}
