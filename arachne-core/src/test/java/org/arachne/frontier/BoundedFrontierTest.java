package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arachne.http.Request;
import org.arachne.politeness.SlotSignals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link MemoryFrontier} over its memory limit spills to disk without changing what it hands out:
 * the same operations on a bounded and an unbounded frontier take the same requests in the same
 * order.
 */
class BoundedFrontierTest {
    @TempDir Path tmp;

    private static MemoryFrontier frontier(CrawlOrder order, long limit, Path spillDir) {
        return new MemoryFrontier(
                FrontierSetup.plainQueue()
                        .withOrder(order)
                        .withMemoryQueueLimit(limit)
                        .withSpillDirectory(spillDir));
    }

    /**
     * Random batches of produced requests (random host, priority, depth, with meta and POST bodies)
     * interleaved with random takes; both frontiers must hand out the same sequence.
     */
    @ParameterizedTest
    @EnumSource(CrawlOrder.class)
    void spilling_keepsTheOrderOfAnUnboundedFrontier(CrawlOrder order) throws Exception {
        Path spill = tmp.resolve("spill");
        try (MemoryFrontier bounded = frontier(order, 50, spill);
                MemoryFrontier unbounded = frontier(order, Long.MAX_VALUE, tmp.resolve("none"))) {
            Random random = new Random(42);
            List<String> boundedTakes = new ArrayList<>();
            List<String> unboundedTakes = new ArrayList<>();
            int n = 0;
            for (int round = 0; round < 400; round++) {
                List<Request> batch = new ArrayList<>();
                for (int i = random.nextInt(40); i > 0; i--) {
                    batch.add(randomRequest(random, n++));
                }
                bounded.add(batch);
                unbounded.add(batch);
                for (int i = random.nextInt(35); i > 0; i--) {
                    takeAndEnd(bounded, boundedTakes);
                    takeAndEnd(unbounded, unboundedTakes);
                }
            }
            assertThat(bounded.stats().get("scheduler/spilled_to_disk"))
                    .as("the bounded frontier spilled")
                    .isGreaterThan(1000L);
            assertThat(bounded.stats().get("scheduler/max_in_memory"))
                    .as("memory stayed near its limit")
                    .isLessThan(50 + 40 + SlotQueue.CHUNK_SIZE);
            while (!unbounded.isFinished()) {
                takeAndEnd(bounded, boundedTakes);
                takeAndEnd(unbounded, unboundedTakes);
            }
            assertThat(bounded.isFinished()).isTrue();
            assertThat(boundedTakes).hasSize(n).isEqualTo(unboundedTakes);
            assertThat(bounded.stats())
                    .containsEntry("scheduler/on_disk", 0L)
                    .containsEntry("scheduler/disk_bytes", 0L)
                    .doesNotContainKey("scheduler/disk_errors");
            assertThat(filesIn(spill))
                    .as("files whose chunks were all read back are deleted or emptied")
                    .allSatisfy(file -> assertThat(file).isEmptyFile());
        }
    }

    private static Request randomRequest(Random random, int n) {
        Request r =
                Request.get("http://h" + random.nextInt(3) + ".test/page-" + n)
                        .withPriority(random.nextInt(3) - 1)
                        .withDepth(random.nextInt(4));
        if (n % 7 == 0) {
            r = r.withMethod("POST").withBody(org.arachne.http.Body.utf8("q=" + n));
        }
        if (n % 5 == 0) {
            r = r.withMeta("n", n).withMeta("trail", List.of("a", n, 2.5, true));
        }
        return r;
    }

    /** Takes one request, records its full identity and ends the lease; nothing when empty. */
    private static void takeAndEnd(Frontier f, List<String> taken) throws InterruptedException {
        Lease lease = f.take(Duration.ZERO);
        if (lease != null) {
            Request r = lease.request();
            taken.add(r.method() + " " + r.url() + " " + r.body() + " " + r.meta());
            f.done(lease, List.of(), List.of(), SlotSignals.NONE);
        }
    }

    @Test
    void close_deletesTheTemporarySpillDirectory() throws Exception {
        MemoryFrontier f =
                new MemoryFrontier(
                        FrontierSetup.plainQueue().withDedup(null).withMemoryQueueLimit(10));
        List<Request> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(Request.get("http://a.test/" + i));
        }
        f.add(many);
        assertThat(f.stats().get("scheduler/disk_bytes")).isPositive();
        Path dir = f.spillDirectory();
        assertThat(filesIn(dir)).isNotEmpty();
        f.close();
        assertThat(dir).doesNotExist();
    }

    @Test
    void unwritableSpillDirectory_keepsRequestsInMemory_andCountsTheError() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        try (MemoryFrontier f = frontier(CrawlOrder.BFS, 10, notADirectory.resolve("spill"))) {
            List<Request> many = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                many.add(Request.get("http://a.test/" + i));
            }
            f.add(many);
            assertThat(f.stats().get("scheduler/disk_errors")).isPositive();
            List<String> taken = new ArrayList<>();
            while (!f.isFinished()) {
                takeAndEnd(f, taken);
            }
            assertThat(taken).as("nothing lost").hasSize(2000).doesNotHaveDuplicates();
            assertThat(taken.getFirst()).contains("http://a.test/0 ");
            assertThat(taken.getLast()).contains("http://a.test/1999 ");
        }
    }

    @Test
    void spillFilesRemovedUnderneath_areCountedAsLost_andTheCrawlStillFinishes() throws Exception {
        Path spill = tmp.resolve("spill");
        try (MemoryFrontier f = frontier(CrawlOrder.BFS, 10, spill)) {
            List<Request> many = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                many.add(Request.get("http://a.test/" + i));
            }
            f.add(many);
            for (Path file : filesIn(spill)) {
                Files.write(file, new byte[0]); // truncated by something outside the crawl
            }
            List<String> taken = new ArrayList<>();
            while (!f.isFinished()) {
                takeAndEnd(f, taken);
            }
            long lost = f.stats().get("scheduler/lost_from_disk");
            assertThat(lost).isPositive();
            assertThat(taken.size() + lost).isEqualTo(2000);
            assertThat(f.queuedCount()).isZero();
        }
    }

    private static List<Path> filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
