package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Fingerprint;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.Lease;
import org.arachne.frontier.SqliteFrontier;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemContext;
import org.arachne.item.ItemPipeline;
import org.arachne.politeness.SlotSignals;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #10: a {@link org.arachne.item.TransactionalPipeline} gets each item's stable id (the request's
 * fingerprint and the item's index before any drop), is told before and after each commit, and sees
 * the same ids again for the requests a crash left uncommitted, in a job dir's next run.
 */
@Timeout(60)
class TransactionalPipelineTest {
    private static final int PAGES = 12;
    private static final int ITEMS_PER_PAGE = 3;

    @TempDir Path dir;

    /** Page 0 links to every other page; each page gives {@link #ITEMS_PER_PAGE} items. */
    static final class PagesSpider implements Spider {
        @Override
        public String name() {
            return "pages";
        }

        @Override
        public List<String> startUrls() {
            return List.of(url(0));
        }

        @Override
        public void parse(Response response, Output out) {
            int page =
                    Integer.parseInt(response.url().substring(response.url().lastIndexOf('/') + 1));
            for (int k = 0; k < ITEMS_PER_PAGE; k++) {
                out.item(Item.of("page", page, "k", k));
            }
            if (page == 0) {
                for (int i = 1; i < PAGES; i++) {
                    out.follow(url(i));
                }
            }
        }
    }

    private static String url(int page) {
        return "http://a.test/" + page;
    }

    private static FakeWeb web() {
        FakeWeb web = new FakeWeb();
        for (int i = 0; i < PAGES; i++) {
            web.page(url(i), "<html><body>" + i + "</body></html>");
        }
        return web;
    }

    private static String id(int page, int index) {
        return Fingerprint.of(Request.get(url(page))).hex() + "-" + index;
    }

    /** Every item's id of the whole crawl. */
    private static Set<String> allIds() {
        Set<String> ids = new HashSet<>();
        for (int page = 0; page < PAGES; page++) {
            for (int k = 0; k < ITEMS_PER_PAGE; k++) {
                ids.add(id(page, k));
            }
        }
        return ids;
    }

    private static Crawler.Builder crawl(FakeWeb web) {
        return Crawler.builder(new PagesSpider())
                .downloader(web)
                .setting("robotstxt_obey", false)
                .setting("concurrent_requests", 4)
                .setting("concurrent_requests_per_domain", 4);
    }

    @Test
    void itemContext_isTheLeasedRequestsFingerprintAndTheIndexBeforeAnEarlierPipelineDropped() {
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        List<Item> passed = new java.util.concurrent.CopyOnWriteArrayList<>();

        CrawlResult result =
                crawl(web())
                        .pipeline(item -> Integer.valueOf(1).equals(item.get("k")) ? null : item)
                        .pipeline(recording)
                        .pipeline(
                                item -> {
                                    passed.add(item);
                                    return item;
                                })
                        .build()
                        .run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(recording.processed).hasSize(PAGES * 2);
        for (int page = 0; page < PAGES; page++) {
            String url = url(page);
            String fingerprint = Fingerprint.of(Request.get(url)).hex();
            assertThat(recording.processed)
                    .filteredOn(c -> c.url().equals(url))
                    .as("item 1 of %s was dropped before; item 2 keeps its index", url)
                    .containsExactly(
                            new ItemContext(fingerprint, 0, url),
                            new ItemContext(fingerprint, 2, url));
        }
        assertThat(recording.processed.getFirst().itemId())
                .isEqualTo(recording.processed.getFirst().requestFingerprint() + "-0")
                .matches("[0-9a-f]{32}-0");
        assertThat(passed)
                .as("the id is not put into the items")
                .allSatisfy(item -> assertThat(item.fields()).containsOnlyKeys("page", "k"));
    }

    @Test
    void hooks_toldOncePerCommittedResponse_withTheItemsThePipelineProcessed() {
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();

        CrawlResult result = crawl(web()).pipeline(recording).build().run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(recording.committed).hasSize(PAGES);
        assertThat(recording.prepared).containsExactlyInAnyOrderElementsOf(recording.committed);
        assertThat(recording.committed)
                .allSatisfy(
                        items ->
                                assertThat(items)
                                        .extracting(ItemContext::index)
                                        .containsExactly(0, 1, 2));
        assertThat(recording.committedIds())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(allIds())
                .containsExactlyInAnyOrderElementsOf(recording.processedIds());
    }

    @Test
    void committedThatThrows_isCountedForEachResponse_andTheCrawlFinishesWithEveryItem() {
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        recording.throwWhenCommitted = true;

        CrawlResult result = crawl(web()).pipeline(recording).build().run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.items()).isEqualTo(PAGES * ITEMS_PER_PAGE);
        assertThat(result.errorsByKind())
                .containsExactly(Map.entry("pipeline/IllegalStateException", (long) PAGES));
        assertThat(recording.committed).hasSize(PAGES);
    }

    @Test
    void beforeCommitThatThrows_isCounted_theItemsStillCommitted_butNotToldCommitted() {
        RecordingTransactionalPipeline recording = new RecordingTransactionalPipeline();
        recording.throwBeforeCommit = true;

        CrawlResult result = crawl(web()).pipeline(recording).build().run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.items()).isEqualTo(PAGES * ITEMS_PER_PAGE);
        assertThat(result.errorsByKind())
                .containsExactly(Map.entry("pipeline/IllegalStateException", (long) PAGES));
        assertThat(recording.prepared).hasSize(PAGES);
        assertThat(recording.committed).isEmpty();
    }

    /**
     * A crawl of a job dir whose process dies at its sixth commit: that one and every later one
     * never happen, as after a kill; the leases still out are fetched again by the next run.
     */
    private CrawlResult crawlKilledAtTheSixthCommit(Path jobDir, ItemPipeline... pipelines) {
        AtomicInteger commits = new AtomicInteger();
        FrontierFactory dying =
                setup ->
                        new EngineLifecycleTest.FrontierWrapper(
                                SqliteFrontier.open(jobDir, setup)) {
                            @Override
                            public Ending done(
                                    Lease lease,
                                    List<Request> produced,
                                    List<Item> items,
                                    SlotSignals signals) {
                                if (commits.incrementAndGet() >= 6) {
                                    throw new FrontierException(
                                            "killed", false, new RuntimeException("SIGKILL"));
                                }
                                return delegate.done(lease, produced, items, signals);
                            }
                        };
        Crawler.Builder builder = crawl(web()).frontier(dying);
        for (ItemPipeline p : pipelines) {
            builder.pipeline(p);
        }
        CrawlResult killed = builder.build().run();
        assertThat(killed.status()).isEqualTo(CrawlResult.Status.ABORTED);
        return killed;
    }

    private CrawlResult resume(Path jobDir, ItemPipeline... pipelines) {
        Crawler.Builder builder = crawl(web()).setting("job_dir", jobDir.toString());
        for (ItemPipeline p : pipelines) {
            builder.pipeline(p);
        }
        CrawlResult resumed = builder.build().run();
        assertThat(resumed.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(resumed.stats()).containsEntry("frontier/resumed", 1L);
        return resumed;
    }

    @Test
    void jobDirCrawlKilledAtACommit_givesTheSameIdsAgainInTheNextRun_andCommitsEachIdOnce() {
        Path jobDir = dir.resolve("job");
        RecordingTransactionalPipeline first = new RecordingTransactionalPipeline();
        crawlKilledAtTheSixthCommit(jobDir, first);
        RecordingTransactionalPipeline second = new RecordingTransactionalPipeline();
        resume(jobDir, second);

        Map<String, List<String>> firstByUrl = idsByUrl(first.processed);
        Map<String, List<String>> secondByUrl = idsByUrl(second.processed);
        List<String> uncommitted = new ArrayList<>(first.processedIds());
        uncommitted.removeAll(first.committedIds());
        assertThat(uncommitted).as("the first run saw items it never committed").isNotEmpty();
        assertThat(second.processedIds()).containsAll(uncommitted);
        Set<String> fetchedTwice = new HashSet<>(firstByUrl.keySet());
        fetchedTwice.retainAll(secondByUrl.keySet());
        assertThat(fetchedTwice).isNotEmpty();
        for (String url : fetchedTwice) {
            assertThat(secondByUrl.get(url))
                    .as("the ids of %s", url)
                    .isEqualTo(firstByUrl.get(url));
        }
        List<String> committed = new ArrayList<>(first.committedIds());
        committed.addAll(second.committedIds());
        assertThat(committed)
                .as("committed over both runs")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(allIds());
    }

    @Test
    void upsertByItemId_writtenBeforeEachCommit_holdsEveryItemOnceAfterAKillAndAResume()
            throws Exception {
        Path jobDir = dir.resolve("job");
        String table = "jdbc:sqlite:" + dir.resolve("items.db");
        RecordingTransactionalPipeline first = new RecordingTransactionalPipeline();
        crawlKilledAtTheSixthCommit(jobDir, new UpsertPipeline(table), first);
        assertThat(rows(table)).as("written before the kill").isNotEmpty();
        RecordingTransactionalPipeline second = new RecordingTransactionalPipeline();
        resume(jobDir, new UpsertPipeline(table), second);

        Set<String> writtenTwice = new HashSet<>(first.processedIds());
        writtenTwice.retainAll(second.processedIds());
        assertThat(writtenTwice).as("items upserted in both runs").isNotEmpty();
        Map<String, String> rows = rows(table);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(allIds());
        for (int page = 0; page < PAGES; page++) {
            for (int k = 0; k < ITEMS_PER_PAGE; k++) {
                assertThat(rows)
                        .containsEntry(id(page, k), "{\"page\":" + page + ",\"k\":" + k + "}");
            }
        }
    }

    @Test
    void docsExample_isTheUpsertPipelineTestedHere() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "engine.md"), StandardCharsets.UTF_8);
        int start = docs.indexOf("```java\nfinal class UpsertPipeline");
        assertThat(start).as("the example in docs/engine.md").isNotNegative();
        String example =
                docs.substring(start + "```java\n".length(), docs.indexOf("```\n", start + 8));
        String source =
                Files.readString(
                        Path.of("src/test/java/org/arachne/engine/UpsertPipeline.java"),
                        StandardCharsets.UTF_8);
        assertThat(example)
                .isEqualTo(source.substring(source.indexOf("final class UpsertPipeline")));
    }

    /** The rows of the upsert pipeline's table: id to fields. */
    private static Map<String, String> rows(String jdbcUrl) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, fields FROM items")) {
            while (rs.next()) {
                assertThat(rows.put(rs.getString(1), rs.getString(2))).isNull();
            }
        }
        return rows;
    }

    private static Map<String, List<String>> idsByUrl(List<ItemContext> contexts) {
        Map<String, List<String>> byUrl = new LinkedHashMap<>();
        for (ItemContext c : contexts) {
            byUrl.computeIfAbsent(c.url(), u -> new ArrayList<>()).add(c.itemId());
        }
        return byUrl;
    }
}
