package org.arachne.item.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An output file that only ever holds whole records. Each {@code write} call is one record; records
 * are buffered and written to the file together, in one system call per buffer, so a process killed
 * at any moment (even {@code kill -9}) leaves the file ending on a whole record. A write that fails
 * part way (a full disk, {@code ulimit -f}) is undone: the file is cut back to the end of the last
 * whole record and the error is thrown, so the caller can stop instead of writing garbage.
 *
 * <p>Opened for appending to a file whose last byte is not a line break (a crash of an older
 * version, another writer), a line break is written first so the next record starts a line of its
 * own.
 *
 * <p>Not thread-safe: one exporter writes to it.
 */
final class RecordFile extends OutputStream {
    private static final int BUFFER = 1 << 16;

    private final FileChannel channel;
    private final Path path;
    private byte[] buffer = new byte[BUFFER];
    private int buffered;
    private long committed;
    private boolean failed;

    private RecordFile(FileChannel channel, Path path) throws IOException {
        this.channel = channel;
        this.path = path;
        this.committed = channel.size();
    }

    /**
     * Opens the file for writing records, truncated or appended to.
     *
     * @throws IOException when it cannot be opened
     */
    static RecordFile open(Path path, boolean overwrite) throws IOException {
        boolean startLine = !overwrite && !endsWithLineBreak(path);
        FileChannel channel =
                FileChannel.open(
                        path,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        overwrite
                                ? StandardOpenOption.TRUNCATE_EXISTING
                                : StandardOpenOption.APPEND);
        RecordFile file = new RecordFile(channel, path);
        try {
            if (startLine) {
                file.write(new byte[] {'\n'});
                file.flush();
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return file;
    }

    /**
     * Opens the file to go on after its first {@code position} bytes, which an earlier run wrote as
     * whole records: whatever follows them (records written after the position was recorded, a JSON
     * array's closing bracket) is cut off.
     *
     * @throws IOException when it cannot be opened, or holds fewer than {@code position} bytes
     */
    static RecordFile resume(Path path, long position) throws IOException {
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            long size = channel.size();
            if (size < position) {
                throw new IOException(
                        "it holds "
                                + size
                                + " bytes, but the job had written "
                                + position
                                + ": it was changed outside the crawl");
            }
            channel.truncate(position);
            return new RecordFile(channel, path);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether the file is missing, empty or ends with a line break. */
    private static boolean endsWithLineBreak(Path path) throws IOException {
        if (!Files.isRegularFile(path) || Files.size(path) == 0) {
            return true;
        }
        try (FileChannel reading = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reading.read(last, reading.size() - 1);
            return last.get(0) == '\n';
        }
    }

    /** One record. */
    @Override
    public void write(byte[] record, int offset, int length) throws IOException {
        if (failed) {
            throw new IOException(path + " failed earlier; nothing more is written to it");
        }
        if (buffered > 0 && buffered + length > buffer.length) {
            flush();
        }
        if (length > buffer.length) {
            buffer = Arrays.copyOf(buffer, length);
        }
        System.arraycopy(record, offset, buffer, buffered, length);
        buffered += length;
    }

    /** One record of one byte; exporters write whole records with the array form. */
    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Writes the buffered records; on failure the file is cut back to its last whole record. */
    @Override
    public void flush() throws IOException {
        if (buffered == 0 || failed) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, buffered);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            failed = true;
            try {
                channel.truncate(committed);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        committed += buffered;
        buffered = 0;
    }

    /** The bytes of whole records in the file: all written ones once flushed. */
    long position() {
        return committed;
    }

    /** Writes the buffered records and forces the file's content to storage. */
    void sync() throws IOException {
        flush();
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
