package org.arachne.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.ItemOutbox;
import org.arachne.item.Item;
import org.arachne.item.export.Exporter;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.arachne.url.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the frontier's item outbox into every feed, one committed lease's items at a time so they
 * stay together, and acknowledges what it wrote. Whichever lease thread just committed drains (one
 * at a time; the others go on crawling), so no thread waits for items; once the outbox holds more
 * than {@link #BACKLOG} batches, committing threads wait their turn to drain, which slows the crawl
 * down to what the feeds can take. Counts {@code item_scraped_count} and write errors; a feed that
 * fails to write is counted and logged, and the others go on.
 */
final class FeedWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedWriter.class);

    /** Batches in the outbox past which committing threads wait to drain. */
    static final int BACKLOG = 1024;

    private static final int BATCHES_PER_POLL = 64;

    private final List<Feed> feeds;
    private final List<Exporter> exporters = new ArrayList<>();
    private final Stats stats;
    private final Runnable afterItems;
    private final ReentrantLock writing = new ReentrantLock();

    /**
     * @param afterItems called after each drained batch of items is written (checks close
     *     conditions)
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

    /**
     * Writes what the outbox holds, unless another thread is doing so and the backlog is small;
     * returns at once then. Never throws for a feed's failure.
     */
    void drain(ItemOutbox outbox) {
        do {
            if (outbox.ready() > BACKLOG) {
                writing.lock();
            } else if (!writing.tryLock()) {
                return; // the thread that holds it drains what this one committed
            }
            try {
                writeAll(outbox);
            } finally {
                writing.unlock();
            }
            // a batch committed after the last poll and before the unlock found the lock held
        } while (outbox.ready() > 0);
    }

    private void writeAll(ItemOutbox outbox) {
        while (true) {
            List<CommittedItems> batches;
            try {
                batches = outbox.poll(BATCHES_PER_POLL, Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batches.isEmpty()) {
                return;
            }
            for (CommittedItems batch : batches) {
                write(batch);
            }
            outbox.acknowledge(batches.get(batches.size() - 1).sequence());
            afterItems.run();
        }
    }

    private void write(CommittedItems batch) {
        for (Item item : batch.items()) {
            for (int i = 0; i < exporters.size(); i++) {
                try {
                    exporters.get(i).export(item);
                } catch (IOException | RuntimeException e) {
                    stats.countError("export", e);
                    LOG.error(
                            "cannot write an item of {} to {}: {}",
                            Urls.redacted(batch.source().url()),
                            feeds.get(i).path(),
                            e.toString());
                }
            }
            stats.inc(StatKeys.ITEM_SCRAPED_COUNT);
        }
    }

    @Override
    public void close() {
        writing.lock();
        try {
            for (int i = 0; i < exporters.size(); i++) {
                try {
                    exporters.get(i).close();
                } catch (IOException | RuntimeException e) {
                    stats.countError("export", e);
                    LOG.error("cannot close {}: {}", feeds.get(i).path(), e.toString());
                }
            }
            exporters.clear();
        } finally {
            writing.unlock();
        }
    }
}
