package org.arachne.frontier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the WAL of a job dir's database into the database file on a thread of its own, through a
 * connection of its own, so that the fsyncs of a checkpoint never hold up a commit (the writer's
 * automatic checkpoints are off: one of them every thousand pages cost more than the commits). The
 * writer {@linkplain #ask asks} once the WAL holds {@link #CHECKPOINT_AFTER_BYTES}; asks during a
 * checkpoint make one more. A failed checkpoint is logged and counted; the WAL then grows until the
 * next one succeeds.
 *
 * <p>Such a checkpoint alone never lets the WAL start again (#10: 118 MB of WAL for a 4,000-page
 * crawl whose database was 0.5 MB): while it copies, the writer commits more, so it always leaves
 * frames behind, and SQLite rewinds the WAL only once every frame is in the database. So when it
 * left some, it says so ({@link #behind}), and the writer copies that rest itself between two
 * commits (a few frames); its next commit then writes the WAL from its start, cut back to what it
 * holds ({@code journal_size_limit = 0}).
 */
final class Checkpointer implements AutoCloseable {
    /** WAL bytes that ask for a checkpoint: SQLite's own automatic size (1,000 pages of 4 KiB). */
    static final long CHECKPOINT_AFTER_BYTES = 4L << 20;

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    private final Path file;
    private final Path wal;
    private final Connection connection;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition asked = lock.newCondition();
    private boolean pending;
    private boolean closed;
    private volatile boolean behind;
    private long checkpoints;
    private long failures;

    Checkpointer(Path file) throws SQLException {
        this.file = file;
        this.wal = file.resolveSibling(file.getFileName() + "-wal");
        this.connection = SqliteStore.connect(file);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
        this.thread =
                Thread.ofPlatform()
                        .name("arachne-checkpoint-" + file.getParent().getFileName())
                        .daemon()
                        .start(this::run);
    }

    /** Asks for a checkpoint soon; returns at once. */
    void ask() {
        lock.lock();
        try {
            pending = true;
            asked.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                while (!pending && !closed) {
                    asked.await();
                }
                if (closed) {
                    return;
                }
                pending = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                // busy, frames in the WAL, frames in the database now
                behind = rs.next() && rs.getLong(3) < rs.getLong(2);
                checkpoints++;
            } catch (SQLException e) {
                failures++;
                log.warn("could not checkpoint the WAL of {} ({} failures)", file, failures, e);
            }
        }
    }

    /**
     * After each commit of the writer: asks for a checkpoint when the WAL holds enough; or, when
     * the last checkpoint left frames behind, copies them on the writer's connection, outside any
     * transaction (no other connection writes, so none are left this time).
     */
    void committed(Connection writer) {
        if (behind) {
            behind = false;
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                failures++;
                log.warn("could not end the checkpoint of {} ({} failures)", file, failures, e);
            }
            return;
        }
        long size;
        try {
            size = Files.size(wal);
        } catch (IOException e) {
            return; // no WAL yet, or it cannot be seen: SQLite reports a real problem at commit
        }
        if (size >= CHECKPOINT_AFTER_BYTES) {
            ask();
        }
    }

    /** Checkpoints run, and failed. */
    long[] counts() {
        return new long[] {checkpoints, failures};
    }

    /** Waits for a checkpoint under way to end and closes the connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            asked.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the thread ends on its own after its checkpoint
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("could not close the checkpoint connection of {}", file, e);
        }
    }
}
