package org.arachne.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.frontier.CommittedItems;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.ItemCodec;
import org.arachne.frontier.ItemOutbox;
import org.arachne.frontier.RequestCodec;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An item stream as an outbox: the crawl's ({@code arachne:{<crawl>}:items}) or a worker's own
 * ({@code items:<worker>}, see {@link RedisFrontierOptions.Items}), one per partition of the crawl.
 * {@code end.lua} on a partition appends each done lease's items to that partition's stream as the
 * entry {@code <sequence>-0}, the sequence counted per stream; this outbox gives them from the last
 * acknowledged ones, each partition's in sequence order, and an acknowledgement (with the feeds'
 * positions, in one script) trims them from the streams. One consumer at a time per stream.
 *
 * <p>With one partition the sequence a batch is given with is its stream's. With N &gt; 1 it is
 * this outbox's own, increasing as it gives batches out (the partitions' are taken in turns); it
 * remembers each one's partition and partition sequence, and an acknowledgement keeps, in one
 * script on partition 0, the last acknowledged sequence of every partition's stream and the feeds'
 * positions, then trims each stream (docs/redis.md, "Items").
 *
 * <p>Batches this process committed are also kept here (the last {@value #KEPT_MAX}), so the feed
 * writer takes them without a round trip; a batch it does not hold (another worker's, or one
 * committed before a restart) is read from the stream. {@link #ready()} counts the batches this
 * outbox knows of: its own and those it has read.
 *
 * <p>For a worker whose items are {@link RedisFrontierOptions.Items#FOR_EXPORT exported}, the
 * outbox reads nothing: it gives the batches this process committed, as they come (the engine
 * counts their items), and its acknowledgements change nothing in Redis; {@code arachne export}
 * reads the streams.
 */
final class RedisOutbox implements ItemOutbox {
    private static final Logger log = LoggerFactory.getLogger(RedisOutbox.class);

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
    private final AtomicBoolean skippedTold = new AtomicBoolean();

    // guarded by lock
    private final Stream[] streams;
    private final int keptMax;
    // with N > 1: the batches given and not acknowledged, by the sequence they were given with
    private final ArrayDeque<Given> given = new ArrayDeque<>();
    private long givenSequence; // with N > 1: the sequence of the last batch given
    private int nextStream; // with N > 1: the partition whose batches come first in the next poll
    private long exportSequence; // with N > 1, exported: the sequence of the last own batch

    /** What this outbox knows of one partition's stream. Guarded by the outbox's lock. */
    private static final class Stream {
        final TreeMap<Long, CommittedItems> kept = new TreeMap<>();
        long known; // the sequence of the stream's last batch
        long taken; // the sequence of the last batch given
        long acknowledged; // the last batch acknowledged (kept in Redis, or being kept)
        long trimmed = -1; // partition k >= 1: its stream is trimmed up to here; -1: not known

        Stream(long known, long acknowledged) {
            this.known = known;
            this.taken = acknowledged;
            this.acknowledged = acknowledged;
        }
    }

    /** A batch given by an outbox over N &gt; 1 partitions: its sequence, and its stream's. */
    private record Given(long sequence, int partition, long partitionSequence) {}

    /**
     * The outbox of a frontier's engine, its streams as {@code options.items()} says, over the
     * partitions {@code scripts} reaches (set by the frontier before it makes its outbox).
     *
     * @param known the sequence of partition 0's stream's last batch committed
     * @param acknowledged the sequence acknowledged last of partition 0's stream: the next poll
     *     gives the batches after it (with N &gt; 1 the other partitions' are read from Redis)
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
                openingStreams(
                        scripts,
                        options.outboxSuffix(),
                        options.items() != RedisFrontierOptions.Items.FOR_EXPORT,
                        known,
                        acknowledged),
                restoredPositions);
    }

    private RedisOutbox(
            Scripts scripts,
            CrawlKeys keys,
            String suffix,
            boolean readsStream,
            Stream[] streams,
            Map<String, Long> restoredPositions) {
        this.scripts = scripts;
        this.metaKey = keys.meta();
        this.suffix = suffix;
        this.readsStream = readsStream;
        this.streams = streams;
        this.keptMax = Math.max(1, KEPT_MAX / streams.length);
        this.restoredPositions = readsStream ? Map.copyOf(restoredPositions) : Map.of();
    }

    private static Stream[] openingStreams(
            Scripts scripts, String suffix, boolean readsStream, long known, long acknowledged) {
        int n = scripts.partitions();
        if (!readsStream) {
            Stream[] streams = new Stream[n];
            for (int k = 0; k < n; k++) {
                streams[k] = new Stream(0, 0);
            }
            return streams;
        }
        if (n == 1) {
            return new Stream[] {new Stream(known, acknowledged)};
        }
        return readStreams(scripts, suffix, n);
    }

    /**
     * What partitions 0 to {@code n - 1} hold of a stream: each one's last batch and the
     * acknowledged sequences kept on partition 0, read at once (a round trip).
     */
    private static Stream[] readStreams(Scripts scripts, String suffix, int n) {
        List<Scripts.Call> calls = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            calls.add(new Scripts.Call(Scripts.Script.POLL, k, pollArgs(1, 0, suffix)));
        }
        List<List<Object>> replies = scripts.callAll(calls);
        List<Object> acknowledged = Scripts.list(replies.getFirst().get(5));
        Stream[] streams = new Stream[n];
        for (int k = 0; k < n; k++) {
            long a =
                    k == 0
                            ? Scripts.number(replies.getFirst().get(1))
                            : k - 1 < acknowledged.size()
                                    ? Scripts.number(acknowledged.get(k - 1))
                                    : 0;
            streams[k] = new Stream(Scripts.number(replies.get(k).get(0)), a);
        }
        return streams;
    }

    private static List<byte[]> pollArgs(long from, int max, String suffix) {
        return new Args().add(-1).add("bfs").add(from).add(max).add(suffix).list();
    }

    /**
     * The reader of a stream that no frontier of this process writes ({@code arachne export}): its
     * state read from Redis (a round trip; two for a crawl of several partitions, whose number it
     * reads from partition 0's meta and makes {@code scripts} reach).
     *
     * @param suffix empty for the crawl's stream, {@code :<worker>} for a worker's own
     */
    static RedisOutbox reader(Scripts scripts, CrawlKeys keys, String suffix) {
        List<Object> reply = scripts.call(Scripts.Script.POLL, pollArgs(1, 0, suffix));
        int n = (int) Scripts.number(reply.get(4));
        Stream[] streams;
        if (n > 1) {
            scripts.partitions(n);
            streams = readStreams(scripts, suffix, n);
        } else {
            streams =
                    new Stream[] {
                        new Stream(Scripts.number(reply.get(0)), Scripts.number(reply.get(1)))
                    };
        }
        return new RedisOutbox(
                scripts, keys, suffix, true, streams, positions(Scripts.list(reply.get(3))));
    }

    private static Map<String, Long> positions(List<Object> flat) {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            positions.put(Scripts.text(flat.get(i)), Scripts.number(flat.get(i + 1)));
        }
        return positions;
    }

    /**
     * How many batches {@link #poll} gave so far, counted by the streams' sequences (the sum over
     * partitions of the last one given): compared with the streams' last batches summed, it says
     * whether every batch was given.
     */
    long taken() {
        lock.lock();
        try {
            long sum = 0;
            for (Stream s : streams) {
                sum += s.taken;
            }
            return sum;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A batch this process committed: {@code end.lua} on the partition appended it to the
     * partition's stream as {@code partitionSequence}.
     */
    void committed(int partition, long partitionSequence, Request source, List<Item> items) {
        lock.lock();
        try {
            if (!readsStream) {
                // another worker's batches come between: given as they come, never read back;
                // the partitions' sequences would collide, so with several they get this one's
                long sequence = streams.length == 1 ? partitionSequence : ++exportSequence;
                streams[0].kept.put(sequence, new CommittedItems(sequence, source, items));
                streams[0].known++;
                committed.signalAll();
                return;
            }
            Stream s = streams[partition];
            if (partitionSequence > s.taken) {
                s.kept.put(partitionSequence, new CommittedItems(partitionSequence, source, items));
                if (s.kept.size() > keptMax) {
                    s.kept.pollFirstEntry(); // read back from the stream when its turn comes
                }
            }
            s.known = Math.max(s.known, partitionSequence);
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
                    batches.addAll(read(maxBatches - batches.size(), look));
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
                    if (!anyKept()) {
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

    private boolean anyKept() {
        for (Stream s : streams) {
            if (!s.kept.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The batches this outbox holds that come next, each partition's in order, in turns. */
    private List<CommittedItems> takeKept(int max) {
        lock.lock();
        try {
            List<CommittedItems> batches = new ArrayList<>();
            if (!readsStream) {
                Stream own = streams[0];
                while (batches.size() < max && !own.kept.isEmpty()) {
                    batches.add(own.kept.pollFirstEntry().getValue());
                    own.taken++;
                }
                return batches;
            }
            for (Stream s : streams) {
                s.kept.headMap(s.taken, true).clear();
            }
            boolean gave = true;
            while (batches.size() < max && gave) {
                gave = false;
                for (int i = 0; i < streams.length && batches.size() < max; i++) {
                    int k = (nextStream + i) % streams.length;
                    CommittedItems next = streams[k].kept.remove(streams[k].taken + 1);
                    if (next != null) {
                        batches.add(give(k, next));
                        gave = true;
                    }
                }
            }
            nextStream = (nextStream + 1) % streams.length;
            return batches;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stream whose batches after the last one given are gone although it has later ones: another
     * reader acknowledged and trimmed them (a second process reading the crawl's stream). They
     * cannot be given; the outbox goes on after them, once told, instead of asking for them for
     * ever. Holding the lock.
     */
    private void skippedTrimmed(int partition, Stream s) {
        long skipped = s.known - s.taken;
        s.taken = s.known;
        if (skippedTold.compareAndSet(false, true)) {
            log.warn(
                    "{}: {} item batches of partition {}'s stream{} were acknowledged by another"
                            + " reader before this one gave them: a stream has one reader (give"
                            + " each worker its own, or read the crawl's with arachne export)",
                    scripts.where(),
                    skipped,
                    partition,
                    suffix);
        }
    }

    /**
     * Gives a partition's next batch: with N &gt; 1 under this outbox's next sequence, remembered
     * until it is acknowledged. Holding the lock.
     */
    private CommittedItems give(int partition, CommittedItems batch) {
        Stream s = streams[partition];
        s.taken = batch.sequence();
        if (streams.length == 1) {
            return batch;
        }
        givenSequence++;
        given.add(new Given(givenSequence, partition, batch.sequence()));
        return new CommittedItems(givenSequence, batch.source(), batch.items());
    }

    private boolean behind() {
        lock.lock();
        try {
            if (!readsStream) {
                return false;
            }
            for (Stream s : streams) {
                if (s.taken < s.known) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the batches after the last ones taken from the streams that are behind (all of them
     * when {@code all}): a round trip, the partitions' reads sent at once.
     */
    private List<CommittedItems> read(int max, boolean all) {
        List<Integer> partitions = new ArrayList<>();
        List<Scripts.Call> calls = new ArrayList<>();
        lock.lock();
        try {
            for (int k = 0; k < streams.length; k++) {
                if (all || streams[k].taken < streams[k].known) {
                    partitions.add(k);
                }
            }
            if (partitions.isEmpty()) {
                return List.of();
            }
            int each = Math.max(1, (max + partitions.size() - 1) / partitions.size());
            for (int k : partitions) {
                calls.add(
                        new Scripts.Call(
                                Scripts.Script.POLL,
                                k,
                                pollArgs(streams[k].taken + 1, each, suffix)));
            }
        } finally {
            lock.unlock();
        }
        List<List<Object>> replies =
                calls.size() == 1
                        ? List.of(
                                scripts.call(
                                        Scripts.Script.POLL,
                                        calls.getFirst().partition(),
                                        calls.getFirst().args()))
                        : scripts.callAll(calls);
        List<List<CommittedItems>> read = new ArrayList<>();
        for (List<Object> reply : replies) {
            List<CommittedItems> entries = new ArrayList<>();
            for (Object entry : Scripts.list(reply.get(2))) {
                entries.add(decode(Scripts.list(entry)));
            }
            read.add(entries);
        }
        List<CommittedItems> batches = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < partitions.size(); i++) {
                Stream s = streams[partitions.get(i)];
                s.known = Math.max(s.known, Scripts.number(replies.get(i).get(0)));
                if (read.get(i).isEmpty() && s.taken < s.known) {
                    skippedTrimmed(partitions.get(i), s);
                }
            }
            // in turns, as takeKept gives them; a partition's batch read after the last one given
            for (int j = 0; batches.size() < max; j++) {
                boolean any = false;
                for (int i = 0; i < partitions.size() && batches.size() < max; i++) {
                    if (j < read.get(i).size()) {
                        any = true;
                        int k = partitions.get(i);
                        CommittedItems batch = read.get(i).get(j);
                        if (batch.sequence() > streams[k].taken) {
                            batches.add(give(k, batch));
                        }
                    }
                }
                if (!any) {
                    break;
                }
            }
            for (Stream s : streams) {
                s.kept.headMap(s.taken, true).clear();
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

    /**
     * With N &gt; 1: the batches given up to {@code sequence} are acknowledged by the sequence of
     * each partition's stream, kept with the positions in one script on partition 0; then the
     * streams are trimmed at once (a second round trip). A failure after that script leaves the
     * acknowledgement kept; the same acknowledgement made again, or the next one, trims them.
     */
    @Override
    public void acknowledge(long sequence, Map<String, Long> feedPositions) {
        if (!readsStream) {
            return; // arachne export acknowledges the crawl's stream
        }
        if (streams.length == 1) {
            Args args = new Args().add(-1).add("bfs").add(sequence).add(suffix);
            feedPositions.forEach((feed, position) -> args.add(feed).add(position));
            List<Object> reply = scripts.call(Scripts.Script.ACK, args.list());
            lock.lock();
            try {
                streams[0].known = Math.max(streams[0].known, Scripts.number(reply.get(1)));
            } finally {
                lock.unlock();
            }
            return;
        }
        trim(keep(sequence, feedPositions));
    }

    /**
     * With N &gt; 1, the checkpoint alone: the sequences of every partition's stream that the
     * batches given up to {@code sequence} reach, and the feeds' positions, kept in one script on
     * partition 0, which trims partition 0's stream too.
     *
     * @return the sequences acknowledged, by partition (never moved back)
     */
    long[] keep(long sequence, Map<String, Long> feedPositions) {
        Args args = new Args().add(-1).add("bfs").add(suffix).add(streams.length);
        lock.lock();
        try {
            while (!given.isEmpty() && given.peekFirst().sequence() <= sequence) {
                Given g = given.pollFirst();
                Stream s = streams[g.partition()];
                // kept in memory at once: an acknowledgement that fails is asked again by its
                // caller, and sends it again
                s.acknowledged = Math.max(s.acknowledged, g.partitionSequence());
            }
            for (Stream s : streams) {
                args.add(s.acknowledged);
            }
        } finally {
            lock.unlock();
        }
        feedPositions.forEach((feed, position) -> args.add(feed).add(position));
        List<Object> reply = scripts.call(Scripts.Script.ACK_PARTITIONS, args.list());
        List<Object> kept = Scripts.list(reply.get(0));
        long[] acknowledged = new long[streams.length];
        for (int k = 0; k < streams.length; k++) {
            acknowledged[k] = Scripts.number(kept.get(k));
        }
        lock.lock();
        try {
            streams[0].known = Math.max(streams[0].known, Scripts.number(reply.get(1)));
        } finally {
            lock.unlock();
        }
        return acknowledged;
    }

    /**
     * Trims the streams of partitions k &ge; 1 up to their acknowledged sequences, those not known
     * to be trimmed that far (all of them after opening: a killed consumer's trims may be missing),
     * at once (a round trip).
     */
    private void trim(long[] acknowledged) {
        List<Scripts.Call> trims = new ArrayList<>();
        List<Integer> trimmed = new ArrayList<>();
        lock.lock();
        try {
            for (int k = 1; k < streams.length; k++) {
                if (acknowledged[k] > streams[k].trimmed) {
                    List<byte[]> args =
                            new Args().add(-1).add("bfs").add(acknowledged[k]).add(suffix).list();
                    trims.add(new Scripts.Call(Scripts.Script.TRIM_ITEMS, k, args));
                    trimmed.add(k);
                }
            }
        } finally {
            lock.unlock();
        }
        if (trims.isEmpty()) {
            return;
        }
        List<List<Object>> replies = scripts.callAll(trims);
        lock.lock();
        try {
            for (int i = 0; i < trimmed.size(); i++) {
                Stream s = streams[trimmed.get(i)];
                s.trimmed = acknowledged[trimmed.get(i)];
                s.known = Math.max(s.known, Scripts.number(replies.get(i).get(0)));
            }
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
            long ready = 0;
            for (Stream s : streams) {
                ready += Math.max(0, s.known - s.taken);
            }
            return ready;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Committed and not acknowledged, by every worker writing to these streams, summed over the
     * partitions (a round trip); for a worker whose items are exported, its own batches not given
     * yet.
     */
    @Override
    public long pending() {
        if (!readsStream) {
            return ready();
        }
        if (streams.length == 1) {
            List<byte[]> v =
                    scripts.fields(
                            "count the item batches",
                            metaKey,
                            ascii("outbox_sequence" + suffix),
                            ascii("acknowledged" + suffix));
            return Math.max(0, parse(v.get(0)) - parse(v.get(1)));
        }
        long pending = 0;
        for (Stream s : readStreams(scripts, suffix, streams.length)) {
            pending += Math.max(0, s.known - s.acknowledged);
        }
        return pending;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static long parse(byte[] value) {
        return value.length == 0 ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }
}
