package org.arachne.redis;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.arachne.frontier.FrontierException;
import org.jspecify.annotations.Nullable;

/**
 * The frontier's Lua scripts: each one is {@code lib.lua} followed by its own file, loaded once
 * with SCRIPT LOAD and called with EVALSHA, loaded again when Redis answers NOSCRIPT (a restarted
 * server, a SCRIPT FLUSH, a failover). Every call is one round trip, counted; a failure of Redis
 * becomes a {@link FrontierException} that says whether trying again may help.
 */
final class Scripts {
    /** The scripts, each a file of the same name (lower case) beside {@code lib.lua}. */
    enum Script {
        OPEN,
        ADD,
        TAKE,
        STARTED,
        END,
        SLOT_STATE,
        RENEW,
        STATUS,
        POLL,
        ACK,
        ACK_PARTITIONS,
        TRIM_ITEMS,
        FORWARD,
        TRIM;

        final byte[] source = source(name().toLowerCase(Locale.ROOT) + ".lua");
    }

    private static final byte[] LIB = read("lib.lua");

    private final RedisClusterCommands<byte[], byte[]> commands;
    private final RedisClusterAsyncCommands<byte[], byte[]> async;
    private final CrawlKeys crawlKeys;
    private volatile byte[][][] keys; // by partition: the meta key each script is called with
    private final String where;
    private final Map<Script, String> digests = new EnumMap<>(Script.class);
    private final LongAdder roundTrips = new LongAdder();
    private final Map<Script, LongAdder> calls = new EnumMap<>(Script.class);
    // scripts a send found the server had lost (restarted, flushed): the next send loads them
    private final Set<Script> lostBySend = ConcurrentHashMap.newKeySet();

    /** Scripts over a link, which can also send several calls at once ({@link #callAll}). */
    Scripts(RedisLink link, CrawlKeys keys) {
        this.commands = link.commands();
        this.async = link.async();
        this.crawlKeys = keys;
        this.keys = new byte[][][] {{keys.meta(0)}};
        this.where = link.where();
        for (Script script : Script.values()) {
            calls.put(script, new LongAdder());
        }
    }

    /** Makes calls to partitions 0 to {@code count - 1} possible (partition 0's only at first). */
    void partitions(int count) {
        byte[][][] byPartition = new byte[count][][];
        for (int k = 0; k < count; k++) {
            byPartition[k] = new byte[][] {crawlKeys.meta(k)};
        }
        keys = byPartition;
    }

    /**
     * The crawl's mode, ARGV[2] of the frontier's scripts (lib.lua): its order, and flags for a
     * crawl of several partitions and one with a Bloom filter.
     */
    static String mode(String order, int partitions, boolean bloom) {
        String flags = (partitions > 1 ? "p" : "") + (bloom ? "b" : "");
        return flags.isEmpty() ? order : order + ":" + flags;
    }

    /** The server or cluster, as messages name it. */
    String where() {
        return where;
    }

    /** How many partitions calls can reach. */
    int partitions() {
        return keys.length;
    }

    /** Loads every script (a round trip each). */
    void loadAll() {
        for (Script script : Script.values()) {
            load(script);
        }
    }

    private synchronized void load(Script script) {
        digests.put(
                script,
                redis("load the " + script + " script", () -> commands.scriptLoad(script.source)));
    }

    private synchronized String digest(Script script) {
        return digests.get(script);
    }

    /**
     * Calls a script with partition 0's meta key (the crawl's) and these arguments.
     *
     * @return its reply: lists of {@code Long} and {@code byte[]}
     */
    List<Object> call(Script script, List<byte[]> args) {
        return call(script, 0, args);
    }

    /**
     * Calls a script with a partition's meta key and these arguments.
     *
     * @return its reply: lists of {@code Long} and {@code byte[]}
     */
    List<Object> call(Script script, int partition, List<byte[]> args) {
        calls.get(script).increment();
        byte[][] values = args.toArray(byte[][]::new);
        byte[][] key = keys[partition];
        String what = "run the " + script.name().toLowerCase(Locale.ROOT) + " script";
        try {
            return redis(what, () -> evalsha(script, key, values));
        } catch (FrontierException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw e;
            }
            load(script); // the server lost its scripts (restarted, flushed, failed over)
            return redis(what, () -> evalsha(script, key, values));
        }
    }

    /** One script call of {@link #callAll}. */
    record Call(Script script, int partition, List<byte[]> args) {}

    /**
     * Sends the calls at once and waits for every reply: one round trip, however many calls (on a
     * cluster, one per node, at the same time). A call answered NOSCRIPT is made again alone.
     *
     * @return the replies, in the calls' order
     * @throws FrontierException the first failure, after every call was answered or failed
     */
    List<List<Object>> callAll(List<Call> batch) {
        if (batch.size() == 1) {
            return batch.stream().map(c -> call(c.script(), c.partition(), c.args())).toList();
        }
        roundTrips.increment();
        List<RedisFuture<List<Object>>> futures = new ArrayList<>(batch.size());
        for (Call c : batch) {
            calls.get(c.script()).increment();
            futures.add(
                    async.evalsha(
                            digest(c.script()),
                            ScriptOutputType.MULTI,
                            keys[c.partition()],
                            c.args().toArray(byte[][]::new)));
        }
        List<List<Object>> replies = new ArrayList<>(batch.size());
        FrontierException failed = null;
        for (int i = 0; i < batch.size(); i++) {
            Call c = batch.get(i);
            String what = "run the " + c.script().name().toLowerCase(Locale.ROOT) + " script";
            try {
                replies.add(await(what, futures.get(i)));
            } catch (FrontierException e) {
                if (e.getCause() instanceof RedisNoScriptException) {
                    load(c.script());
                    replies.add(call(c.script(), c.partition(), c.args()));
                } else {
                    replies.add(List.of());
                    if (failed == null) {
                        failed = e;
                    }
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return replies;
    }

    /**
     * Sends a call without waiting for its reply (it goes with the next command on the connection);
     * {@code onFailure} is told of a failure, on a thread of Lettuce's.
     */
    void send(Script script, int partition, List<byte[]> args, Consumer<Throwable> onFailure) {
        calls.get(script).increment();
        if (lostBySend.remove(script)) {
            try {
                load(script); // here, not on Lettuce's thread that told the NOSCRIPT
            } catch (FrontierException e) {
                lostBySend.add(script);
                onFailure.accept(e);
                return;
            }
        }
        async.evalsha(
                        digest(script),
                        ScriptOutputType.MULTI,
                        keys[partition],
                        args.toArray(byte[][]::new))
                .whenComplete(
                        (reply, e) -> {
                            Throwable cause = e instanceof CompletionException c ? c.getCause() : e;
                            if (cause instanceof RedisNoScriptException) {
                                lostBySend.add(script); // loaded by the next send
                            }
                            if (e != null) {
                                onFailure.accept(e);
                            }
                        });
    }

    private <T> T await(String what, RedisFuture<T> future) {
        try {
            return future.get(RedisLink.COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrontierException(where + ": interrupted while waiting to " + what, false, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisException r) {
                throw failure(what, r);
            }
            throw new FrontierException(
                    where + ": could not " + what + ": " + e.getCause(), true, e);
        } catch (TimeoutException e) {
            throw new FrontierException(where + ": could not " + what + ": timed out", true, e);
        }
    }

    private List<Object> evalsha(Script script, byte[][] key, byte[][] values) {
        return commands.evalsha(digest(script), ScriptOutputType.MULTI, key, values);
    }

    /** Reads a string key with one plain command; null when it is not there. */
    byte @Nullable [] get(String what, byte[] key) {
        return redis(what, () -> commands.get(key));
    }

    /** Writes a string key that expires after {@code millis}, with one plain command. */
    void setExpiring(String what, byte[] key, byte[] value, long millis) {
        redis(what, () -> commands.set(key, value, SetArgs.Builder.px(millis)));
    }

    /** Reads a hash's fields with one plain command. */
    List<byte[]> fields(String what, byte[] key, byte[]... fields) {
        return redis(what, () -> commands.hmget(key, fields)).stream()
                .map(v -> v.hasValue() ? v.getValue() : new byte[0])
                .toList();
    }

    /** Round trips made so far. */
    long roundTrips() {
        return roundTrips.sum();
    }

    /** Calls of each script so far (a NOSCRIPT's reload and second call count once). */
    Map<Script, Long> calls() {
        Map<Script, Long> counts = new EnumMap<>(Script.class);
        calls.forEach((script, n) -> counts.put(script, n.sum()));
        return counts;
    }

    @FunctionalInterface
    private interface Command<T> {
        T run();
    }

    private <T> T redis(String what, Command<T> command) {
        roundTrips.increment();
        try {
            return command.run();
        } catch (RedisException e) {
            throw failure(what, e);
        }
    }

    /**
     * What a failure of Redis means to the engine: a lost connection, a timeout, a server loading
     * its data or busy with a script, a failover in progress may pass (transient); an error in a
     * script, refused credentials or a full memory will not.
     */
    private FrontierException failure(String what, RedisException e) {
        String message = where + ": could not " + what + ": " + e.getMessage();
        if (e instanceof RedisCommandInterruptedException) {
            Thread.currentThread().interrupt();
            return new FrontierException(message, false, e);
        }
        if (!(e instanceof RedisCommandExecutionException)
                || e instanceof RedisNoScriptException
                || e instanceof RedisLoadingException
                || e instanceof RedisBusyException) {
            return new FrontierException(message, true, e);
        }
        String reply = String.valueOf(e.getMessage());
        if (reply.startsWith("READONLY")
                || reply.startsWith("MASTERDOWN")
                || reply.startsWith("TRYAGAIN")
                || reply.startsWith("CLUSTERDOWN")) {
            return new FrontierException(message, true, e);
        }
        if (reply.startsWith("MOVED") || reply.startsWith("ASK")) {
            return new FrontierException(
                    message
                            + " (a node of a Redis Cluster, taken for one server: give the"
                            + " frontier the cluster's nodes, redis://host:port,host:port, or let"
                            + " this user run CLUSTER INFO so that it can tell)",
                    FrontierException.Kind.REFUSED,
                    false,
                    e);
        }
        if (reply.startsWith("OOM")) {
            return new FrontierException(
                    message + " (Redis reached its maxmemory)",
                    FrontierException.Kind.STORAGE,
                    false,
                    e);
        }
        if (reply.startsWith("NOAUTH")
                || reply.startsWith("WRONGPASS")
                || reply.startsWith("NOPERM")) {
            return new FrontierException(message, FrontierException.Kind.REFUSED, false, e);
        }
        return new FrontierException(message, false, e);
    }

    /** A script's whole source: the library, then the script. */
    private static byte[] source(String file) {
        byte[] own = read(file);
        byte[] whole = new byte[LIB.length + 1 + own.length];
        System.arraycopy(LIB, 0, whole, 0, LIB.length);
        whole[LIB.length] = '\n';
        System.arraycopy(own, 0, whole, LIB.length + 1, own.length);
        return whole;
    }

    private static byte[] read(String file) {
        try (InputStream in = Scripts.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the script " + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the script " + file, e);
        }
    }

    // reading replies

    static long number(Object value) {
        return switch (value) {
            case Long l -> l;
            case byte[] b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            default ->
                    throw new IllegalStateException("a script answered " + value + ", no number");
        };
    }

    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        throw new IllegalStateException("a script answered " + value + ", no string");
    }

    static String text(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalStateException("a script answered " + value + ", no list");
    }
}
