package org.arachne.redis;

import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.FrontierException;
import org.arachne.item.Item;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFile;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code arachne export}: writes the items of a crawl's stream (or of one worker's own stream) to a
 * file with the feed exporters, exactly once. It holds the stream's claim, so it is the stream's
 * one reader; it takes the batches after the last acknowledged one, writes them, and every {@link
 * #ACKNOWLEDGE_EVERY} (and at its end) forces the file to storage and acknowledges the last batch
 * written together with the file's position, in one script that also trims those batches from the
 * stream. An export killed at any moment is resumed by the next one into the same file: the file is
 * cut back to the position acknowledged last and the batches after it are written again, so every
 * item is in the file once. A crawl of several partitions has a stream on each: the export reads
 * them all, and its checkpoint (the file's position and the last batch of every partition's stream)
 * is one write on partition 0, before the streams are trimmed; the trims may lag, never the
 * checkpoint.
 *
 * <p>Errors: a transient failure of Redis (a restart, a lost connection) is tried again with capped
 * backoff, logged every few seconds; a file that cannot be written ends the export with its {@link
 * IOException}, nothing acknowledged past what the file holds.
 */
public final class CrawlExport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CrawlExport.class);

    /** How often the batches written are acknowledged (the file forced to storage first). */
    static final Duration ACKNOWLEDGE_EVERY = Duration.ofMillis(200);

    /** How long a following export waits for a batch before it looks whether the crawl ended. */
    static final Duration FOLLOW_WAIT = Duration.ofSeconds(1);

    private static final int BATCHES_PER_POLL = 64;
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(2);
    private static final Duration WARN_EVERY = Duration.ofSeconds(5);

    private final RedisCrawl crawl;
    private final String suffix;
    private final Claim claim;
    private final RedisLink link;
    private final RedisOutbox outbox;
    private final FeedFile file;
    private final @Nullable Long resumedAt;
    private final AtomicReference<@Nullable String> lostClaim;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopAsked = lock.newCondition();
    private volatile boolean stopping;

    /**
     * What an export did.
     *
     * @param items items written to the file
     * @param batches batches written (one per page that gave items)
     * @param ended whether the crawl had ended (finished, or stopped with no lease out) with every
     *     batch written; only a following export waits for that
     * @param batchesLeft batches committed and not in the file when it ended
     */
    public record Result(long items, long batches, boolean ended, long batchesLeft) {}

    private CrawlExport(
            RedisCrawl crawl,
            String suffix,
            Claim claim,
            RedisLink link,
            RedisOutbox outbox,
            FeedFile file,
            @Nullable Long resumedAt,
            AtomicReference<@Nullable String> lostClaim) {
        this.crawl = crawl;
        this.suffix = suffix;
        this.claim = claim;
        this.link = link;
        this.outbox = outbox;
        this.file = file;
        this.resumedAt = resumedAt;
        this.lostClaim = lostClaim;
    }

    /**
     * Takes the stream's claim (waiting up to {@code claimWait} for an export that was killed,
     * whose claim still lasts) and opens the file: where the last export into it acknowledged, or
     * as the feed says for a file no export wrote.
     *
     * @param worker the worker whose own stream to read ({@code worker -o}); null for the crawl's
     * @throws FrontierException of kind {@code IN_USE} when another process reads the stream
     * @throws IOException when the file cannot be opened, or is shorter than the position
     *     acknowledged (changed since)
     * @throws IllegalArgumentException when appending to a JSON array no export wrote
     */
    public static CrawlExport open(
            RedisCrawl crawl, @Nullable String worker, Feed feed, Duration claimWait)
            throws IOException, InterruptedException {
        String suffix = worker == null ? "" : ":" + CrawlKeys.checkName("worker", worker);
        AtomicReference<@Nullable String> lost = new AtomicReference<>();
        Claim claim =
                Claim.take(
                        crawl,
                        worker == null ? "claim:export" : WorkerRegistration.claimKey(worker),
                        worker == null ? "the item stream" : "the worker name '" + worker + "'",
                        claimWait,
                        null,
                        null,
                        message -> {
                            log.error("the export {}; stopping", message);
                            lost.set(message);
                        });
        RedisLink link = null;
        try {
            try {
                link = crawl.endpoint().link();
            } catch (RedisException e) {
                throw RedisCrawl.failure(crawl.where(), "connect", e);
            }
            Scripts scripts = new Scripts(link, crawl.keys());
            scripts.loadAll();
            RedisOutbox outbox = RedisOutbox.reader(scripts, crawl.keys(), suffix);
            Map<String, Long> positions = outbox.feedPositions();
            String key = FeedFile.key(feed);
            Long position = positions.get(key);
            positions.forEach(
                    (other, at) -> {
                        if (!other.equals(key)) {
                            log.warn(
                                    "the last export of crawl '{}' wrote to {} and acknowledged"
                                            + " it at byte {}: export into that file again to"
                                            + " have every item in one file once; {} gets the"
                                            + " batches after that acknowledgement",
                                    crawl.crawl(),
                                    other,
                                    at,
                                    feed.path());
                        }
                    });
            FeedFile file =
                    position == null ? Exporters.open(feed) : Exporters.resume(feed, position);
            return new CrawlExport(crawl, suffix, claim, link, outbox, file, position, lost);
        } catch (IOException | RuntimeException e) {
            if (link != null) {
                link.close();
            }
            claim.close();
            throw e;
        }
    }

    /** The position the file was cut back to, resuming an export into it; null for a new one. */
    public @Nullable Long resumedAt() {
        return resumedAt;
    }

    /** The file written. */
    public Feed feed() {
        return file.feed();
    }

    /**
     * Writes the batches committed and not exported yet, then returns: at once when it has caught
     * up with the stream, or, with {@code follow}, once the crawl has ended and every batch is
     * written. {@link #stop} (from another thread) ends it after the batch it writes.
     *
     * @throws IOException when the file cannot be written: what it holds past the last
     *     acknowledgement is cut off by the next export
     * @throws FrontierException when Redis fails for good, or another process took the stream
     */
    public Result run(boolean follow) throws IOException, InterruptedException {
        long items = 0;
        long batches = 0;
        long unacknowledged = -1;
        long lastAcknowledgement = System.nanoTime();
        boolean ended = false;
        while (!stopping && lostClaim.get() == null) {
            Duration wait = follow ? FOLLOW_WAIT : Duration.ZERO;
            List<CommittedItems> polled = retrying("read the item stream", () -> poll(wait));
            if (polled == null) {
                break; // stopped while Redis could not be reached
            }
            if (!polled.isEmpty()) {
                for (CommittedItems batch : polled) {
                    for (Item item : batch.items()) {
                        file.export(item);
                    }
                    items += batch.items().size();
                }
                batches += polled.size();
                file.flush();
                unacknowledged = polled.getLast().sequence();
                if (System.nanoTime() - lastAcknowledgement >= ACKNOWLEDGE_EVERY.toNanos()) {
                    acknowledge(unacknowledged);
                    unacknowledged = -1;
                    lastAcknowledgement = System.nanoTime();
                }
                continue;
            }
            if (!follow) {
                break;
            }
            RedisCrawl.State state = retrying("read the crawl's state", () -> crawl.state(suffix));
            if (state != null && state.ended() && outbox.taken() >= state.lastBatch()) {
                ended = true;
                break;
            }
        }
        String lost = lostClaim.get();
        if (lost != null) {
            // another process reads the stream now: acknowledging more would take from it
            throw new FrontierException(
                    crawl.where() + ": the export " + lost + "; it stopped",
                    FrontierException.Kind.IN_USE,
                    false,
                    null);
        }
        if (unacknowledged >= 0) {
            acknowledge(unacknowledged);
        }
        RedisCrawl.State last = retrying("read the crawl's state", () -> crawl.state(suffix));
        long left = last == null ? 0 : Math.max(0, last.lastBatch() - outbox.taken());
        return new Result(items, batches, ended, left);
    }

    private List<CommittedItems> poll(Duration wait) {
        try {
            return outbox.poll(BATCHES_PER_POLL, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return List.of();
        }
    }

    /** Forces the file to storage, then acknowledges the batches in it with its position. */
    private void acknowledge(long sequence) throws IOException, InterruptedException {
        file.sync();
        Map<String, Long> positions = Map.of(file.key(), file.position());
        retrying(
                "acknowledge the items exported",
                () -> {
                    outbox.acknowledge(sequence, positions);
                    return Boolean.TRUE;
                });
    }

    /**
     * Calls Redis, trying a transient failure again with capped backoff (a warning at once, then
     * every {@link #WARN_EVERY}); null when a stop came first.
     */
    private <T> @Nullable T retrying(String what, Supplier<T> call) throws InterruptedException {
        long backoff = TimeUnit.MILLISECONDS.toNanos(100);
        long failingSince = -1;
        long warned = -1;
        while (true) {
            try {
                T result = call.get();
                if (failingSince >= 0) {
                    log.info("{}: Redis is back; the export goes on", crawl.where());
                }
                return result;
            } catch (FrontierException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                long now = System.nanoTime();
                if (failingSince < 0) {
                    failingSince = now;
                }
                if (warned < 0 || now - warned >= WARN_EVERY.toNanos()) {
                    warned = now;
                    log.warn(
                            "could not {} for {} s, trying again: {}",
                            what,
                            TimeUnit.NANOSECONDS.toSeconds(now - failingSince),
                            e.getMessage());
                }
            }
            if (awaitStop(backoff)) {
                return null;
            }
            backoff = Math.min(backoff * 2, BACKOFF_MAX.toNanos());
        }
    }

    /** Waits up to this long for {@link #stop}; true when it came. */
    private boolean awaitStop(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = nanos;
            while (!stopping && left > 0) {
                left = stopAsked.awaitNanos(left);
            }
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    /** Ends {@link #run} after the batch it writes (from another thread: a signal handler). */
    public void stop() {
        lock.lock();
        try {
            stopping = true;
            stopAsked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the file and gives the stream's claim up. */
    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            link.close();
            claim.close();
        }
    }
}
