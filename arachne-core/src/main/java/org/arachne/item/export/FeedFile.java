package org.arachne.item.export;

import java.io.IOException;
import java.util.List;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * A feed's file opened for a crawl: its exporter, and the position of the whole records it holds,
 * which a job dir records with each acknowledgement of the item outbox. A resumed job opens the
 * file with {@link Exporters#resume}, cut back to the recorded position, and is given again the
 * items acknowledged after it, so every item is in the file once.
 */
public final class FeedFile implements Exporter {
    private final Feed feed;
    private final RecordFile file;
    private final Exporter exporter;
    private final @Nullable List<String> keptHeader;

    FeedFile(Feed feed, RecordFile file, Exporter exporter, @Nullable List<String> keptHeader) {
        this.feed = feed;
        this.file = file;
        this.exporter = exporter;
        this.keptHeader = keptHeader == null ? null : List.copyOf(keptHeader);
    }

    /**
     * The header row a CSV file already had and goes on with, whatever the feed's fields are now
     * (an earlier run's, of a job resumed perhaps with a changed spider, or the file's when
     * appending); null for any other file.
     */
    public @Nullable List<String> keptHeader() {
        return keptHeader;
    }

    /** The feed this file belongs to. */
    public Feed feed() {
        return feed;
    }

    /**
     * The key a job dir records this file's position under: its absolute, normalised path, the same
     * in every run of the job.
     */
    public String key() {
        return key(feed);
    }

    /** The key of a feed's file, as {@link #key()}. */
    public static String key(Feed feed) {
        return feed.path().toAbsolutePath().normalize().toString();
    }

    /** Bytes of whole records in the file once {@link #flush} returned. */
    public long position() {
        return file.position();
    }

    /**
     * Flushes and forces the file's content to storage, so that a position recorded after this is
     * never past what the file holds, even after a power loss.
     */
    public void sync() throws IOException {
        exporter.flush();
        file.sync();
    }

    @Override
    public void export(Item item) throws IOException {
        exporter.export(item);
    }

    @Override
    public List<String> leftOut(Item item) {
        return exporter.leftOut(item);
    }

    @Override
    public void flush() throws IOException {
        exporter.flush();
    }

    @Override
    public void close() throws IOException {
        exporter.close();
    }
}
