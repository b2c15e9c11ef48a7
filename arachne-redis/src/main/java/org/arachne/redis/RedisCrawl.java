package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arachne.frontier.FrontierException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawl on a Redis as the commands around its workers see it ({@code arachne worker}, {@code
 * status}, {@code export}, {@code stop}): whether it exists and was stopped, stopping it and
 * letting it go on, its {@link CrawlStatus}, and the stop signal its workers listen for. The
 * frontier itself is {@link RedisFrontier}'s; this class only reads the crawl's keys and writes its
 * control fields (docs/redis.md, "Workers and commands"). It runs on one server or on a Redis
 * Cluster, through its {@link RedisEndpoint}.
 *
 * <p>Errors: every failure of Redis is a {@link FrontierException} whose message names the server
 * as {@code Redis at host:port}, never with credentials: transient when the server cannot be
 * reached, {@link FrontierException.Kind#REFUSED} for credentials it refuses.
 *
 * <p>Thread-safety: safe for use from any thread (one connection, shared).
 */
public final class RedisCrawl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCrawl.class);

    /** The control scripts, each a file under {@code control/} (standalone, without lib.lua). */
    enum Control {
        CLAIM,
        RELEASE,
        STOP,
        STATE,
        STATUS;

        final String source = source("control/" + name().toLowerCase(Locale.ROOT) + ".lua");
    }

    private final RedisEndpoint endpoint;
    private final CrawlKeys keys;
    private final RedisLink link;

    private RedisCrawl(RedisEndpoint endpoint, CrawlKeys keys, RedisLink link) {
        this.endpoint = endpoint;
        this.keys = keys;
        this.link = link;
    }

    /**
     * Connects to the crawl named {@code crawl} on the Redis server at {@code uri}, through a
     * client the caller keeps ({@link RedisFrontier#newClient}); the crawl need not exist.
     *
     * @throws IllegalArgumentException when the name cannot name Redis keys
     * @throws FrontierException when Redis cannot be reached or refuses the credentials
     */
    public static RedisCrawl connect(RedisClient client, RedisURI uri, String crawl) {
        return connect(RedisEndpoint.of(client, uri), crawl);
    }

    /**
     * Connects to the crawl named {@code crawl} on a Redis server or a Redis Cluster, through the
     * endpoint's client, which the caller keeps; the crawl need not exist.
     *
     * @throws IllegalArgumentException when the name cannot name Redis keys
     * @throws FrontierException when Redis cannot be reached or refuses the credentials
     */
    public static RedisCrawl connect(RedisEndpoint endpoint, String crawl) {
        CrawlKeys keys = new CrawlKeys(crawl);
        try {
            return new RedisCrawl(endpoint, keys, endpoint.link());
        } catch (RedisException e) {
            throw failure(endpoint.where(), "connect", e);
        }
    }

    /**
     * Checks a crawl's name before anything is sent: 1 to 100 letters, digits, {@code .}, {@code _}
     * or {@code -}.
     *
     * @throws IllegalArgumentException naming it when it could not name Redis keys
     */
    public static void checkName(String crawl) {
        CrawlKeys.checkName("crawl", crawl);
    }

    /** The crawl's name. */
    public String crawl() {
        return keys.crawl();
    }

    /**
     * The server, as messages name it: {@code Redis at host:port} (or {@code Redis Cluster at
     * host:port,...}), never with credentials.
     */
    public String where() {
        return endpoint.where();
    }

    /** Where the crawl's Redis is: what other connections to it are opened from. */
    RedisEndpoint endpoint() {
        return endpoint;
    }

    CrawlKeys keys() {
        return keys;
    }

    /** Whether a worker has opened the crawl (its keys are there). */
    public boolean exists() {
        return number(stateOf(0, "").get(0)) == 1;
    }

    /** When {@code arachne stop} stopped the crawl (the server's clock), or null. */
    public @Nullable Instant stoppedAt() {
        long micros = number(stateOf(0, "").get(3));
        return micros > 0 ? CrawlStatus.instant(micros) : null;
    }

    /**
     * What {@link #stop} did.
     *
     * @param at when the crawl was stopped (the first stop's time, for a crawl stopped already)
     * @param leasesOut the leases its workers held then: they finish them and exit
     */
    public record Stopped(Instant at, long leasesOut) {}

    /**
     * Stops the crawl: every worker takes no more requests, finishes those it holds and exits (they
     * are told at once on the crawl's control channel, and a worker that starts later is told by
     * the flag). What is queued stays queued.
     *
     * @return what it did (the leases out summed over the crawl's partitions), or null when there
     *     is no such crawl
     */
    public @Nullable Stopped stop() {
        List<Object> reply = eval(Control.STOP, "stop the crawl", "stop");
        if (number(reply.get(0)) == 0) {
            return null;
        }
        long leasesOut = number(reply.get(2));
        for (int k = 1; k < number(reply.get(3)); k++) {
            leasesOut += number(stateOf(k, "").get(2));
        }
        return new Stopped(CrawlStatus.instant(number(reply.get(1))), leasesOut);
    }

    /**
     * Lets a stopped crawl go on: workers started from now on take requests again.
     *
     * @return false when there is no such crawl
     */
    public boolean resume() {
        return number(eval(Control.STOP, "resume the crawl", "resume").get(0)) == 1;
    }

    /**
     * The crawl's figures, per host and per worker, read in one step per partition; null when it is
     * not there.
     */
    public @Nullable CrawlStatus status() {
        List<List<Object>> replies = new ArrayList<>();
        replies.add(eval(Control.STATUS, "read the crawl's status"));
        int partitions = CrawlStatus.partitions(replies.getFirst());
        for (int k = 1; k < partitions; k++) {
            replies.add(eval(Control.STATUS, k, "read the crawl's status", "partition"));
        }
        return CrawlStatus.read(keys.crawl(), replies);
    }

    /**
     * What decides the end of a crawl and of a reader of one of its streams: one step on each
     * partition, the counts summed over them.
     *
     * @param exists whether a worker opened the crawl
     * @param queued requests queued (retries waiting included)
     * @param leasesOut leases out to any worker
     * @param stoppedMicros when it was stopped, 0 when not
     * @param lastBatch the stream's last batch's sequence (the partitions' streams' summed: each
     *     counts its batches from 1)
     * @param everQueued requests ever queued: 0 for a crawl that its first worker opened and has
     *     not seeded yet (nothing queued, no lease out, and yet not finished)
     * @param leasesPastDeadline of the leases out, those whose worker is gone (or took one as it
     *     stopped and never sent it): the next take queues them again
     * @param outgoing requests waiting to be forwarded from one partition to another
     * @param settled false when a partition changed between two readings of them all, so the counts
     *     may have missed a request moving between partitions
     */
    record State(
            boolean exists,
            long queued,
            long leasesOut,
            long stoppedMicros,
            long lastBatch,
            long everQueued,
            long leasesPastDeadline,
            long outgoing,
            boolean settled) {
        /**
         * Nothing will be taken any more: finished (seeded, then nothing queued, out or on its way
         * to another partition), or stopped with no lease in force; and no partition changed
         * between the readings.
         */
        boolean ended() {
            if (!exists || !settled) {
                return false;
            }
            if (stoppedMicros > 0) {
                return leasesOut - leasesPastDeadline == 0;
            }
            return leasesOut == 0 && queued == 0 && outgoing == 0 && everQueued > 0;
        }

        /**
         * The second readings of every partition, settled when each partition's change counter is
         * the one of its first reading.
         */
        static State settled(List<List<Object>> first, List<List<Object>> again) {
            boolean settled = first.size() == again.size();
            for (int k = 0; settled && k < first.size(); k++) {
                settled = number(first.get(k).get(9)) == number(again.get(k).get(9));
            }
            return of(again, settled);
        }

        /** The readings of every partition ({@code control/state.lua}), partition 0's first. */
        static State of(List<List<Object>> readings, boolean settled) {
            List<Object> first = readings.getFirst();
            return new State(
                    number(first.get(0)) == 1,
                    sum(readings, 1),
                    sum(readings, 2),
                    number(first.get(3)),
                    sum(readings, 4),
                    sum(readings, 5),
                    sum(readings, 6),
                    sum(readings, 8),
                    settled);
        }
    }

    /**
     * The crawl's state. With several partitions, read once on each; when that looks ended, read on
     * each again, and accepted only when every partition's change counter is the same in both
     * readings: a request forwarded from a partition read later to one read earlier would otherwise
     * be missed by both.
     */
    State state(String streamSuffix) {
        List<List<Object>> first = readings(streamSuffix);
        State state = State.of(first, true);
        if (first.size() == 1 || !state.ended()) {
            return state;
        }
        return State.settled(first, readings(streamSuffix));
    }

    /** {@code control/state.lua} on every partition, partition 0's first (a round trip each). */
    List<List<Object>> readings(String streamSuffix) {
        List<Object> first = stateOf(0, streamSuffix);
        List<List<Object>> readings = new ArrayList<>(List.of(first));
        for (int k = 1; k < number(first.get(7)); k++) {
            readings.add(stateOf(k, streamSuffix));
        }
        return readings;
    }

    /** One figure of every partition's reply, summed. */
    static long sum(List<List<Object>> replies, int index) {
        long sum = 0;
        for (List<Object> reply : replies) {
            sum += number(reply.get(index));
        }
        return sum;
    }

    private List<Object> stateOf(int partition, String streamSuffix) {
        return eval(Control.STATE, partition, "read the crawl's state", streamSuffix);
    }

    /**
     * Gives back the leases recorded under a worker's name that no process holds: call it holding
     * the name ({@link WorkerRegistration}), before the worker's frontier opens (a killed process
     * of the same name left them) and once it closed (a lease taken as the worker stopped, whose
     * reply the take abandoned). Their requests are queued again at once instead of at their
     * deadline, and their permits freed: the frontier's status script expires them, on the server's
     * clock (the clock of {@code arachne worker}'s frontiers).
     *
     * @return how many were given back
     */
    public long releaseLeases(String worker) {
        String what = "give back the leases of " + worker;
        List<Object> first = eval(Control.RELEASE, what, worker);
        int partitions = (int) number(first.get(1));
        // the frontier's mode, so that expiring them counts as the crawl's workers count it
        String mode =
                Scripts.mode(
                        String.valueOf(first.get(2)),
                        partitions,
                        "bloom".equals(String.valueOf(first.get(3))));
        List<Scripts.Call> expiring = new ArrayList<>();
        long released = 0;
        for (int k = 0; k < partitions; k++) {
            long n = number((k == 0 ? first : eval(Control.RELEASE, k, what, worker)).get(0));
            if (n > 0) {
                expiring.add(
                        new Scripts.Call(
                                Scripts.Script.STATUS, k, new Args().add(-1).add(mode).list()));
            }
            released += n;
        }
        if (released > 0) {
            Scripts scripts = new Scripts(link, keys);
            scripts.partitions(partitions);
            scripts.loadAll();
            scripts.callAll(expiring);
        }
        return released;
    }

    /**
     * Calls {@code whenStopped} once when the crawl is stopped: at once if it is stopped already,
     * else when {@code arachne stop} says so on the crawl's control channel. A listener that lost
     * its connection looks at the flag again once it is back (Lettuce subscribes again on
     * reconnecting), so a stop said meanwhile is not missed. Called on a thread of its own.
     *
     * @return the listener, to close once the worker ends
     * @throws FrontierException when Redis cannot be reached
     */
    public Listener onStop(Runnable whenStopped) {
        String channel = keys.prefix() + "control";
        AtomicBoolean told = new AtomicBoolean();
        Runnable tell =
                () -> {
                    if (told.compareAndSet(false, true)) {
                        whenStopped.run();
                    }
                };
        StatefulRedisPubSubConnection<String, String> pubsub;
        try {
            pubsub = endpoint.connectPubSub();
        } catch (RedisException e) {
            throw failure(where(), "listen for a stop", e);
        }
        pubsub.addListener(
                new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String from, String message) {
                        if (channel.equals(from) && "stop".equals(message)) {
                            Thread.ofVirtual().name("arachne-stop").start(tell);
                        }
                    }

                    @Override
                    public void subscribed(String to, long count) {
                        // the first subscription, or one made again after a reconnect: a stop may
                        // have been said while no one listened (never block Lettuce's I/O thread)
                        Thread.ofVirtual()
                                .name("arachne-stop-check")
                                .start(() -> checkStopped(tell));
                    }
                });
        try {
            pubsub.sync().subscribe(channel);
        } catch (RedisException e) {
            pubsub.close();
            throw failure(where(), "listen for a stop", e);
        }
        return pubsub::close;
    }

    /** A listener for the crawl's stop; closing it closes its connection. */
    @FunctionalInterface
    public interface Listener extends AutoCloseable {
        @Override
        void close();
    }

    private void checkStopped(Runnable tell) {
        try {
            if (stoppedAt() != null) {
                tell.run();
            }
        } catch (FrontierException e) {
            log.warn("crawl {}: cannot see whether it was stopped: {}", crawl(), e.getMessage());
        }
    }

    /** Calls a control script with the crawl's meta key: partition 0's. */
    List<Object> eval(Control script, String what, String... args) {
        return eval(script, 0, what, args);
    }

    /**
     * Calls a control script with a partition's meta key ({@code keys.meta(partition)}), so that on
     * a cluster it runs on the node of that partition.
     *
     * @return its reply as Lettuce gives one of text: {@code Long}, {@code String}, lists of them
     */
    List<Object> eval(Control script, int partition, String what, String... args) {
        byte[][] values = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        try {
            List<Object> reply =
                    link.commands()
                            .eval(
                                    script.source,
                                    ScriptOutputType.MULTI,
                                    new byte[][] {keys.meta(partition)},
                                    values);
            return texts(reply);
        } catch (RedisException e) {
            throw failure(where(), what, e);
        }
    }

    /** A reply with its strings decoded as UTF-8, nested lists too. */
    private static List<Object> texts(List<Object> reply) {
        List<Object> decoded = new ArrayList<>(reply.size());
        for (Object value : reply) {
            decoded.add(
                    switch (value) {
                        case byte[] b -> new String(b, StandardCharsets.UTF_8);
                        case List<?> l -> texts(Scripts.list(l));
                        case null -> null;
                        default -> value;
                    });
        }
        return decoded;
    }

    /** Closes the crawl's connection (the endpoint's client stays). */
    @Override
    public void close() {
        link.close();
    }

    /**
     * A failure of Redis as a message that names the server and never the credentials: refused
     * credentials ({@code NOAUTH}, {@code WRONGPASS}, {@code NOPERM}) are not worth trying again; a
     * server that cannot be reached may be back soon.
     */
    static FrontierException failure(String where, String what, RedisException e) {
        String reply = redisReply(e);
        if (reply != null
                && (reply.startsWith("NOAUTH")
                        || reply.startsWith("WRONGPASS")
                        || reply.startsWith("NOPERM"))) {
            return new FrontierException(
                    where + " refused the credentials (could not " + what + "): " + reply,
                    FrontierException.Kind.REFUSED,
                    false,
                    e);
        }
        String message = where + ": could not " + what + ": " + (reply != null ? reply : reason(e));
        boolean mayPass = reply == null || reply.startsWith("LOADING");
        return new FrontierException(message, mayPass, e);
    }

    /**
     * The error Redis answered, if the failure was one: {@code WRONGPASS invalid ...}; also one of
     * the failures a cluster client suppressed, one per node it tried.
     */
    private static @Nullable String redisReply(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException) {
                return String.valueOf(t.getMessage());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                String reply = redisReply(suppressed);
                if (reply != null) {
                    return reply;
                }
            }
        }
        return null;
    }

    /**
     * Why a connection failed, from the innermost cause that says it ({@code Connection refused});
     * for a cluster client that could not learn the nodes, from the first node's failure it
     * suppressed (a refused connection, a certificate not trusted).
     */
    private static String reason(RedisException e) {
        Throwable inner = innermost(e);
        if (e instanceof RedisConnectionException && inner != e && inner.getMessage() != null) {
            return "cannot connect: " + inner.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                String node = innermost(suppressed).getMessage();
                if (node != null) {
                    return e.getMessage() + ": " + node;
                }
            }
        }
        return String.valueOf(e.getMessage());
    }

    private static Throwable innermost(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        return inner;
    }

    static long number(Object value) {
        return switch (value) {
            case Long l -> l;
            case String s -> s.isEmpty() ? 0 : Long.parseLong(s);
            default ->
                    throw new IllegalStateException("a script answered " + value + ", no number");
        };
    }

    private static String source(String file) {
        try (InputStream in = RedisCrawl.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the script " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the script " + file, e);
        }
    }
}
