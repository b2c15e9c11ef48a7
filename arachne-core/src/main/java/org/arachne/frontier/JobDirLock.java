package org.arachne.frontier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arachne.item.export.Exporters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process per job dir: an OS lock on {@code frontier.lock}, held while the frontier is open.
 * The operating system drops it when the process ends however it ends ({@code kill -9} included),
 * so no stale lock is left behind; the file stays and only says which process held it last.
 *
 * <p>Job dirs locked by this process are also kept in a set, checked first: closing any channel of
 * a file drops every POSIX lock this process holds on it, so a refused second open must not even
 * open the file.
 */
final class JobDirLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobDirLock.class);
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    static final String FILE_NAME = "frontier.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private JobDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the job dir's lock at once, or refuses.
     *
     * @throws FrontierException (not transient) when another process, or another frontier of this
     *     one, holds it, or the lock file cannot be written
     */
    static JobDirLock acquire(Path jobDir) {
        Path file;
        try {
            Files.createDirectories(jobDir);
            file = jobDir.toRealPath().resolve(FILE_NAME);
        } catch (IOException e) {
            throw new FrontierException(
                    "cannot create the job dir " + jobDir + ": " + Exporters.reason(e),
                    FrontierException.Kind.STORAGE,
                    false,
                    e);
        }
        if (!HELD_HERE.add(file)) {
            throw inUse(jobDir, "this process, " + ProcessHandle.current().pid());
        }
        try {
            return lock(jobDir, file);
        } catch (RuntimeException e) {
            HELD_HERE.remove(file);
            throw e;
        }
    }

    private static JobDirLock lock(Path jobDir, Path file) {
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new FrontierException(
                    "cannot open the job dir's lock file " + file + ": " + Exporters.reason(e),
                    FrontierException.Kind.STORAGE,
                    false,
                    e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel, file);
            throw new FrontierException(
                    "cannot lock " + file + ": " + e, FrontierException.Kind.STORAGE, false, e);
        }
        if (lock == null) {
            String pid = holderPid(channel);
            closeQuietly(channel, file);
            throw inUse(jobDir, pid.isEmpty() ? "" : "process " + pid);
        }
        try {
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            (ProcessHandle.current().pid() + "\n")
                                    .getBytes(StandardCharsets.US_ASCII)),
                    0);
        } catch (IOException e) {
            log.warn("could not write this process's id to {}", file, e); // the lock holds
        }
        return new JobDirLock(file, channel, lock);
    }

    private static FrontierException inUse(Path jobDir, String holder) {
        return new FrontierException(
                "the job dir "
                        + jobDir
                        + " is in use by another crawl"
                        + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + ": one process per job dir; wait for it to end, stop it, or choose"
                        + " another job dir",
                FrontierException.Kind.IN_USE,
                false,
                null);
    }

    /** The process id the holder wrote, or empty when the file holds none. */
    private static String holderPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel, Path file) {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("could not close {}", file, e);
        }
    }

    /** Releases the lock; the file stays. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            log.warn("could not release the lock on {}", file, e);
        }
        closeQuietly(channel, file);
        HELD_HERE.remove(file);
    }
}
