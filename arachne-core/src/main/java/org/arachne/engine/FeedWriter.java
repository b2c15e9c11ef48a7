package org.arachne.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.arachne.frontier.Frontier;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.item.export.Exporter;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontier's sink: writes the items of done leases to every feed, one lease's items at a time
 * so they stay together, and logs failed requests as dead letters. Counts {@code
 * item_scraped_count} and write errors; a feed that fails to write is counted and logged, and the
 * others go on.
 */
final class FeedWriter implements Frontier.Sink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedWriter.class);

    private final List<Feed> feeds;
    private final List<Exporter> exporters = new ArrayList<>();
    private final Stats stats;
    private final Runnable afterItems;

    /**
     * @param afterItems called after each batch of items is written (checks close conditions)
     */
    FeedWriter(List<Feed> feeds, Stats stats, Runnable afterItems) {
        this.feeds = List.copyOf(feeds);
        this.stats = stats;
        this.afterItems = afterItems;
    }

    /**
     * Opens every feed.
     *
     * @throws IOException naming the feed that could not be opened; feeds opened before it are
     *     closed again
     */
    void open() throws IOException {
        for (Feed feed : feeds) {
            try {
                exporters.add(Exporters.open(feed));
            } catch (IOException | RuntimeException e) {
                close();
                throw new IOException(
                        "cannot open output " + feed.path() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void items(List<Item> items) {
        for (Item item : items) {
            for (int i = 0; i < exporters.size(); i++) {
                try {
                    exporters.get(i).export(item);
                } catch (IOException | RuntimeException e) {
                    stats.countError("export", e);
                    LOG.error("cannot write an item to {}: {}", feeds.get(i).path(), e.toString());
                }
            }
            stats.inc("item_scraped_count");
        }
        afterItems.run();
    }

    /** Counts the failed request; the stage that failed it has logged it with its reason. */
    @Override
    public void deadLetter(Request request, String reason) {
        stats.inc("dead_letter_count");
        LOG.debug("dead letter {}: {}", request.url(), reason);
    }

    /** Flushes every feed (for progress displays that read the files). */
    synchronized void flush() {
        for (int i = 0; i < exporters.size(); i++) {
            try {
                exporters.get(i).flush();
            } catch (IOException e) {
                stats.countError("export", e);
                LOG.error("cannot flush {}: {}", feeds.get(i).path(), e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < exporters.size(); i++) {
            try {
                exporters.get(i).close();
            } catch (IOException | RuntimeException e) {
                stats.countError("export", e);
                LOG.error("cannot close {}: {}", feeds.get(i).path(), e.toString());
            }
        }
        exporters.clear();
    }
}
