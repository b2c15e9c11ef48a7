package org.arachne.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.ItemOutbox;
import org.arachne.item.Item;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFile;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the frontier's item outbox into every feed, one committed lease's items at a time so they
 * stay together, flushes the feeds and acknowledges what it wrote; {@code item_scraped_count}
 * counts items once every feed has them on disk. A feed that cannot be written (a full disk) stops
 * the crawl: its file ends on its last whole record. Whichever lease thread just committed drains
 * (one at a time; the others go on crawling), so no thread waits for items; once the outbox holds
 * more than {@link #BACKLOG} batches, committing threads wait their turn to drain, which slows the
 * crawl down to what the feeds can take. Write errors are counted and logged; an item a feed cannot
 * encode is skipped there, and the others go on.
 */
final class FeedWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedWriter.class);

    /** Batches in the outbox past which committing threads wait to drain. */
    static final int BACKLOG = 1024;

    private static final int BATCHES_PER_POLL = 64;

    /** The longest a durable outbox's acknowledgement waits for others to join it. */
    static final Duration DURABLE_ACKNOWLEDGEMENT_EVERY = Duration.ofMillis(200);

    private final List<Feed> feeds;
    private final List<FeedFile> exporters = new ArrayList<>();
    private final Stats stats;
    private final FrontierCalls calls;
    private final Runnable afterItems;
    private final Consumer<String> onFailure;
    private final BitSet failed = new BitSet();
    private final ReentrantLock writing = new ReentrantLock();
    // guarded by writing: the batches written and not acknowledged yet
    private @Nullable ItemOutbox acknowledging;
    private long unacknowledged = -1;
    private long lastDurableAcknowledgement = System.nanoTime();
    private final List<Set<String>> warnedFields = new ArrayList<>();

    /**
     * @param calls how the acknowledgements are made: a frontier that fails to record one stops the
     *     crawl as any frontier failure does
     * @param afterItems called after each drained batch of items is written (checks close
     *     conditions)
     * @param onFailure told, once per feed, why a feed cannot be written any more
     */
    FeedWriter(
            List<Feed> feeds,
            Stats stats,
            FrontierCalls calls,
            Runnable afterItems,
            Consumer<String> onFailure) {
        this.feeds = List.copyOf(feeds);
        this.stats = stats;
        this.calls = calls;
        this.afterItems = afterItems;
        this.onFailure = onFailure;
        for (int i = 0; i < this.feeds.size(); i++) {
            warnedFields.add(new HashSet<>());
        }
    }

    /**
     * Opens every feed: one that an earlier run of the job acknowledged a position for goes on from
     * there (cut back to it), the others open as their feed says.
     *
     * @param positions the outbox's {@link ItemOutbox#feedPositions()}, by {@link FeedFile#key}
     * @throws IOException naming the feed that could not be opened and why, in one line ({@code
     *     cannot open output /data/x.jsonl: /data/x.jsonl: Permission denied}); feeds opened before
     *     it are closed again
     */
    void open(Map<String, Long> positions) throws IOException {
        for (Feed feed : feeds) {
            Long position = positions.get(FeedFile.key(feed));
            String opening = position == null ? "cannot open output " : "cannot resume output ";
            try {
                exporters.add(
                        position == null ? Exporters.open(feed) : Exporters.resume(feed, position));
            } catch (IOException e) {
                close();
                throw new IOException(opening + feed.path() + ": " + Exporters.reason(e), e);
            } catch (RuntimeException e) {
                close();
                throw new IOException(opening + feed.path() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes what the outbox holds, unless another thread is doing so and the backlog is small;
     * returns at once then, and when the thread is interrupted. Never throws for a feed's failure.
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
            // a batch committed after the last poll and before the unlock found the lock held;
            // an interrupted thread (an abort) leaves the rest to the engine's last drain
        } while (outbox.ready() > 0 && !Thread.currentThread().isInterrupted());
    }

    private void writeAll(ItemOutbox outbox) {
        while (true) {
            List<CommittedItems> batches;
            try {
                // an outbox in a store (Redis) may fail to read: tried again as any frontier call
                batches =
                        calls.waiting(
                                "read the committed items",
                                () -> outbox.poll(BATCHES_PER_POLL, Duration.ZERO));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batches == null || batches.isEmpty()) {
                return;
            }
            int failuresBefore = failed.cardinality();
            long written = 0;
            for (CommittedItems batch : batches) {
                written += write(batch);
            }
            flushAll();
            if (failed.cardinality() == failuresBefore) {
                // written and flushed to every feed: only now do they count
                stats.inc(StatKeys.ITEM_SCRAPED_COUNT, written);
            }
            if (failed.isEmpty()) {
                // once a feed failed, what it misses must be given again when the job resumes
                written(outbox, batches.get(batches.size() - 1).sequence());
            }
            afterItems.run();
        }
    }

    /** Writes one lease's items to every feed still working; returns how many every feed took. */
    private long write(CommittedItems batch) {
        long written = 0;
        for (Item item : batch.items()) {
            boolean all = true;
            for (int i = 0; i < exporters.size(); i++) {
                if (failed.get(i)) {
                    all = false;
                    continue;
                }
                try {
                    FeedFile exporter = exporters.get(i);
                    exporter.export(item);
                    for (String field : exporter.leftOut(item)) {
                        fieldLeftOut(i, field, batch);
                    }
                } catch (IOException e) {
                    feedFailed(i, e);
                    all = false;
                } catch (RuntimeException e) {
                    stats.countError("export", e);
                    LOG.error(
                            "cannot write an item of {} to {}: {}",
                            Urls.redacted(batch.source().url()),
                            feeds.get(i).path(),
                            e.toString());
                    all = false;
                }
            }
            if (all) {
                written++;
            }
        }
        return written;
    }

    /**
     * Every batch up to {@code sequence} is in every feed: acknowledged at once to a memory outbox;
     * to a durable one at most every {@link #DURABLE_ACKNOWLEDGEMENT_EVERY} and at close, since
     * each durable acknowledgement forces the feeds to storage and commits. What a kill leaves
     * unacknowledged is given again on resume, and the files are cut back to match.
     */
    private void written(ItemOutbox outbox, long sequence) {
        acknowledging = outbox;
        unacknowledged = sequence;
        if (!outbox.isDurable()
                || System.nanoTime() - lastDurableAcknowledgement
                        >= DURABLE_ACKNOWLEDGEMENT_EVERY.toNanos()) {
            acknowledgeWritten();
        }
    }

    private void acknowledgeWritten() {
        ItemOutbox outbox = acknowledging;
        if (outbox == null || unacknowledged < 0 || !failed.isEmpty()) {
            return;
        }
        if (outbox.isDurable()) {
            syncAll();
            if (!failed.isEmpty()) {
                return;
            }
            lastDurableAcknowledgement = System.nanoTime();
        }
        long sequence = unacknowledged;
        // only a durable outbox keeps positions: a memory one is acknowledged after every drain
        Map<String, Long> positions = outbox.isDurable() ? positions() : Map.of();
        // a frontier that cannot record it (a full disk) stops the crawl; the next run cuts the
        // feeds back to the last position recorded and writes the rest again
        calls.run("acknowledge the items written", () -> outbox.acknowledge(sequence, positions));
        unacknowledged = -1;
    }

    private Map<String, Long> positions() {
        Map<String, Long> positions = new HashMap<>();
        for (FeedFile file : exporters) {
            positions.put(file.key(), file.position());
        }
        return positions;
    }

    private void syncAll() {
        for (int i = 0; i < exporters.size(); i++) {
            if (!failed.get(i)) {
                try {
                    exporters.get(i).sync();
                } catch (IOException e) {
                    feedFailed(i, e);
                }
            }
        }
    }

    /**
     * Counts a field a feed had no place for ({@code feedexport/field_dropped/<field>}, once per
     * feed and item) and warns the first time for each feed and field, with the page it came from.
     */
    private void fieldLeftOut(int feed, String field, CommittedItems batch) {
        stats.inc(StatKeys.FEED_FIELD_DROPPED + field);
        if (warnedFields.get(feed).add(field)) {
            Feed f = feeds.get(feed);
            List<String> header = exporters.get(feed).keptHeader();
            LOG.warn(
                    "{} has no place for field '{}' of an item of {} ({}); the field is left out"
                            + " of it and counted as {}{}: {}",
                    f.path(),
                    field,
                    Urls.redacted(batch.source().url()),
                    header != null
                            ? "it goes on with the header it had, " + header
                            : f.fields().isEmpty()
                                    ? "its columns come from the first item"
                                    : "it holds " + f.fields(),
                    StatKeys.FEED_FIELD_DROPPED,
                    field,
                    header != null
                            ? "a CSV file keeps its columns (a spider changed since an earlier run"
                                    + " of the job adds none); write .jsonl to keep every field"
                            : "list it in feed_export_fields, or write .jsonl to keep every"
                                    + " field");
        }
    }

    private void flushAll() {
        for (int i = 0; i < exporters.size(); i++) {
            if (!failed.get(i)) {
                try {
                    exporters.get(i).flush();
                } catch (IOException e) {
                    feedFailed(i, e);
                }
            }
        }
    }

    /**
     * A feed cannot be written (a full disk, a file-size limit): its file keeps its whole records,
     * nothing more is written to it, and the crawl stops, since every further item would be lost.
     */
    private void feedFailed(int feed, IOException e) {
        failed.set(feed);
        stats.countError("export", e);
        String reason = "cannot write " + feeds.get(feed).path() + ": " + e.getMessage();
        LOG.error("{}; stopping the crawl", reason);
        onFailure.accept(reason);
    }

    @Override
    public void close() {
        writing.lock();
        try {
            acknowledgeWritten();
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
