package org.arachne.frontier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a bounded frontier keeps the requests its memory does not hold: append-only files of
 * chunks, each chunk a run of requests of one slot written and read back as a whole. A file is
 * deleted (or, the one being written, emptied) as soon as every chunk in it was read back, and the
 * directory at {@link #close} when this object created it.
 *
 * <p>Not thread-safe: the frontier calls it under its lock.
 */
final class SpillFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpillFiles.class);
    private static final long FILE_SIZE_LIMIT = 64L << 20;

    private final @Nullable Path parent;
    private @Nullable Path directory;
    private final Set<SpillFile> open = new LinkedHashSet<>();
    private @Nullable SpillFile current;
    private int fileCount;
    private long bytesOnDisk;
    private long onDisk;
    private long written;
    private long readBack;
    private long lost;
    private long errors;

    /**
     * @param parent where to create the spill directory; null for the system's temporary directory
     */
    SpillFiles(@Nullable Path parent) {
        this.parent = parent;
    }

    /** A written run of requests, to be read back once. */
    static final class Chunk {
        final String slot;
        final SpillFile file;
        final long offset;
        final int length;
        final int count;

        Chunk(String slot, SpillFile file, long offset, int length, int count) {
            this.slot = slot;
            this.file = file;
            this.offset = offset;
            this.length = length;
            this.count = count;
        }
    }

    /**
     * Writes requests of one slot, in this order, as one chunk.
     *
     * @return the chunk, or null when writing failed (logged and counted; the caller keeps them)
     */
    @Nullable Chunk write(List<QueuedRequest> requests) {
        String slot = requests.getFirst().slot;
        try {
            Chunk chunk = append(slot, requests);
            written += requests.size();
            onDisk += requests.size();
            return chunk;
        } catch (IOException | UncheckedIOException e) {
            errors++;
            log.error(
                    "could not write {} queued requests of slot {} to {}; they stay in memory",
                    requests.size(),
                    slot,
                    directory,
                    e);
            return null;
        }
    }

    private Chunk append(String slot, List<QueuedRequest> requests) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(requests.size() * 128);
        DataOutputStream out = new DataOutputStream(bytes);
        for (QueuedRequest q : requests) {
            out.writeLong(q.sequence);
            RequestCodec.write(q.request, out);
        }
        out.flush();
        SpillFile file = fileWithRoom();
        long offset = file.size;
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        int length = buffer.remaining();
        while (buffer.hasRemaining()) {
            file.channel.write(buffer, file.size + (length - buffer.remaining()));
        }
        file.size += length;
        file.liveChunks++;
        bytesOnDisk += length;
        return new Chunk(slot, file, offset, length, requests.size());
    }

    /**
     * Reads a chunk back, in the order it was written, and forgets it; the file goes when its last
     * chunk was read.
     *
     * @return the requests; empty when reading failed (logged, and counted as lost)
     */
    List<QueuedRequest> read(Chunk chunk) {
        onDisk -= chunk.count;
        try {
            List<QueuedRequest> requests = readChunk(chunk);
            readBack += requests.size();
            return requests;
        } catch (IOException | RuntimeException e) {
            errors++;
            lost += chunk.count;
            log.error(
                    "lost {} queued requests of slot {}: could not read them back from {}",
                    chunk.count,
                    chunk.slot,
                    chunk.file.path,
                    e);
            return List.of();
        } finally {
            try {
                release(chunk);
            } catch (IOException e) {
                errors++;
                log.warn("could not delete spill file {}", chunk.file.path, e);
            }
        }
    }

    private List<QueuedRequest> readChunk(Chunk chunk) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(chunk.length);
        while (buffer.hasRemaining()) {
            int n = chunk.file.channel.read(buffer, chunk.offset + buffer.position());
            if (n < 0) {
                throw new IOException(
                        "spill file " + chunk.file.path + " ends before a chunk it holds");
            }
        }
        DataInputStream in =
                new DataInputStream(new ByteArrayInputStream(buffer.array(), 0, chunk.length));
        List<QueuedRequest> requests = new ArrayList<>(chunk.count);
        for (int i = 0; i < chunk.count; i++) {
            long sequence = in.readLong();
            QueuedRequest q = new QueuedRequest(RequestCodec.read(in), chunk.slot);
            q.sequence = sequence;
            requests.add(q);
        }
        return requests;
    }

    private void release(Chunk chunk) throws IOException {
        SpillFile file = chunk.file;
        file.liveChunks--;
        if (file.liveChunks > 0) {
            return;
        }
        if (file == current) {
            file.channel.truncate(0); // empty: start it again from the beginning
            bytesOnDisk -= file.size;
            file.size = 0;
        } else {
            delete(file);
        }
    }

    private void delete(SpillFile file) throws IOException {
        open.remove(file);
        bytesOnDisk -= file.size;
        file.channel.close();
        Files.deleteIfExists(file.path);
    }

    private SpillFile fileWithRoom() throws IOException {
        if (current != null && current.size < FILE_SIZE_LIMIT) {
            return current;
        }
        if (current != null && current.liveChunks == 0) {
            delete(current);
        }
        if (directory == null) {
            directory =
                    parent == null
                            ? Files.createTempDirectory("arachne-frontier-")
                            : Files.createDirectories(parent);
        }
        Path path = directory.resolve(String.format(Locale.ROOT, "spill-%05d.bin", fileCount++));
        FileChannel channel =
                FileChannel.open(
                        path,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        current = new SpillFile(path, channel);
        open.add(current);
        return current;
    }

    /** Requests on disk now. */
    long onDisk() {
        return onDisk;
    }

    /** Requests written to disk, in all. */
    long written() {
        return written;
    }

    /** Requests read back from disk, in all. */
    long readBack() {
        return readBack;
    }

    /** Requests that could not be read back. */
    long lost() {
        return lost;
    }

    /** Failed writes, reads and deletions. */
    long errors() {
        return errors;
    }

    /** Bytes in spill files not yet deleted. */
    long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** The directory holding the files, once one was written. */
    @Nullable Path directory() {
        return directory;
    }

    /** Closes and deletes every spill file, and the directory if this object created it. */
    @Override
    public void close() throws IOException {
        for (SpillFile file : List.copyOf(open)) {
            delete(file);
        }
        current = null;
        if (directory != null && parent == null) {
            Files.deleteIfExists(directory);
        }
        directory = null;
    }

    /** One append-only file and how many of its chunks were not read back yet. */
    static final class SpillFile {
        final Path path;
        final FileChannel channel;
        long size;
        int liveChunks;

        SpillFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }
    }
}
