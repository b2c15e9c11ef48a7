package org.arachne.frontier;

import java.nio.file.Path;
import java.sql.Connection;
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
 * writer {@linkplain #ask asks} after enough changes; asks during a checkpoint make one more. A
 * failed checkpoint is logged and counted; the WAL then grows until the next one succeeds.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    private final Path file;
    private final Connection connection;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition asked = lock.newCondition();
    private boolean pending;
    private boolean closed;
    private long checkpoints;
    private long failures;

    Checkpointer(Path file) throws SQLException {
        this.file = file;
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
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                checkpoints++;
            } catch (SQLException e) {
                failures++;
                log.warn("could not checkpoint the WAL of {} ({} failures)", file, failures, e);
            }
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
