package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arachne.http.Request;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job dir records beyond the queue (#10): dead letters queued again by {@code
 * requeueDeadLetters}, its runs and the leases out (read back by {@link JobDirReport}, without the
 * job dir's lock), and the migration of a database of schema version 1.
 */
@Timeout(60)
class JobDirRecordsTest {
    @TempDir Path jobDir;

    private final ManualTicker ticker = new ManualTicker();

    private SqliteFrontier open() {
        return SqliteFrontier.open(
                jobDir,
                FrontierSetup.of(SlotRules.perHostUnlimited(), Throttle.none(), ticker)
                        .withCrawl("books"));
    }

    private static Lease take(Frontier f) throws InterruptedException {
        Lease lease = f.take(Duration.ZERO);
        assertThat(lease).as("a lease is ready").isNotNull();
        return lease;
    }

    private static SlotSignals status(int status) {
        return SlotSignals.response(Duration.ofMillis(5), status);
    }

    // dead letters queued again

    @Test
    void requeueDeadLetters_queuesTheirRequestsWithRetriesReset_bypassingDedup_andForgetsThem()
            throws Exception {
        Request broken =
                Request.get("http://a.test/broken").withPriority(3).withMeta("retry_times", 2);
        try (SqliteFrontier f = open()) {
            f.add(List.of(broken, Request.get("http://a.test/gone")));
            f.fail(take(f), "HTTP 500 (gave up after 2 retries)", status(500));
            f.fail(take(f), "HTTP 404", status(404));
            assertThat(f.isFinished()).isTrue();
            assertThat(f.stats()).containsEntry("frontier/dead_letters", 2L);
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.requeueDeadLetters()).isEqualTo(2);
            assertThat(f.deadLetters()).isEmpty();
            assertThat(f.stats()).containsEntry("frontier/dead_letters", 0L);
            assertThat(f.queuedCount()).isEqualTo(2);
            assertThat(f.add(List.of(Request.get("http://a.test/gone"))))
                    .as("still seen: only the dead letter came back")
                    .isZero();
        }
        try (SqliteFrontier f = open()) {
            assertThat(f.deadLetters()).as("forgotten for good").isEmpty();
            Lease first = take(f);
            assertThat(first.request())
                    .as("priority kept, retries reset")
                    .isEqualTo(Request.get("http://a.test/broken").withPriority(3));
            Lease second = take(f);
            assertThat(second.request().url()).isEqualTo("http://a.test/gone");
            f.done(first, List.of(), List.of(), status(200));
            f.fail(second, "HTTP 404", status(404));
            assertThat(f.deadLetters())
                    .as("one that fails again is a dead letter again")
                    .extracting(DeadLetter::url, DeadLetter::attempts, DeadLetter::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("http://a.test/gone", 1, 404));
        }
    }

    @Test
    void requeueDeadLetters_noneKept_queuesNothing() {
        try (SqliteFrontier f = open()) {
            assertThat(f.requeueDeadLetters()).isZero();
            assertThat(f.isFinished()).isTrue();
        }
    }

    // runs and leases, read back without the lock

    @Test
    void report_runEnded_recordsHowEachRunEnded_andCountsTheRuns() throws Exception {
        try (SqliteFrontier f = open()) {
            assertThat(f.stats()).containsEntry("frontier/run", 1L);
            f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
            f.done(take(f), List.of(), List.of(), status(200));
            ticker.advance(Duration.ofSeconds(90));
            f.saveCounters(Map.of("response_received_count", 1L));
            f.runEnded("STOPPED", "stopped on request");
        }
        JobDirReport report = JobDirReport.read(jobDir);
        assertThat(report.crawl()).isEqualTo("books");
        assertThat(report.runs()).isEqualTo(1);
        assertThat(report.lastRun())
                .isEqualTo(
                        new JobDirReport.Run(
                                1,
                                ProcessHandle.current().pid(),
                                ticker.now().minusSeconds(90),
                                ticker.now(),
                                "STOPPED",
                                "stopped on request",
                                0));
        assertThat(report.running()).as("it ended").isFalse();
        assertThat(report.counters()).containsEntry("response_received_count", 1L);
        assertThat(report.countersSaved()).isEqualTo(ticker.now());
        assertThat(report.queued()).isEqualTo(1);
        assertThat(report.inFlight()).isZero();

        try (SqliteFrontier f = open()) {
            assertThat(f.stats()).containsEntry("frontier/run", 2L);
            f.done(take(f), List.of(), List.of(), status(200));
            f.runEnded("FINISHED", "finished");
        }
        report = JobDirReport.read(jobDir);
        assertThat(report.runs()).isEqualTo(2);
        assertThat(report.lastRun().status()).isEqualTo("FINISHED");
        assertThat(report.queued()).isZero();
    }

    @Test
    void report_runWithoutAnEnd_countsTheLeasesMarkedAtItsLastCommit_asInFlight() throws Exception {
        SqliteFrontier f = open();
        f.add(
                List.of(
                        Request.get("http://a.test/1"),
                        Request.get("http://b.test/1"),
                        Request.get("http://c.test/1"),
                        Request.get("http://d.test/1")));
        Lease a = take(f);
        Lease b = take(f);
        assertThat(JobDirReport.read(jobDir).leasedRows())
                .as("a take is written with the next commit, not one of its own")
                .isZero();
        f.done(a, List.of(), List.of(), status(200)); // the commit marks b
        take(f); // taken after the last commit: not marked
        JobDirReport report = JobDirReport.read(jobDir);
        assertThat(report.leasedRows()).isEqualTo(1);
        assertThat(report.lastRun().ended()).as("no end recorded").isNull();
        assertThat(report.inFlight()).isEqualTo(1);
        assertThat(report.queued()).isEqualTo(2);
        assertThat(report.queueRows()).isEqualTo(3);
        f.done(b, List.of(), List.of(), status(200));
        assertThat(JobDirReport.read(jobDir).leasedRows())
                .as("b's done unmarks b and marks the lease taken since")
                .isEqualTo(1);
        f.close(); // without runEnded, as a killed run

        try (SqliteFrontier again = open()) {
            JobDirReport resumed = JobDirReport.read(jobDir);
            assertThat(resumed.runs()).isEqualTo(2);
            assertThat(resumed.leasedRows()).as("cleared as the next run starts").isZero();
            assertThat(again.queuedCount()).as("the leased ones are queued again").isEqualTo(2);
        }
    }

    @Test
    void report_whileTheFrontierIsOpen_readsWithoutTakingItsLockOrStoppingItsCommits()
            throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(List.of(Request.get("http://a.test/1"), Request.get("http://a.test/2")));
            JobDirReport report = JobDirReport.read(jobDir);
            assertThat(report.queued()).isEqualTo(2);
            f.done(take(f), List.of(), List.of(), status(200));
            assertThat(JobDirReport.read(jobDir).queued()).isEqualTo(1);
            assertThatThrownBy(this::open)
                    .as("the lock is still the crawl's")
                    .hasMessageContaining("in use by another crawl");
        }
    }

    @Test
    void report_notAJobDir_isRefused_sayingWhy() throws Exception {
        assertThatThrownBy(() -> JobDirReport.read(jobDir.resolve("missing")))
                .isInstanceOf(FrontierException.class)
                .hasMessageContaining("missing is not a job dir: it does not exist");
        assertThatThrownBy(() -> JobDirReport.read(jobDir))
                .hasMessageContaining(jobDir + " is not a job dir: it has no frontier.db");
        assertThat(jobDir).isEmptyDirectory();
        Files.writeString(jobDir.resolve("frontier.db"), "not a database", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JobDirReport.read(jobDir))
                .hasMessageContaining("is not a SQLite database");
    }

    // the migration from schema version 1

    @Test
    void open_schemaVersion1_isMigrated_keepingItsDeadLetters() throws Exception {
        try (SqliteFrontier f = open()) {
            f.add(List.of(Request.get("http://a.test/gone"), Request.get("http://a.test/next")));
            f.fail(take(f), "HTTP 404", status(404));
        }
        Path db = jobDir.resolve("frontier.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            // the version-1 schema: no runs, no leased rows, no last status, no pages, no robots
            s.execute("DROP TABLE robots");
            s.execute("DROP TABLE pages");
            s.execute("DROP TABLE runs");
            s.execute("DROP TABLE leased");
            s.execute("ALTER TABLE dead_letters DROP COLUMN last_status");
            s.execute("PRAGMA user_version = 1");
        }
        assertThatThrownBy(() -> JobDirReport.read(jobDir))
                .as("a reader does not migrate")
                .hasMessageContaining("older Arachne (schema version 1)");
        try (SqliteFrontier f = open()) {
            assertThat(f.deadLetters())
                    .extracting(DeadLetter::url, DeadLetter::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("http://a.test/gone", 0));
            assertThat(take(f).request().url()).isEqualTo("http://a.test/next");
        }
        JobDirReport report = JobDirReport.read(jobDir);
        assertThat(report.runs()).as("runs recorded from the migration on").isEqualTo(1);
        assertThat(report.deadLetters()).isEqualTo(1);
    }
}
