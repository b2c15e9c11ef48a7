package org.arachne.frontier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * What a job dir holds, read without disturbing a crawl that may be running on it: {@code arachne
 * jobs}. {@link #read} opens {@code frontier.db} through a read-only connection, in one read
 * transaction (a consistent snapshot; a WAL reader never blocks the crawl's writer nor its passive
 * checkpoints), and does not take the job dir's lock.
 *
 * @param jobDir the job dir read
 * @param crawl the name of the crawl it holds
 * @param queueRows rows of the queue: requests queued, and those that were leased at the stop
 * @param leasedRows queue rows marked leased as of the last commit of the last run (a take is
 *     marked with the next commit): what that run had in flight if it was killed, or has now
 * @param deadLetters requests that failed for good and are not queued again
 * @param counters the crawl's counters as last saved (every 20 s and at the end of each run)
 * @param countersSaved when they were saved, null when never
 * @param runs how many times the job was opened to crawl
 * @param lastRun the latest run, null when none was recorded
 * @param running whether {@code lastRun} has no end and its process is alive
 */
public record JobDirReport(
        Path jobDir,
        String crawl,
        long queueRows,
        long leasedRows,
        long deadLetters,
        Map<String, Long> counters,
        @Nullable Instant countersSaved,
        long runs,
        @Nullable Run lastRun,
        boolean running) {

    public JobDirReport {
        Objects.requireNonNull(jobDir, "jobDir");
        Objects.requireNonNull(crawl, "crawl");
        counters = Map.copyOf(counters);
    }

    /**
     * One run of a job, as the {@code runs} table keeps it.
     *
     * @param number 1 for the job's first run
     * @param pid the process that ran it
     * @param ended null when the run recorded no end: it is running, or was killed
     * @param status how it ended, the engine's status ({@code FINISHED}, {@code STOPPED} ...)
     * @param inFlight leases still out when it ended (fetched again by the next run)
     */
    public record Run(
            long number,
            long pid,
            Instant started,
            @Nullable Instant ended,
            @Nullable String status,
            @Nullable String reason,
            int inFlight) {
        public Run {
            Objects.requireNonNull(started, "started");
        }
    }

    /**
     * Requests that were out when the last run stopped, to be fetched again: those it recorded at
     * its end, or for a run that recorded none (killed, or running now) the rows marked leased.
     */
    public long inFlight() {
        return lastRun != null && lastRun.ended() != null ? lastRun.inFlight() : leasedRows;
    }

    /** Requests queued, those in flight at the stop left out. */
    public long queued() {
        return Math.max(0, queueRows - inFlight());
    }

    /**
     * Reads a job dir.
     *
     * @throws FrontierException (not transient) naming the directory or the file when it is no job
     *     dir (no {@code frontier.db}), or its database is damaged, foreign, of another schema
     *     version, or cannot be read
     */
    public static JobDirReport read(Path jobDir) {
        Path file = jobDir.resolve(SqliteStore.FILE_NAME);
        if (!Files.isDirectory(jobDir)) {
            throw new FrontierException(
                    jobDir
                            + " is not a job dir: "
                            + (Files.exists(jobDir) ? "it is no directory" : "it does not exist"),
                    false,
                    null);
        }
        if (!Files.isRegularFile(file)) {
            throw new FrontierException(
                    jobDir
                            + " is not a job dir: it has no "
                            + SqliteStore.FILE_NAME
                            + " (a crawl with --job-dir "
                            + jobDir
                            + " makes one)",
                    false,
                    null);
        }
        try {
            SqliteStore.checkHeader(file);
        } catch (IOException e) {
            throw new FrontierException("cannot read " + file + ": " + e, false, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection c =
                DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
            int version = SqliteStore.checkIdentity(file, c);
            if (version < SqliteStore.SCHEMA_VERSION) {
                throw new FrontierException(
                        file
                                + " was written by an older Arachne (schema version "
                                + version
                                + "): a crawl on the job dir with this version brings it up to"
                                + " date",
                        false,
                        null);
            }
            c.setAutoCommit(false); // one read transaction: every count from one snapshot
            try {
                return read(jobDir, c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new FrontierException(
                    "cannot read " + file + ": " + e.getMessage() + "; the file is damaged",
                    false,
                    e);
        }
    }

    private static JobDirReport read(Path jobDir, Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String crawl = String.valueOf(single(s, "SELECT value FROM meta WHERE key = 'crawl'"));
            long queueRows = count(s, "SELECT count(*) FROM queue");
            long leased = count(s, "SELECT count(*) FROM leased");
            long dead = count(s, "SELECT count(*) FROM dead_letters");
            long runs = count(s, "SELECT count(*) FROM runs");
            Object saved = single(s, "SELECT value FROM meta WHERE key = 'counters_saved'");
            Map<String, Long> counters = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT name, value FROM counters ORDER BY name")) {
                while (rs.next()) {
                    counters.put(rs.getString(1), rs.getLong(2));
                }
            }
            Run last = null;
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT id, pid, started, ended, status, reason, in_flight FROM runs"
                                    + " ORDER BY id DESC LIMIT 1")) {
                if (rs.next()) {
                    String ended = rs.getString(4);
                    last =
                            new Run(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    Instant.parse(rs.getString(3)),
                                    ended == null ? null : Instant.parse(ended),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getInt(7));
                }
            }
            return new JobDirReport(
                    jobDir,
                    crawl,
                    queueRows,
                    leased,
                    dead,
                    counters,
                    saved == null ? null : Instant.parse(saved.toString()),
                    runs,
                    last,
                    last != null && last.ended() == null && alive(last));
        } catch (RuntimeException e) {
            // a malformed time in a row: the file was changed outside Arachne
            throw new SQLException("a row cannot be read: " + e, e);
        }
    }

    /**
     * Whether the run's process is alive: a live process of that id that started before the run (a
     * later one reuses a dead run's id).
     */
    private static boolean alive(Run run) {
        Optional<ProcessHandle> process = ProcessHandle.of(run.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return started.isEmpty() || !started.get().isAfter(run.started());
    }

    private static long count(Statement s, String sql) throws SQLException {
        return ((Number) Objects.requireNonNull(single(s, sql))).longValue();
    }

    private static @Nullable Object single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }
}
