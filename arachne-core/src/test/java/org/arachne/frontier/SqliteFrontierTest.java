package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;
import org.arachne.testing.ManualTicker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a {@link SqliteFrontier} keeps across a close and a reopen of its job dir, beyond the
 * contract: the queue in its order, the seen set, the outbox, counters, retries and dead letters;
 * and what it refuses to open. A kill of a real process: {@link SqliteFrontierKillTest}.
 */
@Timeout(60)
class SqliteFrontierTest {
    @TempDir Path jobDir;

    private final ManualTicker ticker = new ManualTicker();

    private FrontierSetup setup() {
        return FrontierSetup.of(
                        org.arachne.politeness.SlotRules.perHostUnlimited(),
                        org.arachne.politeness.Throttle.none(),
                        ticker)
                .withCrawl("books");
    }

    private SqliteFrontier open(FrontierSetup setup) {
        return SqliteFrontier.open(jobDir, setup);
    }

    private SqliteFrontier open() {
        return open(setup());
    }

    private static Lease take(Frontier f) throws InterruptedException {
        Lease lease = f.take(Duration.ZERO);
        assertThat(lease).as("a lease is ready").isNotNull();
        return lease;
    }

    private static List<String> drain(Frontier f) throws InterruptedException {
        List<String> urls = new ArrayList<>();
        for (Lease lease = f.take(Duration.ZERO); lease != null; lease = f.take(Duration.ZERO)) {
            urls.add(lease.request().url());
            f.done(lease, List.of(), List.of(), SlotSignals.NONE);
        }
        return urls;
    }

    private static List<Request> gets(String... urls) {
        return java.util.Arrays.stream(urls).map(Request::get).toList();
    }

    @Test
    void open_newJobDir_isFresh_andStaysFreshUntilSomethingIsQueued() {
        try (SqliteFrontier f = open()) {
            assertThat(f.opening()).isEqualTo(Opening.FRESH);
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.opening()).as("nothing was ever queued").isEqualTo(Opening.FRESH);
            f.add(gets("http://a.test/"));
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.opening()).isEqualTo(Opening.RESUMED);
        }
        assertThat(jobDir.resolve("frontier.db")).isRegularFile();
    }

    /**
     * Random batches of requests (hosts, priorities, depths, bodies, meta) and random takes, the
     * job dir closed and reopened every few rounds, with a small memory limit: the requests come
     * out as from an unbounded memory frontier that was never closed.
     */
    @ParameterizedTest
    @EnumSource(CrawlOrder.class)
    void reopenAndMemoryLimit_keepTheOrderOfAnUnboundedMemoryFrontier(CrawlOrder order)
            throws Exception {
        FrontierSetup setup = setup().withOrder(order);
        Random random = new Random(11);
        List<String> stored = new ArrayList<>();
        List<String> reference = new ArrayList<>();
        int n = 0;
        long maxInMemory = 0;
        long readBack = 0;
        try (MemoryFrontier memory = new MemoryFrontier(setup)) {
            SqliteFrontier f = open(setup.withMemoryQueueLimit(40));
            for (int round = 0; round < 120; round++) {
                List<Request> batch = new ArrayList<>();
                for (int i = random.nextInt(30); i > 0; i--) {
                    batch.add(randomRequest(random, n++));
                }
                f.add(batch);
                memory.add(batch);
                for (int i = random.nextInt(25); i > 0; i--) {
                    takeAndEnd(f, stored);
                    takeAndEnd(memory, reference);
                }
                if (round % 10 == 9) {
                    maxInMemory = Math.max(maxInMemory, f.stats().get("scheduler/max_in_memory"));
                    readBack += f.stats().get("scheduler/read_from_disk");
                    f.close();
                    f = open(setup.withMemoryQueueLimit(40));
                    assertThat(f.opening()).isEqualTo(Opening.RESUMED);
                    assertThat(f.queuedCount()).isEqualTo(memory.queuedCount());
                }
            }
            while (!memory.isFinished()) {
                takeAndEnd(f, stored);
                takeAndEnd(memory, reference);
            }
            assertThat(f.isFinished()).isTrue();
            f.close();
        }
        assertThat(stored).hasSize(n).isEqualTo(reference);
        assertThat(readBack).as("rows were read back from the database").isGreaterThan(100);
        assertThat(maxInMemory)
                .as("memory stayed near its limit")
                .isLessThan(40 + 30 + SqliteFrontier.CHUNK_SIZE);
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

    private static void takeAndEnd(Frontier f, List<String> taken) throws InterruptedException {
        Lease lease = f.take(Duration.ZERO);
        if (lease != null) {
            Request r = lease.request();
            taken.add(r.method() + " " + r.url() + " " + r.body() + " " + r.meta());
            f.done(lease, List.of(), List.of(), SlotSignals.NONE);
        }
    }

    @Test
    void reopen_withTheOtherCrawlOrder_takesWhatIsQueuedInThatOrder() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/1", "http://a.test/2", "http://a.test/3"));
        }
        try (SqliteFrontier f = open(setup().withOrder(CrawlOrder.DFS))) {
            f.add(gets("http://a.test/4"));
            assertThat(drain(f))
                    .containsExactly(
                            "http://a.test/4",
                            "http://a.test/3",
                            "http://a.test/2",
                            "http://a.test/1");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reopen_seenSetStillDropsDuplicates(boolean bloom) throws Exception {
        FrontierSetup setup = setup().withDedup(bloom ? Dedup.bloom(1000, 0.001) : Dedup.EXACT);
        try (SqliteFrontier f = open(setup)) {
            f.add(gets("http://a.test/1", "http://a.test/2"));
            Lease lease = take(f);
            f.done(lease, gets("http://a.test/3"), List.of(), SlotSignals.NONE);
        }
        try (SqliteFrontier f = open(setup)) {
            assertThat(f.stats()).containsEntry("dupefilter/seen", 3L);
            assertThat(f.add(gets("http://a.test/1", "http://a.test/2", "http://a.test/3")))
                    .as("queued, taken or done before: all seen")
                    .isZero();
            assertThat(f.add(gets("http://a.test/4"))).isEqualTo(1);
            assertThat(f.queuedCount()).isEqualTo(3);
        }
    }

    @Test
    void reopen_bloomFilterSavedAndLoggedSince_bothCount() throws Exception {
        FrontierSetup setup = setup().withDedup(Dedup.bloom(100_000, 0.001));
        List<Request> first = new ArrayList<>();
        for (int i = 0; i < 10_500; i++) {
            first.add(Request.get("http://a.test/" + i)); // past 10,000: the filter is saved
        }
        try (SqliteFrontier f = open(setup)) {
            f.add(first);
        }
        try (SqliteFrontier f = open(setup)) {
            f.add(gets("http://a.test/new"));
        }
        try (SqliteFrontier f = open(setup)) {
            assertThat(f.stats()).containsEntry("dupefilter/seen", 10_501L);
            assertThat(f.add(gets("http://a.test/0", "http://a.test/10499", "http://a.test/new")))
                    .isZero();
        }
    }

    @Test
    void reopen_restoresTheCounters() {
        try (SqliteFrontier f = open()) {
            assertThat(f.restoredCounters()).isEmpty();
            f.saveCounters(Map.of("item_scraped_count", 7L, "response_count", 9L));
            f.saveCounters(Map.of("item_scraped_count", 8L, "response_count", 10L));
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.restoredCounters())
                    .isEqualTo(Map.of("item_scraped_count", 8L, "response_count", 10L));
        }
    }

    @Test
    void reopen_givesTheBatchesNotAcknowledgedAgain_andNeverTheAcknowledgedOnes() throws Exception {
        long secondSequence;
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/1", "http://a.test/2", "http://a.test/3"));
            for (int i = 1; i <= 3; i++) {
                f.done(take(f), List.of(), List.of(Item.of("n", i, "x", 1.5)), SlotSignals.NONE);
            }
            List<CommittedItems> batches = f.outbox().poll(2, Duration.ZERO);
            assertThat(batches).hasSize(2);
            f.outbox().acknowledge(batches.get(0).sequence());
            secondSequence = batches.get(1).sequence(); // taken, written maybe, not acknowledged
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.outbox().pending()).isEqualTo(2);
            List<CommittedItems> again = f.outbox().poll(10, Duration.ZERO);
            assertThat(again)
                    .extracting(c -> c.source().url())
                    .containsExactly("http://a.test/2", "http://a.test/3");
            assertThat(again.get(0).sequence()).isEqualTo(secondSequence);
            assertThat(again.get(1).items()).containsExactly(Item.of("n", 3, "x", 1.5));
            f.outbox().acknowledge(again.get(1).sequence());
            f.add(gets("http://a.test/4"));
            f.done(take(f), List.of(), List.of(Item.of("n", 4)), SlotSignals.NONE);
        }
        try (SqliteFrontier f = open()) {
            List<CommittedItems> last = f.outbox().poll(10, Duration.ZERO);
            assertThat(last).extracting(c -> c.source().url()).containsExactly("http://a.test/4");
            assertThat(last.get(0).sequence())
                    .as("sequences keep increasing across runs")
                    .isGreaterThan(secondSequence + 1);
        }
    }

    @Test
    void leasesOutAtClose_areQueuedAgain_doneOnesNever() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/1", "http://a.test/2", "http://a.test/3"));
            f.done(take(f), gets("http://a.test/4"), List.of(), SlotSignals.NONE);
            take(f); // a.test/2 is out when the process stops
            assertThat(f.leasedCount()).isEqualTo(1);
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.queuedCount()).isEqualTo(3);
            assertThat(f.leasedCount()).isZero();
            assertThat(drain(f))
                    .containsExactly("http://a.test/2", "http://a.test/3", "http://a.test/4");
        }
    }

    @Test
    void retryWaitingAtClose_waitsAfterReopenForWhatIsLeftOfItsDelay() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/1"));
            Lease lease = take(f);
            f.retry(
                    lease,
                    lease.request().withMeta("retry_times", 1),
                    Duration.ofSeconds(10),
                    "503",
                    SlotSignals.NONE);
        }
        ticker.advance(Duration.ofSeconds(4)); // the restart took 4 s
        try (SqliteFrontier f = open()) {
            assertThat(f.queuedCount()).isEqualTo(1);
            assertThat(f.take(Duration.ZERO)).isNull();
            ticker.advance(Duration.ofMillis(5999));
            assertThat(f.take(Duration.ZERO)).isNull();
            ticker.advance(Duration.ofMillis(1));
            assertThat(take(f).request().meta("retry_times")).isEqualTo(1);
        }
    }

    @Test
    void fail_keepsADeadLetter_withUrlReasonAttemptsStatusAndTime_acrossRuns() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/gone", "http://a.test/broken"));
            f.fail(take(f), "HTTP 404", SlotSignals.response(Duration.ofMillis(3), 404));
            Lease broken = take(f);
            ticker.advance(Duration.ofSeconds(1));
            f.fail(broken, "HTTP 503", SlotSignals.NONE);
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.isFinished()).isTrue();
            assertThat(f.deadLetters())
                    .containsExactly(
                            new DeadLetter(
                                    "http://a.test/gone",
                                    "HTTP 404",
                                    1,
                                    404,
                                    ticker.now().minusSeconds(1),
                                    Request.get("http://a.test/gone")),
                            new DeadLetter(
                                    "http://a.test/broken",
                                    "HTTP 503",
                                    1,
                                    0,
                                    ticker.now(),
                                    Request.get("http://a.test/broken")));
        }
    }

    @Test
    void fail_countsTheAttemptsTheRetryStageRecorded() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(List.of(Request.get("http://a.test/").withMeta("retry_times", 2)));
            f.fail(take(f), "HTTP 500", SlotSignals.NONE);
            assertThat(f.deadLetters()).extracting(DeadLetter::attempts).containsExactly(3);
        }
    }

    // one process per job dir

    @Test
    void open_jobDirOpenElsewhere_isRefusedAtOnce_untilItIsClosed() {
        SqliteFrontier first = open();
        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(
                        FrontierException.class,
                        e -> {
                            assertThat(e.isTransient()).isFalse();
                            assertThat(e.kind()).isEqualTo(FrontierException.Kind.IN_USE);
                        })
                .hasMessageContaining(jobDir.toString())
                .hasMessageContaining("in use by another crawl")
                .hasMessageContaining("this process, " + ProcessHandle.current().pid());
        assertThat(first.add(gets("http://a.test/"))).as("the first one goes on").isEqualTo(1);
        first.close();
        try (SqliteFrontier again = open()) {
            assertThat(again.opening()).isEqualTo(Opening.RESUMED);
        }
    }

    // what is refused at open, with the file named and the file left as it was

    @Test
    void open_anotherCrawlsJobDir_isRefused_sayingHowToStartAfresh() {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/"));
        }
        assertRefused(setup().withCrawl("quotes"), "holds the crawl 'books', not 'quotes'");
        assertThatThrownBy(() -> open(setup().withCrawl("quotes")))
                .hasMessageContaining("delete the job dir or choose another one");
    }

    @Test
    void open_garbageFile_isRefused() throws IOException {
        Files.write(
                jobDir.resolve("frontier.db"),
                "this is no database at all"
                        .repeat(20)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertRefused(setup(), "is not a SQLite database");
    }

    @Test
    void open_emptyFile_isRefused() throws IOException {
        Files.createFile(jobDir.resolve("frontier.db"));
        assertRefused(setup(), "is not a SQLite database (it is empty)");
    }

    @Test
    void open_truncatedFile_isRefused() throws Exception {
        try (SqliteFrontier f = open()) {
            List<Request> many = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                many.add(Request.get("http://a.test/" + i));
            }
            f.add(many);
        }
        Path db = jobDir.resolve("frontier.db");
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        assertRefused(setup(), "is truncated");
    }

    @Test
    void open_foreignSqliteDatabase_isRefused() throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
        }
        assertRefused(setup(), "is a SQLite database but not a job dir's");
    }

    @Test
    void open_newerSchema_isRefused() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/"));
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (SqliteStore.SCHEMA_VERSION + 1));
        }
        assertRefused(
                setup(),
                "was written by a newer Arachne (schema version "
                        + (SqliteStore.SCHEMA_VERSION + 1));
    }

    @Test
    void open_damagedPages_isRefusedWhenRead() throws Exception {
        try (SqliteFrontier f = open()) {
            List<Request> many = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                many.add(Request.get("http://a.test/" + i));
            }
            f.add(many);
        }
        Path db = jobDir.resolve("frontier.db");
        byte[] bytes = Files.readAllBytes(db);
        Random random = new Random(3);
        for (int i = 4096; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(); // every page but the first
        }
        Files.write(db, bytes);
        assertRefused(setup(), "the file is damaged: delete the job dir to start afresh");
    }

    @Test
    void open_walLeftWithoutItsDatabase_isRefused_insteadOfReplayedIntoANewOne() throws Exception {
        // a crawl killed with its WAL full of commits, then its frontier.db deleted: SQLite
        // would replay that WAL into a new database (#10: it resumed the old crawl)
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/"));
        }
        Path db = jobDir.resolve("frontier.db");
        Path wal = jobDir.resolve("frontier.db-wal");
        Files.write(wal, Files.readAllBytes(db)); // what bytes does not matter: it is refused
        Files.delete(db);
        byte[] walBefore = Files.readAllBytes(wal);

        assertRefused(setup(), "frontier.db-wal is left without its frontier.db");

        assertThat(db).doesNotExist();
        assertThat(Files.readAllBytes(wal)).isEqualTo(walBefore);
    }

    private static FetchedPage page(Lease lease, String body) {
        return new FetchedPage(lease.request(), "\"" + body + "\"", null, Body.utf8(body));
    }

    @Test
    void pages_areKeptAcrossRuns_andARecrawlQueuedBeforeAStopGoesOnAfterIt() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/", "http://b.test/"));
            for (int i = 0; i < 2; i++) {
                Lease lease = take(f);
                f.done(lease, List.of(), List.of(), SlotSignals.NONE, page(lease, "v1"));
            }
        }
        ticker.advance(Duration.ofDays(8));
        try (SqliteFrontier f = open()) {
            assertThat(f.opening()).isEqualTo(Opening.RESUMED);
            assertThat(f.isFinished()).isTrue();
            assertThat(f.requeueFetchedBefore(ticker.now().minus(Duration.ofDays(7)))).isEqualTo(2);
            Lease first = take(f);
            f.done(first, List.of(), List.of(), SlotSignals.NONE, page(first, "v2"));
        } // stopped with one page of the recrawl done, one queued

        try (SqliteFrontier f = open()) {
            assertThat(f.queuedCount()).as("the recrawl goes on").isEqualTo(1);
            Lease second = take(f);
            assertThat(PageRecord.of(second.request()).etag()).isEqualTo("\"v1\"");
            f.done(second, List.of(), List.of(), SlotSignals.NONE, page(second, "v2"));
            assertThat(f.requeueFetchedBefore(ticker.now().minus(Duration.ofDays(7))))
                    .as("both were fetched just now")
                    .isZero();
            assertThat(f.requeueFetchedBefore(ticker.now().plusMillis(1))).isEqualTo(2);
            assertThat(drain(f)).containsExactlyInAnyOrder("http://a.test/", "http://b.test/");
        }
    }

    @Test
    void open_schemaVersion2_isMigrated_andKeepsPagesFromThenOn() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/", "http://a.test/2"));
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE robots"); // the schema of version 2
            s.execute("DROP TABLE pages");
            s.execute("PRAGMA user_version = 2");
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.queuedCount()).isEqualTo(2);
            Lease lease = take(f);
            f.done(lease, List.of(), List.of(), SlotSignals.NONE, page(lease, "v1"));
            drain(f);
            assertThat(f.requeueFetchedBefore(ticker.now().plusMillis(1))).isEqualTo(1);
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(SqliteStore.SCHEMA_VERSION);
        }
    }

    @Test
    void open_schemaVersion3_isMigrated_andKeepsRobotsTxtFromThenOn() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/", "http://a.test/2"));
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE robots"); // the schema of version 3 (its index goes with it)
            s.execute("PRAGMA user_version = 3");
        }
        assertThatThrownBy(() -> JobDirReport.read(jobDir))
                .as("a reader does not migrate")
                .hasMessageContaining("older Arachne (schema version 3)");
        RobotsTxtRecord record =
                new RobotsTxtRecord(
                        "http://a.test",
                        ticker.now(),
                        RobotsTxtRecord.Kind.RULES,
                        Body.utf8("User-agent: *\nCrawl-delay: 3\n"),
                        "text/plain",
                        Duration.ofSeconds(3));
        try (SqliteFrontier f = open()) {
            assertThat(f.opening()).isEqualTo(Opening.RESUMED);
            assertThat(f.queuedCount()).isEqualTo(2);
            assertThat(f.robotsTxt("http://a.test")).isNull();
            f.keepRobotsTxt(record);
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.robotsTxt("http://a.test")).isEqualTo(record);
            assertThat(f.robotsTxtWithCrawlDelay()).containsExactly(record);
            assertThat(drain(f)).containsExactly("http://a.test/", "http://a.test/2");
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(SqliteStore.SCHEMA_VERSION).isEqualTo(4);
        }
        assertThat(JobDirReport.read(jobDir).queued()).isZero();
    }

    /** Rows as the file might hold them after a change outside Arachne, and the reads they fail. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "'http://a.test', 'yesterday', 'rules', 3000, 'text/plain', x'41' | 2",
                "'http://a.test', 1767225600000, 'deny_all', 3000, 'text/plain', x'41' | 2",
                "'http://a.test', 1767225600000, 'rules', 'slow', 'text/plain', x'41' | 2",
                "'http://a.test', 1767225600000, 'rules', 2.5, NULL, NULL | 2",
                "'http://a.test', 1767225600000, 'allow_all', 3000, NULL, x'41' | 2",
                "'http://a.test', 1767225600000, NULL, 3000, NULL, NULL | 2",
                "'http://a.test', 1767225600000, 'rules', -5, 'text/plain', x'41' | 1",
            })
    void robotsTxt_rowThisCodeNeverWrites_isSkipped_countedAndLogged(String values, long reads)
            throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/"));
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement()) {
            // NOT NULL holds for kind: a NULL one goes in through a table without it
            if (values.contains("NULL, 3000")) {
                s.execute("DROP TABLE robots");
                s.execute(
                        "CREATE TABLE robots (origin TEXT PRIMARY KEY, fetched_at, kind,"
                                + " crawl_delay, content_type, body)");
            }
            s.execute("INSERT INTO robots VALUES (" + values + ")");
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.robotsTxt("http://a.test")).isNull();
            assertThat(f.robotsTxtWithCrawlDelay()).isEmpty();
            assertThat(f.stats()).containsEntry("robotstxt/restore_failed", reads);
            assertThat(drain(f)).as("the crawl goes on").containsExactly("http://a.test/");
            RobotsTxtRecord fetchedAgain = RobotsTxtRecord.allowAll("http://a.test", ticker.now());
            f.keepRobotsTxt(fetchedAgain);
            assertThat(f.robotsTxt("http://a.test")).isEqualTo(fetchedAgain);
        }
    }

    @Test
    void open_schemaVersion3_isMigrated_keepingItsPages_andARecrawlTakesTheNewestOfEach()
            throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(gets("http://a.test/", "http://b.test/"));
            for (int i = 0; i < 2; i++) {
                Lease lease = take(f);
                f.done(lease, List.of(), List.of(), SlotSignals.NONE, page(lease, "v3"));
            }
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement()) {
            // the version-3 pages table: one row per fingerprint, kept in its order
            s.execute(
                    "CREATE TABLE pages_v3 (high INTEGER NOT NULL, low INTEGER NOT NULL,"
                            + " fetched_at INTEGER NOT NULL, etag TEXT, last_modified TEXT,"
                            + " content_hash BLOB, request BLOB NOT NULL,"
                            + " PRIMARY KEY (high, low)) WITHOUT ROWID");
            s.execute(
                    "INSERT INTO pages_v3 SELECT high, low, fetched_at, etag, last_modified,"
                            + " content_hash, request FROM pages");
            s.execute("DROP TABLE pages");
            s.execute("ALTER TABLE pages_v3 RENAME TO pages");
            s.execute("DROP TABLE robots"); // nor the robots.txt kept (its index goes with it)
            s.execute("PRAGMA user_version = 3");
        }
        ticker.advance(Duration.ofDays(8));
        try (SqliteFrontier f = open()) {
            assertThat(f.requeueFetchedBefore(ticker.now().minus(Duration.ofDays(7))))
                    .as("the pages of version 3 are kept")
                    .isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                Lease lease = take(f);
                assertThat(PageRecord.of(lease.request()).etag()).isEqualTo("\"v3\"");
                f.done(lease, List.of(), List.of(), SlotSignals.NONE, page(lease, "v4"));
            }
            assertThat(f.requeueFetchedBefore(ticker.now().plusMillis(1)))
                    .as("each page once, though fetched twice")
                    .isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                Lease lease = take(f);
                assertThat(PageRecord.of(lease.request()).etag())
                        .as("the newest fetch of each")
                        .isEqualTo("\"v4\"");
                f.done(lease, List.of(), List.of(), SlotSignals.NONE);
            }
        }
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + jobDir.resolve("frontier.db"));
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(SqliteStore.SCHEMA_VERSION);
        }
    }

    private void assertRefused(FrontierSetup setup, String problem) {
        Path db = jobDir.resolve("frontier.db");
        byte[] before = readOrNull(db);
        assertThatThrownBy(() -> open(setup))
                .isInstanceOfSatisfying(
                        FrontierException.class,
                        e -> {
                            assertThat(e.isTransient()).isFalse();
                            assertThat(e.kind()).isEqualTo(FrontierException.Kind.REFUSED);
                        })
                .hasMessageContaining(jobDir.toString())
                .hasMessageContaining(problem);
        assertThat(readOrNull(db)).as("the file is left as it was").isEqualTo(before);
        JobDirLock.acquire(jobDir).close(); // the refusal released the job dir
    }

    private static byte @Nullable [] readOrNull(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
