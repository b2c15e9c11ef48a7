package org.arachne.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.JobDirReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne jobs DIR}: what a job dir holds and how its last run ended, read without
 * disturbing a crawl running on it ({@link JobDirReport}); exit 3 for a directory that is no job
 * dir or whose database cannot be read.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description =
                "Show a job dir: queued, in flight at the stop, done, failed, items, runs, and how"
                        + " the last run ended. Safe while a crawl runs on it.")
final class JobsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The job dir (the --job-dir of a crawl).")
    Path dir;

    @Override
    public Integer call() {
        JobDirReport report;
        try {
            report = JobDirReport.read(dir);
        } catch (FrontierException e) {
            throw CliException.config(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format(report));
        out.flush();
        return ExitCodes.OK;
    }

    /** The report, one fact per line. */
    static String format(JobDirReport report) {
        StringBuilder sb = new StringBuilder();
        line(sb, "job dir", report.jobDir() + " (crawl '" + report.crawl() + "')");
        line(sb, "state", state(report));
        line(sb, "queued", String.valueOf(report.queued()));
        line(sb, "in flight", inFlight(report));
        JobDirReport.Run last = report.lastRun();
        boolean unended = last != null && last.ended() == null;
        line(
                sb,
                "done",
                report.counters().getOrDefault("response_received_count", 0L)
                        + " pages"
                        + (unended
                                ? " (as counted "
                                        + (report.countersSaved() == null
                                                ? "by no save yet"
                                                : "at " + seconds(report.countersSaved()))
                                        + "; a crawl saves its counters every 20 s)"
                                : ""));
        Path failed = report.jobDir().resolve("failed.jsonl");
        line(
                sb,
                "failed",
                report.deadLetters()
                        + (Files.isRegularFile(failed) ? " (" + failed + ")" : "")
                        + (report.deadLetters() > 0
                                ? "; crawl with --retry-failed to queue them again"
                                : ""));
        line(sb, "items", String.valueOf(report.counters().getOrDefault("item_scraped_count", 0L)));
        line(sb, "runs", String.valueOf(report.runs()));
        line(sb, "last run", lastRun(report));
        return sb.toString();
    }

    private static String state(JobDirReport report) {
        JobDirReport.Run last = report.lastRun();
        if (report.running() && last != null) {
            return "running (process " + last.pid() + ")";
        }
        if (report.queueRows() == 0) {
            return "finished: nothing left to crawl";
        }
        return "resumable: the same crawl command goes on with "
                + report.queueRows()
                + (report.queueRows() == 1 ? " request" : " requests");
    }

    private static String inFlight(JobDirReport report) {
        if (report.running()) {
            return report.inFlight() + " now (as of the crawl's last commit)";
        }
        return report.inFlight()
                + " at the stop"
                + (report.inFlight() > 0 ? ", fetched again by the next run" : "");
    }

    private static String lastRun(JobDirReport report) {
        JobDirReport.Run last = report.lastRun();
        if (last == null) {
            return "none recorded";
        }
        String started = "run " + last.number() + ", started " + seconds(last.started());
        if (last.ended() == null) {
            return report.running()
                    ? started + " (process " + last.pid() + "), running"
                    : started + " (process " + last.pid() + "): killed or crashed, no end recorded";
        }
        return started
                + ", "
                + String.valueOf(last.status()).toLowerCase(Locale.ROOT)
                + " ("
                + last.reason()
                + ") at "
                + seconds(last.ended())
                + " after "
                + Summary.clock(Duration.between(last.started(), last.ended()));
    }

    /** A time to the second, as people read it: {@code 2026-12-01T11:19:40Z}. */
    private static Instant seconds(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS);
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "%-10s %s\n", name, value));
    }
}
