package org.arachne.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.ItemCodec;
import org.arachne.frontier.ItemOutbox;
import org.arachne.frontier.RequestCodec;
import org.arachne.http.Request;
import org.arachne.item.Item;

/**
 * An item stream as an outbox: the crawl's ({@code arachne:{<crawl>}:items}) or a worker's own
 * ({@code items:<worker>}, see {@link RedisFrontierOptions.Items}). {@code end.lua} appends each
 * done lease's items as the entry {@code <sequence>-0}, the sequence counted per stream; this
 * outbox gives them in sequence order from the last acknowledged one, and an acknowledgement (with
 * the feeds' positions, in one script) trims them from the stream. One consumer at a time per
 * stream.
 *
 * <p>Batches this process committed are also kept here (the last {@value #KEPT_MAX}), so the feed
 * writer takes them without a round trip; a batch it does not hold (another worker's, or one
 * committed before a restart) is read from the stream. {@link #ready()} counts the batches this
 * outbox knows of: its own and those it has read.
 *
 * <p>For a worker whose items are {@link RedisFrontierOptions.Items#FOR_EXPORT exported}, the
 * outbox reads nothing: it gives the batches this process committed, as they come (the engine
 * counts their items), and its acknowledgements change nothing in Redis; {@code arachne export}
 * reads the stream.
 */
final class RedisOutbox implements ItemOutbox {
    private static final int KEPT_MAX = 4096;

    /** How often a waiting poll looks at the stream for batches other processes committed. */
    private static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Scripts scripts;
    private final byte[] metaKey;
    private final String suffix;
    private final boolean readsStream;
    private final Map<String, Long> restoredPositions;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final ReentrantLock consuming = new ReentrantLock();

    // guarded by lock
    private final TreeMap<Long, CommittedItems> kept = new TreeMap<>();
    private long known;
    private long taken;

    /**
     * The outbox of a frontier's engine, its stream as {@code options.items()} says.
     *
     * @param known the sequence of the stream's last batch committed
     * @param acknowledged the sequence acknowledged last: the next poll gives the batches after it
     */
    RedisOutbox(
            Scripts scripts,
            CrawlKeys keys,
            RedisFrontierOptions options,
            long known,
            long acknowledged,
            Map<String, Long> restoredPositions) {
        this(
                scripts,
                keys,
                options.outboxSuffix(),
                options.items() != RedisFrontierOptions.Items.FOR_EXPORT,
                known,
                acknowledged,
                restoredPositions);
    }

    private RedisOutbox(
            Scripts scripts,
            CrawlKeys keys,
            String suffix,
            boolean readsStream,
            long known,
            long acknowledged,
            Map<String, Long> restoredPositions) {
        this.scripts = scripts;
        this.metaKey = keys.meta();
        this.suffix = suffix;
        this.readsStream = readsStream;
        this.known = readsStream ? known : 0;
        this.taken = readsStream ? acknowledged : 0;
        this.restoredPositions = readsStream ? Map.copyOf(restoredPositions) : Map.of();
    }

    /**
     * The reader of a stream that no frontier of this process writes ({@code arachne export}): its
     * state read from Redis (a round trip).
     *
     * @param suffix empty for the crawl's stream, {@code :<worker>} for a worker's own
     */
    static RedisOutbox reader(Scripts scripts, CrawlKeys keys, String suffix) {
        List<Object> reply =
                scripts.call(
                        Scripts.Script.POLL,
                        new Args().add(-1).add("bfs").add(1).add(0).add(suffix).list());
        return new RedisOutbox(
                scripts,
                keys,
                suffix,
                true,
                Scripts.number(reply.get(0)),
                Scripts.number(reply.get(1)),
                positions(Scripts.list(reply.get(3))));
    }

    private static Map<String, Long> positions(List<Object> flat) {
        Map<String, Long> positions = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            positions.put(Scripts.text(flat.get(i)), Scripts.number(flat.get(i + 1)));
        }
        return positions;
    }

    /** The sequence of the last batch given by {@link #poll}: the next one gives those after it. */
    long taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** A batch this process committed (its sequence from {@code end.lua}). */
    void committed(long sequence, Request source, List<Item> items) {
        lock.lock();
        try {
            if (!readsStream) {
                // another worker's batches come between: given as they come, never read back
                kept.put(sequence, new CommittedItems(sequence, source, items));
                known++;
                committed.signalAll();
                return;
            }
            if (sequence > taken) {
                kept.put(sequence, new CommittedItems(sequence, source, items));
                if (kept.size() > KEPT_MAX) {
                    kept.pollFirstEntry(); // read back from the stream when its turn comes
                }
            }
            known = Math.max(known, sequence);
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<CommittedItems> poll(int maxBatches, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        consuming.lockInterruptibly();
        try {
            boolean look = false;
            while (true) {
                List<CommittedItems> batches = takeKept(maxBatches);
                if (batches.size() < maxBatches && (look || behind())) {
                    batches.addAll(read(maxBatches - batches.size()));
                }
                if (!batches.isEmpty()) {
                    return batches;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return batches;
                }
                lock.lockInterruptibly();
                try {
                    if (kept.isEmpty()) {
                        committed.awaitNanos(Math.min(remaining, LOOK_EVERY_NANOS));
                    }
                } finally {
                    lock.unlock();
                }
                look = readsStream;
            }
        } finally {
            consuming.unlock();
        }
    }

    /** The batches this outbox holds that come next, in order. */
    private List<CommittedItems> takeKept(int max) {
        lock.lock();
        try {
            List<CommittedItems> batches = new ArrayList<>();
            if (!readsStream) {
                while (batches.size() < max && !kept.isEmpty()) {
                    batches.add(kept.pollFirstEntry().getValue());
                    taken++;
                }
                return batches;
            }
            kept.headMap(taken, true).clear();
            while (batches.size() < max) {
                CommittedItems next = kept.remove(taken + 1);
                if (next == null) {
                    break;
                }
                batches.add(next);
                taken++;
            }
            return batches;
        } finally {
            lock.unlock();
        }
    }

    private boolean behind() {
        lock.lock();
        try {
            return readsStream && taken < known;
        } finally {
            lock.unlock();
        }
    }

    /** Reads the batches after the last one taken from the stream (a round trip). */
    private List<CommittedItems> read(int max) {
        long from;
        lock.lock();
        try {
            from = taken + 1;
        } finally {
            lock.unlock();
        }
        List<Object> reply =
                scripts.call(
                        Scripts.Script.POLL,
                        new Args().add(-1).add("bfs").add(from).add(max).add(suffix).list());
        List<CommittedItems> batches = new ArrayList<>();
        for (Object entry : Scripts.list(reply.get(2))) {
            batches.add(decode(Scripts.list(entry)));
        }
        lock.lock();
        try {
            known = Math.max(known, Scripts.number(reply.get(0)));
            if (!batches.isEmpty()) {
                taken = batches.getLast().sequence();
                kept.headMap(taken, true).clear();
            }
        } finally {
            lock.unlock();
        }
        return batches;
    }

    private static CommittedItems decode(List<Object> entry) {
        String id = Scripts.text(entry.get(0));
        long sequence = Long.parseLong(id.substring(0, id.indexOf('-')));
        List<Object> fields = Scripts.list(entry.get(1));
        byte[] source = null;
        byte[] items = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            switch (Scripts.text(fields.get(i))) {
                case "source" -> source = Scripts.bytes(fields.get(i + 1));
                case "items" -> items = Scripts.bytes(fields.get(i + 1));
                default -> {}
            }
        }
        try {
            if (source == null || items == null) {
                throw new IOException("a field is missing");
            }
            return new CommittedItems(
                    sequence, RequestCodec.fromBytes(source), ItemCodec.fromBytes(items));
        } catch (IOException e) {
            throw new FrontierException(
                    "item batch " + id + " in the crawl's stream cannot be read: " + e.getMessage(),
                    FrontierException.Kind.REFUSED,
                    false,
                    e);
        }
    }

    @Override
    public void acknowledge(long sequence) {
        acknowledge(sequence, Map.of());
    }

    @Override
    public void acknowledge(long sequence, Map<String, Long> feedPositions) {
        if (!readsStream) {
            return; // arachne export acknowledges the crawl's stream
        }
        Args args = new Args().add(-1).add("bfs").add(sequence).add(suffix);
        feedPositions.forEach((feed, position) -> args.add(feed).add(position));
        List<Object> reply = scripts.call(Scripts.Script.ACK, args.list());
        lock.lock();
        try {
            known = Math.max(known, Scripts.number(reply.get(1)));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Long> feedPositions() {
        return restoredPositions;
    }

    @Override
    public boolean isDurable() {
        return readsStream;
    }

    @Override
    public long ready() {
        lock.lock();
        try {
            return Math.max(0, known - taken);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Committed and not acknowledged, by every worker writing to this stream (a round trip); for a
     * worker whose items are exported, its own batches not given yet.
     */
    @Override
    public long pending() {
        if (!readsStream) {
            return ready();
        }
        List<byte[]> v =
                scripts.fields(
                        "count the item batches",
                        metaKey,
                        ascii("outbox_sequence" + suffix),
                        ascii("acknowledged" + suffix));
        return Math.max(0, parse(v.get(0)) - parse(v.get(1)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static long parse(byte[] value) {
        return value.length == 0 ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }
}
