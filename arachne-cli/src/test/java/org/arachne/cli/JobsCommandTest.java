package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.arachne.frontier.JobDirReport;
import org.junit.jupiter.api.Test;

/** How {@code arachne jobs} words a job dir's state: running, killed, stopped, finished. */
class JobsCommandTest {
    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Map<String, Long> COUNTERS =
            Map.of("response_received_count", 880L, "item_scraped_count", 2640L);

    private static JobDirReport report(
            long queueRows, long leased, JobDirReport.Run last, boolean running) {
        return new JobDirReport(
                Path.of("jobs/books"),
                "books",
                queueRows,
                leased,
                4,
                COUNTERS,
                STARTED.plusSeconds(40),
                3,
                last,
                running);
    }

    private static JobDirReport.Run unended() {
        return new JobDirReport.Run(3, 4242, STARTED, null, null, null, 0);
    }

    @Test
    void format_killedRun_saysSo_withTheLeasesItHadOutAsInFlight() {
        String out = JobsCommand.format(report(123, 3, unended(), false));
        assertThat(out)
                .contains("job dir    jobs/books (crawl 'books')\n")
                .contains(
                        "state      resumable: the same crawl command goes on with 123 requests\n")
                .contains("queued     120\n")
                .contains("in flight  3 at the stop, fetched again by the next run\n")
                .contains(
                        "done       880 pages (as counted at 2026-03-01T10:00:40Z; a crawl saves"
                                + " its counters every 20 s)\n")
                .contains("failed     4; crawl with --retry-failed to queue them again\n")
                .contains("items      2640\n")
                .contains("runs       3\n")
                .contains(
                        "last run   run 3, started 2026-03-01T10:00:00Z (process 4242): killed or"
                                + " crashed, no end recorded\n");
    }

    @Test
    void format_runningCrawl_saysItsProcess_andWhatIsInFlightNow() {
        String out = JobsCommand.format(report(10, 2, unended(), true));
        assertThat(out)
                .contains("state      running (process 4242)\n")
                .contains("in flight  2 now (as of the crawl's last commit)\n")
                .contains(
                        "last run   run 3, started 2026-03-01T10:00:00Z (process 4242), running\n");
    }

    @Test
    void format_endedRun_saysHowAndWhen_withItsOwnInFlightCount() {
        JobDirReport.Run stopped =
                new JobDirReport.Run(
                        3,
                        4242,
                        STARTED,
                        STARTED.plusSeconds(75),
                        "STOPPED",
                        "stopped on request",
                        0);
        String out = JobsCommand.format(report(50, 7, stopped, false));
        assertThat(out)
                .contains("queued     50\n")
                .contains("done       880 pages\n")
                .contains("in flight  0 at the stop\n")
                .contains(
                        "last run   run 3, started 2026-03-01T10:00:00Z, stopped (stopped on"
                                + " request) at 2026-03-01T10:01:15Z after 1:15.0\n");
    }

    @Test
    void format_nothingQueued_isFinished() {
        JobDirReport.Run finished =
                new JobDirReport.Run(
                        3, 4242, STARTED, STARTED.plusSeconds(1), "FINISHED", "finished", 0);
        assertThat(JobsCommand.format(report(0, 0, finished, false)))
                .contains("state      finished: nothing left to crawl\n");
    }
}
