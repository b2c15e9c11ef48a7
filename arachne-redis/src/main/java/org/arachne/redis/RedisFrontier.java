package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.arachne.frontier.CrawlOrder;
import org.arachne.frontier.Dedup;
import org.arachne.frontier.Ending;
import org.arachne.frontier.Fingerprint;
import org.arachne.frontier.Frontier;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.frontier.FrontierSetup;
import org.arachne.frontier.ItemCodec;
import org.arachne.frontier.ItemOutbox;
import org.arachne.frontier.Lease;
import org.arachne.frontier.Opening;
import org.arachne.frontier.RequestCodec;
import org.arachne.frontier.RobotsTxtRecord;
import org.arachne.frontier.RobotsTxtStore;
import org.arachne.frontier.Ticker;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.SlotState;
import org.arachne.politeness.Throttle;
import org.arachne.redis.Scripts.Script;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared frontier: one crawl's queues, politeness, leases, seen set and item stream in Redis,
 * for any number of workers on any number of machines. Every step that reads and changes them is
 * one Lua script ({@code src/main/resources/org/arachne/redis}), so a slot's concurrency and delay
 * hold for all workers together: a request is taken only with a permit of its slot, in the script
 * that takes it. The key layout, the scripts and the clock are described in {@code docs/redis.md}.
 *
 * <p>The throttle policies stay in Java: a lease's ending computes the slot's new state with {@link
 * Throttle#afterEnding} from the state the slot had when the lease was taken, and the script stores
 * it only if the slot has not changed since (a version number); otherwise the ending is stored all
 * the same and the state is computed again from the slot's current one and stored with a small
 * script of its own ({@code redis/state_conflicts}).
 *
 * <p>Leases expire on the crawl's clock; whichever worker's call comes next after a deadline queues
 * the request again. A lease's token is chosen by the worker that takes it (a random prefix per
 * frontier and a counter), so a take whose answer was lost is asked again under the same token and
 * gets the same lease. A request taken is one round trip, a done one more, and {@link #started} one
 * more only for a slot with a gap to keep; {@code redis/round_trips} counts them.
 *
 * <p>What each fetch of a robots.txt found is kept in Redis for what is left of its 24 hours
 * ({@link RobotsTxtStore}): a worker that knows nothing of an origin, or whose own robots.txt
 * request another worker took, reads it there instead of fetching it again.
 *
 * <p>Thread-safety: as {@link Frontier}; one connection, shared by every thread.
 */
public final class RedisFrontier implements Frontier, RobotsTxtStore {
    private static final Logger log = LoggerFactory.getLogger(RedisFrontier.class);

    /** The longest a waiting {@link #take} goes without asking Redis again. */
    static final Duration POLL_CAP = Duration.ofMillis(100);

    /** How often failures of {@link #started} are told, at most. */
    private static final Duration WARN_EVERY = Duration.ofSeconds(5);

    /** Attempts at storing a slot's state that keeps changing under it, before the last wins. */
    private static final int STATE_ATTEMPTS = 8;

    private final CrawlKeys keys;
    private final FrontierSetup setup;
    private final RedisFrontierOptions options;
    private final RedisLink link;
    private final Scripts scripts;
    private final SlotArgs slotArgs;
    private final Opening opening;
    private final RedisOutbox outbox;
    private final String order;
    private volatile String mode; // ARGV[2]: the order, then what lib.lua must do for this crawl
    private final long leaseMicros;
    private final int partitions;
    private final BloomSize bloom;
    private final AtomicBoolean bloomFullTold = new AtomicBoolean();
    private final PartitionTurns turns;
    private final Forwarder forwarder;
    private final AtomicLong lastStamp = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Taken> taken = new ConcurrentHashMap<>();
    private final String tokenPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final AtomicLong tokensMade = new AtomicLong();
    // tokens no lease is known to have: a take answered nothing, or gave no answer at all
    private final Queue<String> spareTokens = new ConcurrentLinkedQueue<>();
    private final AtomicLong endingsMade = new AtomicLong();
    // the ids of endings that got no answer, by token: an ending asked again keeps its id
    private final Map<String, String> unansweredEndings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delaysSetBy = new ConcurrentHashMap<>();
    private final LongAdder stateConflicts = new LongAdder();
    private final LongAdder startedFailures = new LongAdder();
    private final RepeatedWarning startedWarning = new RepeatedWarning(WARN_EVERY);
    private final LongAdder statsFailures = new LongAdder();
    private final LongAdder robotsUnreadable = new LongAdder();
    private long wakeUps; // guarded by lock
    private volatile boolean closed;

    // the last reading of the server's clock, and this process's nanoTime then
    private volatile long serverMicros;
    private volatile long serverMicrosReadAt;

    /** What this process keeps of a lease it took: the gap it set, and its slot's state then. */
    private record Taken(long gapNanos, SlotArgs.Snapshot slot) {}

    private RedisFrontier(RedisLink link, FrontierSetup setup, RedisFrontierOptions options) {
        this.keys = new CrawlKeys(setup.crawl());
        this.setup = setup;
        this.options = options;
        this.link = link;
        this.scripts = new Scripts(link, keys);
        this.slotArgs = new SlotArgs(setup.rules(), setup.throttle(), this::nextStamp);
        this.order = setup.order() == CrawlOrder.DFS ? "dfs" : "bfs";
        this.mode = order;
        this.leaseMicros = Math.max(1, setup.leaseDuration().toNanos() / 1000);
        scripts.loadAll();
        Dedup wanted = setup.dedup();
        String dedup = wanted == null ? "none" : wanted.bloom() ? "bloom" : "exact";
        BloomSize bloom =
                wanted != null && wanted.bloom()
                        ? BloomSize.of(wanted, Math.max(1, options.partitions()))
                        : BloomSize.NONE;
        List<Object> reply =
                scripts.call(
                        Script.OPEN,
                        common().add(dedup)
                                .add(options.outboxSuffix())
                                .add(options.partitions())
                                .add(bloom.capacity())
                                .add(bloom.bits())
                                .add(bloom.hashes())
                                .list());
        sawTime(Scripts.number(reply.getLast()));
        this.opening = Scripts.number(reply.get(0)) == 1 ? Opening.FRESH : Opening.RESUMED;
        String storedOrder = Scripts.text(reply.get(1));
        String storedDedup = Scripts.text(reply.get(2));
        if (!storedOrder.equals(order) || !storedDedup.equals(dedup)) {
            throw new FrontierException(
                    "crawl '"
                            + keys.crawl()
                            + "' in "
                            + link.where()
                            + " was made with crawl_order "
                            + storedOrder
                            + " and deduplication "
                            + storedDedup
                            + "; this worker has "
                            + order
                            + " and "
                            + dedup,
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        this.partitions = (int) Scripts.number(reply.get(6));
        BloomSize storedBloom =
                new BloomSize(
                        Scripts.number(reply.get(7)),
                        Scripts.number(reply.get(8)),
                        (int) Scripts.number(reply.get(9)));
        this.bloom = storedBloom;
        if (dedup.equals("bloom") && !storedBloom.equals(bloom) && opening == Opening.RESUMED) {
            log.info(
                    "crawl {}: deduplicates with the Bloom filter it was made with ({} requests"
                            + " in {} bits in each of its {} partitions, {} probes), not one sized"
                            + " from this worker's dupefilter settings",
                    keys.crawl(),
                    storedBloom.capacity(),
                    storedBloom.bits(),
                    partitions,
                    storedBloom.hashes());
        }
        if (options.partitions() > 0 && options.partitions() != partitions) {
            throw new FrontierException(
                    "crawl '"
                            + keys.crawl()
                            + "' in "
                            + link.where()
                            + " was made with "
                            + partitions
                            + " partitions; this worker asks for "
                            + options.partitions()
                            + " (give none to take the crawl's)",
                    FrontierException.Kind.REFUSED,
                    false,
                    null);
        }
        this.turns = new PartitionTurns(partitions, setup.ticker());
        this.forwarder = new Forwarder(scripts, keys.crawl(), turns, this::common, this::signal);
        scripts.partitions(partitions);
        this.mode = Scripts.mode(order, partitions, dedup.equals("bloom"));
        if (partitions > 1) {
            List<Scripts.Call> opens = new ArrayList<>();
            for (int k = 1; k < partitions; k++) {
                opens.add(
                        new Scripts.Call(
                                Script.OPEN,
                                k,
                                common().add(dedup)
                                        .add(options.outboxSuffix())
                                        .add(partitions)
                                        .add(storedBloom.capacity())
                                        .add(storedBloom.bits())
                                        .add(storedBloom.hashes())
                                        .list()));
            }
            scripts.callAll(opens);
        }
        Map<String, Long> positions = new LinkedHashMap<>();
        List<Object> feeds = Scripts.list(reply.get(5));
        for (int i = 0; i + 1 < feeds.size(); i += 2) {
            positions.put(Scripts.text(feeds.get(i)), Scripts.number(feeds.get(i + 1)));
        }
        this.outbox =
                new RedisOutbox(
                        scripts,
                        keys,
                        options,
                        Scripts.number(reply.get(3)),
                        Scripts.number(reply.get(4)),
                        positions);
    }

    /**
     * Opens the frontier of {@code setup.crawl()} on the Redis server at {@code uri}, through a
     * client the caller keeps ({@link #newClient}): the frontier opens a connection of its own and
     * closes it at {@link #close}, not the client.
     *
     * @throws IllegalArgumentException when the crawl's name cannot name Redis keys
     * @throws FrontierException when Redis cannot be reached or refuses the crawl
     */
    public static RedisFrontier open(
            RedisClient client, RedisURI uri, FrontierSetup setup, RedisFrontierOptions options) {
        CrawlKeys.checkName("crawl", setup.crawl()); // refuse a bad name before connecting
        return open(RedisLink.standalone(client, uri), setup, options);
    }

    /**
     * Opens the frontier of {@code setup.crawl()} on a Redis Cluster, through a client the caller
     * keeps ({@link #newClusterClient}); as {@link #open(RedisClient, RedisURI, FrontierSetup,
     * RedisFrontierOptions)} otherwise.
     */
    public static RedisFrontier open(
            RedisClusterClient client, FrontierSetup setup, RedisFrontierOptions options) {
        CrawlKeys.checkName("crawl", setup.crawl());
        return open(RedisLink.cluster(client), setup, options);
    }

    private static RedisFrontier open(
            RedisLink link, FrontierSetup setup, RedisFrontierOptions options) {
        try {
            return new RedisFrontier(link, setup, options);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * A factory of frontiers on the Redis at {@code uri}, each with a client of its own that its
     * {@link #close} shuts down. The server is asked whether it is a node of a Redis Cluster
     * ({@code CLUSTER INFO}); if it is, the frontier goes through a cluster client with it as the
     * seed.
     */
    public static FrontierFactory factory(RedisURI uri, RedisFrontierOptions options) {
        return factory(List.of(uri), options);
    }

    /**
     * A factory of frontiers on the Redis the seeds name ({@link #seeds(String)}): several seeds
     * are nodes of one Redis Cluster; one seed is as {@link #factory(RedisURI,
     * RedisFrontierOptions)}.
     */
    public static FrontierFactory factory(List<RedisURI> seeds, RedisFrontierOptions options) {
        List<RedisURI> copy = List.copyOf(seeds);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no Redis address given");
        }
        return setup -> open(copy, setup, options);
    }

    /**
     * Opens the frontier of {@code setup.crawl()} on the Redis the seeds name, with a client of its
     * own that {@link #close} shuts down: what each frontier of {@link #factory(List,
     * RedisFrontierOptions)} is.
     *
     * @throws IllegalArgumentException when the crawl's name cannot name Redis keys
     * @throws FrontierException when Redis cannot be reached or refuses the crawl
     */
    public static RedisFrontier open(
            List<RedisURI> seeds, FrontierSetup setup, RedisFrontierOptions options) {
        CrawlKeys.checkName("crawl", setup.crawl());
        return open(RedisLink.open(seeds), setup, options);
    }

    /**
     * The seeds of a Redis URL: {@code redis://host:port} (one server, or one node of a cluster) or
     * {@code redis://host:port,host:port,...} (nodes of a cluster); {@code rediss://} for TLS;
     * credentials and options apply to every host.
     *
     * @throws IllegalArgumentException when it is not a Redis URL
     */
    public static List<RedisURI> seeds(String url) {
        return RedisLink.seeds(url);
    }

    /**
     * A client for frontiers on one server: commands fail at once while the connection is down (the
     * engine tries again with capped backoff, saying so every few seconds) instead of queueing up,
     * each command times out after 10 s, and reconnecting backs off from 50 ms to 2 s. Shut it down
     * with {@link #shutdown(RedisClient)}.
     */
    public static RedisClient newClient() {
        return RedisLink.newClient();
    }

    /**
     * A client for frontiers on a Redis Cluster, with the seeds to learn its nodes from: as {@link
     * #newClient()}, and it reads the cluster's topology again on MOVED, ASK and reconnects, and
     * every minute. Shut it down with {@link #shutdown(RedisClusterClient)}.
     */
    public static RedisClusterClient newClusterClient(List<RedisURI> seeds) {
        return RedisLink.newClusterClient(seeds);
    }

    /** Shuts down a client from {@link #newClient} and its threads. */
    public static void shutdown(RedisClient client) {
        RedisLink.shutdown(client);
    }

    /** Shuts down a client from {@link #newClusterClient} and its threads. */
    public static void shutdown(RedisClusterClient client) {
        RedisLink.shutdown(client);
    }

    // time

    /** ARGV[1] of every script: the ticker's wall clock, or -1 for the server's clock. */
    private Args common() {
        long now =
                options.clock() == RedisFrontierOptions.Clock.TICKER
                        ? micros(setup.ticker().now())
                        : -1;
        return new Args().add(now).add(mode);
    }

    private static long micros(Instant instant) {
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private void sawTime(long micros) {
        serverMicros = micros;
        serverMicrosReadAt = System.nanoTime();
    }

    /** A request's order stamp: now on the crawl's clock in microseconds, above the last one. */
    private long nextStamp() {
        long now = nowNanos() / 1000L;
        return lastStamp.updateAndGet(last -> Math.max(last + 1, now));
    }

    /** Now on the crawl's clock, in epoch nanoseconds: the server's as last read, moved on. */
    private long nowNanos() {
        if (options.clock() == RedisFrontierOptions.Clock.TICKER) {
            return micros(setup.ticker().now()) * 1000L;
        }
        return serverMicros * 1000L + (System.nanoTime() - serverMicrosReadAt);
    }

    // the contract

    @Override
    public Opening opening() {
        return opening;
    }

    /**
     * Queues requests that no lease produced. A {@code dontFilter} request's fingerprint is
     * recorded too (it does not filter it): a worker that resumes the crawl and adds the same start
     * requests without {@code dontFilter} then finds them seen.
     */
    @Override
    public int add(List<Request> requests) {
        if (requests.isEmpty()) {
            return 0;
        }
        SlotArgs.Batches batches = slotArgs.batches(partitions);
        for (Request r : requests) {
            batches.add(r, setup.dedup() == null ? null : Fingerprint.of(r), !r.dontFilter());
        }
        List<Scripts.Call> calls = new ArrayList<>();
        batches.byPartition()
                .forEach(
                        (k, batch) -> {
                            Args args = common();
                            batch.appendTo(args);
                            calls.add(new Scripts.Call(Script.ADD, k, args.list()));
                        });
        List<List<Object>> replies = scripts.callAll(calls);
        int added = 0;
        for (int i = 0; i < calls.size(); i++) {
            List<Object> reply = replies.get(i);
            int k = calls.get(i).partition();
            int queued = (int) Scripts.number(reply.get(0));
            turns.bestReady(k, reply.get(1));
            if (queued > 0) {
                turns.askNow(k);
            }
            added += queued;
        }
        if (added > 0) {
            signal();
        }
        return added;
    }

    /**
     * Asks the partitions whose time has come, from a random one, until one gives a lease: a
     * partition is asked again when its last answer's next event is due (a slot's next start, a
     * retry's time, a lease's deadline), at the latest after {@link #POLL_CAP} (another worker may
     * have queued into it), and at once once this frontier queued into it. Returns null when the
     * wait is over, or the crawl is finished: every partition answered nothing queued, no lease out
     * and nothing outgoing (for several partitions, confirmed by {@link #isFinished}).
     */
    @Override
    public @Nullable Lease take(Duration maxWait) throws InterruptedException {
        Ticker ticker = setup.ticker();
        long deadline = ticker.nanos() + maxWait.toNanos();
        long wakeUpsAtStart = wakeUps();
        asking:
        while (true) {
            for (int k : turns.order()) {
                if (closed) {
                    return null;
                }
                List<Object> reply;
                try {
                    reply = takeOnce(k);
                } catch (FrontierException e) {
                    if (closed) {
                        return null; // closed under the round trip
                    }
                    throw e;
                }
                turns.bestReady(k, reply.get(reply.size() - 3));
                forwarder.forward(k, Scripts.list(reply.get(reply.size() - 2)));
                if (Scripts.number(reply.get(0)) == 1) {
                    turns.leased(k);
                    Lease lease = lease(reply);
                    if (lease != null) {
                        return lease;
                    }
                    continue asking;
                }
                turns.foundNothing(
                        k,
                        Scripts.number(reply.get(3)),
                        Scripts.number(reply.get(2)),
                        Scripts.number(reply.get(4)),
                        Scripts.number(reply.get(1)),
                        POLL_CAP.toNanos());
            }
            if (turns.allIdle() && (partitions == 1 || isFinished())) {
                return null; // finished
            }
            long remaining = deadline - ticker.nanos();
            if (remaining <= 0) {
                return null;
            }
            long wait = turns.untilNextAsk(Math.min(remaining, POLL_CAP.toNanos()));
            if (wait <= 0) {
                continue;
            }
            lock.lockInterruptibly();
            try {
                if (closed || wakeUps != wakeUpsAtStart) {
                    return null;
                }
                if (turns.leasesOut() == 0
                        && options.clock() == RedisFrontierOptions.Clock.TICKER) {
                    ticker.idle(changed, wait); // only time can make a slot ready now
                } else {
                    changed.awaitNanos(wait);
                }
                if (closed || wakeUps != wakeUpsAtStart) {
                    return null;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One call of {@code take.lua} on a partition. Its token is one that no lease is known to have:
     * a take that got no answer may have taken a lease under it, which the next take then gets
     * again, so a lost answer does not leave a lease out until its deadline.
     */
    private List<Object> takeOnce(int partition) throws InterruptedException {
        String token = spareTokens.poll();
        if (token == null) {
            token = tokenPrefix + "." + tokensMade.incrementAndGet();
        }
        Args args =
                common().add(leaseMicros)
                        .add(setup.throttle().delayFactor())
                        .add(options.worker())
                        .add(token);
        List<Object> reply;
        try {
            reply = scripts.call(Script.TAKE, partition, args.list());
        } catch (FrontierException e) {
            spareTokens.add(token);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while taking from Redis");
            }
            throw e;
        }
        sawTime(Scripts.number(reply.getLast()));
        if (Scripts.number(reply.get(0)) != 1) {
            spareTokens.add(token);
        }
        return reply;
    }

    /** The lease of a take's reply; null when its request cannot be read (it is failed then). */
    private @Nullable Lease lease(List<Object> reply) {
        String token = Scripts.text(reply.get(1));
        String slot = Scripts.text(reply.get(2));
        long deadline = Scripts.number(reply.get(4));
        long gap = Scripts.number(reply.get(5));
        String reason = Scripts.text(reply.get(6));
        SlotArgs.Snapshot state = SlotArgs.Snapshot.read(reply, 7);
        taken.put(token, new Taken(gap, state));
        if (gap > 0) {
            delaysSetBy.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }
        Request request;
        try {
            request = RequestCodec.fromBytes(Scripts.bytes(reply.get(3)));
        } catch (IOException e) {
            log.error(
                    "crawl {}: a request of slot {} in Redis cannot be read ({}); it is dropped",
                    keys.crawl(),
                    slot,
                    e.getMessage());
            end(
                    token,
                    slot,
                    "fail",
                    null,
                    Collections.emptySortedMap(),
                    null,
                    List.of(),
                    0,
                    SlotSignals.NOT_SENT);
            return null;
        }
        return new Lease(token, request, slot, instant(deadline));
    }

    /**
     * Spaces the slot's next start from now when the lease set a gap; one round trip then, none
     * otherwise. Best effort: a failure is logged and counted ({@code redis/started_failed}), and
     * the next start stays spaced from the take.
     */
    @Override
    public void started(Lease lease) {
        Taken t = taken.get(lease.token());
        if (t == null || t.gapNanos() == 0) {
            return;
        }
        try {
            scripts.call(
                    Script.STARTED, partitionOf(lease.slot()), common().add(lease.token()).list());
        } catch (FrontierException e) {
            startedFailures.increment();
            if (startedWarning.due()) { // an outage fails every lease's call
                log.warn(
                        "could not tell Redis that {} was sent ({} such failures so far;"
                                + " redis/started_failed): {}",
                        Urls.redacted(lease.request().url()),
                        startedFailures.sum(),
                        e.getMessage());
            }
        }
    }

    @Override
    public Ending done(Lease lease, List<Request> produced, List<Item> items, SlotSignals signals) {
        SlotArgs.Batches batches = slotArgs.batches(partitions);
        for (Request r : produced) {
            boolean dedup = setup.dedup() != null && !r.dontFilter();
            batches.add(r, dedup ? Fingerprint.of(r) : null, true);
        }
        SortedMap<Integer, SlotArgs.Batch> others = batches.byPartition();
        SlotArgs.Batch own = others.remove(partitionOf(lease.slot()));
        return end(
                lease.token(),
                lease.slot(),
                "done",
                own,
                others,
                lease.request(),
                items,
                0,
                signals);
    }

    @Override
    public Ending retry(
            Lease lease, Request request, Duration delay, String reason, SlotSignals signals) {
        // the retry waits in the lease's partition: a request's slot does not change as it is tried
        // again, so neither does its partition
        SlotArgs.Batch batch = slotArgs.batch();
        batch.add(request, null, false);
        long delayMicros = SlotArgs.ceilMicros(Math.max(0, delay.toNanos()));
        return end(
                lease.token(),
                lease.slot(),
                "retry",
                batch,
                Collections.emptySortedMap(),
                null,
                List.of(),
                delayMicros,
                signals);
    }

    @Override
    public Ending fail(Lease lease, String reason, SlotSignals signals) {
        return end(
                lease.token(),
                lease.slot(),
                "fail",
                null,
                Collections.emptySortedMap(),
                null,
                List.of(),
                0,
                signals);
    }

    /**
     * One call of {@code end.lua} on the lease's partition; see its header for the arguments and
     * the reply. {@code own} holds the requests of that partition's slots, queued there (for a
     * done, the produced ones; for a retry, the one to queue again); {@code others} those of other
     * partitions' slots by partition, kept there for them and forwarded to them at once ({@link
     * Forwarder}). An ending whose call got no answer keeps its id when the engine asks again, so
     * Redis answers it as it answered the first call if that one ran.
     */
    private Ending end(
            String token,
            String slot,
            String kind,
            SlotArgs.@Nullable Batch own,
            SortedMap<Integer, SlotArgs.Batch> others,
            @Nullable Request source,
            List<Item> items,
            long retryDelayMicros,
            SlotSignals signals) {
        Taken t = taken.get(token);
        int partition = partitionOf(slot);
        boolean learns = signals != SlotSignals.NONE && signals != SlotSignals.NOT_SENT;
        String ending = unansweredEndings.remove(token);
        if (ending == null) {
            ending = Long.toString(endingsMade.incrementAndGet());
        }
        Args args = common().add(token).add(kind).add(ending);
        if (learns && t != null) {
            SlotState next =
                    setup.throttle().afterEnding(slot, t.slot().state(), signals, nowNanos());
            slotArgs.addUpdate(args, slot, t.slot().version(), next);
        } else {
            args.add("");
            for (int i = 0; i < 7; i++) {
                args.add("");
            }
        }
        args.add(signals.sent());
        if (source != null && !items.isEmpty()) {
            args.add(RequestCodec.toBytes(source)).add(ItemCodec.toBytes(items));
        } else {
            args.add("").add("");
        }
        args.add(retryDelayMicros);
        if (own != null) {
            own.appendTo(args);
        } else {
            SlotArgs.addNoRequests(args);
        }
        args.add(options.outboxSuffix());
        args.add(others.size());
        others.forEach(
                (target, batch) -> {
                    args.add(target);
                    batch.appendTo(args);
                });
        List<Object> reply;
        try {
            reply = scripts.call(Script.END, partition, args.list());
        } catch (FrontierException e) {
            unansweredEndings.put(token, ending); // asked again, it is the same ending
            throw e;
        }
        sawTime(Scripts.number(reply.getLast()));
        taken.remove(token);
        if (Scripts.number(reply.get(0)) == 0) {
            return Ending.LEASE_LOST;
        }
        int queued = (int) Scripts.number(reply.get(1));
        turns.askNow(partition); // its permit is free, and it may have queued requests there
        turns.bestReady(partition, reply.get(reply.size() - 3));
        forwarder.forward(partition, Scripts.list(reply.get(reply.size() - 2)));
        long batch = Scripts.number(reply.get(2));
        if (Scripts.number(reply.get(3)) == 1) {
            storeState(
                    slot, signals, Scripts.number(reply.get(4)), SlotArgs.Snapshot.read(reply, 5));
        }
        if (batch > 0 && source != null) {
            outbox.committed(partition, batch, source, items);
        }
        signal();
        return Ending.accepted(queued);
    }

    /**
     * The slot changed between the take and the ending: the state is computed again from what it is
     * now, until it is stored or the attempts run out (the last attempt stores it whatever).
     */
    private void storeState(
            String slot, SlotSignals signals, long leaseStart, SlotArgs.Snapshot current) {
        SlotArgs.Snapshot now = current;
        for (int attempt = 1; attempt <= STATE_ATTEMPTS; attempt++) {
            stateConflicts.increment();
            SlotState next = setup.throttle().afterEnding(slot, now.state(), signals, nowNanos());
            Args args = common().add(slot);
            slotArgs.addUpdate(args, slot, attempt == STATE_ATTEMPTS ? -1 : now.version(), next);
            args.add(leaseStart).add(signals.sent());
            List<Object> reply = scripts.call(Script.SLOT_STATE, partitionOf(slot), args.list());
            if (Scripts.number(reply.get(0)) == 1) {
                return;
            }
            now = SlotArgs.Snapshot.read(reply, 1);
        }
    }

    @Override
    public @Nullable Lease renew(Lease lease) {
        List<Object> reply =
                scripts.call(
                        Script.RENEW,
                        partitionOf(lease.slot()),
                        common().add(lease.token()).add(leaseMicros).list());
        sawTime(Scripts.number(reply.getLast()));
        if (Scripts.number(reply.get(0)) == 0) {
            taken.remove(lease.token());
            return null;
        }
        return lease.withDeadline(instant(Scripts.number(reply.get(1))));
    }

    @Override
    public ItemOutbox outbox() {
        return outbox;
    }

    // robots.txt

    /**
     * The record a worker of the crawl kept for the origin (one plain GET), or null; one that
     * cannot be read is counted ({@code robotstxt/restore_failed}), logged, and fetched again.
     */
    @Override
    public @Nullable RobotsTxtRecord robotsTxt(String origin) {
        byte[] value = scripts.get("read the robots.txt kept for " + origin, keys.robots(origin));
        if (value == null) {
            return null;
        }
        try {
            return RobotsRecords.fromBytes(origin, value);
        } catch (IOException e) {
            robotsUnreadable.increment();
            log.warn(
                    "crawl {}: the robots.txt of {} kept in Redis cannot be read ({}): it is"
                            + " fetched again",
                    keys.crawl(),
                    origin,
                    e.getMessage());
            return null;
        }
    }

    /**
     * None: a slot's Crawl-delay floor is kept in Redis with the slot's state, which every worker
     * shares, so a worker that starts has none to hand to the slots (a slot idle for 10 minutes
     * forgets it; its first request after is spaced by it once a lease reports it).
     */
    @Override
    public List<RobotsTxtRecord> robotsTxtWithCrawlDelay() {
        return List.of();
    }

    /** Kept under {@code robots:<origin>} until its 24 hours are over (one plain SET). */
    @Override
    public void keepRobotsTxt(RobotsTxtRecord record) {
        Duration left = record.lifeLeft(setup.ticker().now());
        if (!left.isPositive()) {
            return;
        }
        scripts.setExpiring(
                "keep the robots.txt of " + record.origin(),
                keys.robots(record.origin()),
                RobotsRecords.toBytes(record),
                Math.max(1, left.toMillis()));
    }

    /** Not called: {@link #robotsTxtWithCrawlDelay} gives no record to start from. */
    @Override
    public void crawlDelayFromFirstRequest(String origin, Duration crawlDelay) {}

    private int partitionOf(String slot) {
        return CrawlKeys.partitionOf(slot, partitions);
    }

    /**
     * Every partition's counts, read at once: for each, {queued, leases out, leases expired,
     * fingerprints seen, outgoing entries, changes}.
     */
    private long[][] status() {
        List<Scripts.Call> calls = new ArrayList<>(partitions);
        for (int k = 0; k < partitions; k++) {
            calls.add(new Scripts.Call(Script.STATUS, k, common().list()));
        }
        List<List<Object>> replies = scripts.callAll(calls);
        long[][] counts = new long[partitions][6];
        for (int k = 0; k < partitions; k++) {
            List<Object> reply = replies.get(k);
            for (int i = 0; i < 6; i++) {
                counts[k][i] = Scripts.number(reply.get(i));
            }
            sawTime(Scripts.number(reply.getLast()));
        }
        return counts;
    }

    private static long sum(long[][] counts, int field) {
        long total = 0;
        for (long[] partition : counts) {
            total += partition[field];
        }
        return total;
    }

    private static boolean idle(long[][] counts) {
        return sum(counts, 0) == 0 && sum(counts, 1) == 0 && sum(counts, 4) == 0;
    }

    /**
     * True when no worker of the crawl has a request queued or a lease out, and no request is on
     * its way to its slot's partition. Several partitions are read twice, each reading at once: the
     * crawl is finished when both find nothing, and no partition's count of changes moved between
     * them (then there was an instant between the readings when every partition held what both
     * read; a request that moved from a partition read later to one read earlier would be missed by
     * one reading).
     */
    @Override
    public boolean isFinished() {
        long[][] first = status();
        if (!idle(first)) {
            return false;
        }
        if (partitions == 1) {
            return true;
        }
        long[][] second = status();
        if (!idle(second)) {
            return false;
        }
        for (int k = 0; k < partitions; k++) {
            if (first[k][5] != second[k][5]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = setup.ticker().nanos() + timeout.toNanos();
        while (true) {
            if (isFinished()) {
                return true;
            }
            long remaining = deadline - setup.ticker().nanos();
            if (remaining <= 0 || closed) {
                return false;
            }
            lock.lockInterruptibly();
            try {
                changed.awaitNanos(Math.min(remaining, POLL_CAP.toNanos()));
            } finally {
                lock.unlock();
            }
        }
    }

    /** Requests queued by every worker of the crawl, retries waiting for their time included. */
    @Override
    public long queuedCount() {
        return sum(status(), 0);
    }

    /** Leases out to every worker of the crawl. */
    @Override
    public int leasedCount() {
        return (int) sum(status(), 1);
    }

    /**
     * The crawl's figures ({@code frontier/leases_expired} and {@code dupefilter/seen}, for all
     * workers) and this frontier's own ({@code redis/round_trips}, {@code redis/calls/<script>},
     * {@code redis/state_conflicts}, {@code politeness/delay_set_by/...}). Never throws: when Redis
     * cannot be read the crawl's figures are left out (counted, {@code redis/stats_failed}, and
     * logged), since the engine reads them as it opens and closes.
     */
    @Override
    public Map<String, Long> stats() {
        Map<String, Long> stats = new LinkedHashMap<>();
        try {
            long[][] status = status();
            if (setup.dedup() != null) {
                stats.put("dupefilter/seen", sum(status, 3));
                warnIfBloomFull(status);
            }
            if (sum(status, 2) > 0) {
                stats.put("frontier/leases_expired", sum(status, 2));
            }
        } catch (FrontierException e) {
            statsFailures.increment();
            log.warn(
                    "crawl {}: the crawl's figures are left out: {}", keys.crawl(), e.getMessage());
        }
        stats.put("redis/round_trips", scripts.roundTrips());
        scripts.calls()
                .forEach(
                        (script, n) -> {
                            if (n > 0) {
                                stats.put(
                                        "redis/calls/" + script.name().toLowerCase(Locale.ROOT), n);
                            }
                        });
        if (stateConflicts.sum() > 0) {
            stats.put("redis/state_conflicts", stateConflicts.sum());
        }
        if (startedFailures.sum() > 0) {
            stats.put("redis/started_failed", startedFailures.sum());
        }
        if (statsFailures.sum() > 0) {
            stats.put("redis/stats_failed", statsFailures.sum());
        }
        if (partitions > 1) {
            stats.put("redis/partitions", (long) partitions);
        }
        forwarder.addStats(stats, partitions > 1);
        if (robotsUnreadable.sum() > 0) {
            stats.put("robotstxt/restore_failed", robotsUnreadable.sum());
        }
        delaysSetBy.forEach((reason, n) -> stats.put("politeness/delay_set_by/" + reason, n.sum()));
        return stats;
    }

    /**
     * Tells once that a partition's Bloom filter holds more fingerprints than it was sized for: its
     * false-positive rate grows from there, and more new requests are taken for seen ones.
     */
    private void warnIfBloomFull(long[][] status) {
        if (bloom.capacity() == 0) {
            return;
        }
        for (int k = 0; k < partitions; k++) {
            if (status[k][3] > bloom.capacity() && bloomFullTold.compareAndSet(false, true)) {
                log.warn(
                        "crawl {}: partition {} has seen {} requests, more than the {} its Bloom"
                                + " filter was sized for (dupefilter_expected over {} partitions):"
                                + " more new requests than dupefilter_false_positive_rate are"
                                + " dropped as seen",
                        keys.crawl(),
                        k,
                        status[k][3],
                        bloom.capacity(),
                        partitions);
            }
        }
    }

    /** Round trips to Redis so far, the scripts' loading included; for tests and benchmarks. */
    public long roundTrips() {
        return scripts.roundTrips();
    }

    @Override
    public void wakeUp() {
        lock.lock();
        try {
            wakeUps++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long wakeUps() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns every waiting {@link #take}, closes the connection (and the client, when the factory
     * made it). What the crawl holds stays in Redis: the leases this worker has out expire and
     * their requests are taken by the others.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        link.close();
    }
}
