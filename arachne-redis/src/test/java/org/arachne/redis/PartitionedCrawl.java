package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arachne.frontier.ItemCodec;
import org.arachne.frontier.RequestCodec;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.jspecify.annotations.Nullable;

/**
 * A crawl of several partitions written key by key, as the frontier's scripts would leave it
 * (docs/redis.md, "Keys"): partition 0's meta with {@code partitions}, item batches appended to a
 * partition's stream as {@code end.lua} appends them, a partition's counters and leases. Lets the
 * readers of a partitioned crawl (export, status, the end) be tested before a frontier writes one.
 */
final class PartitionedCrawl implements AutoCloseable {
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisCommands<byte[], byte[]> redis;
    private final CrawlKeys keys;
    private int pages;

    /** Makes the crawl: partition 0's meta as {@code open.lua} makes it, with its partitions. */
    PartitionedCrawl(RedisClient client, RedisURI uri, String crawl, int partitions) {
        this.connection = client.connect(ByteArrayCodec.INSTANCE, uri);
        this.redis = connection.sync();
        this.keys = new CrawlKeys(crawl);
        Map<byte[], byte[]> meta = new LinkedHashMap<>();
        meta.put(bytes("created"), bytes("1764547200000000"));
        meta.put(bytes("order"), bytes("bfs"));
        meta.put(bytes("dedup"), bytes("exact"));
        meta.put(bytes("partitions"), bytes(Integer.toString(partitions)));
        redis.hset(keys.meta(0), meta);
    }

    /**
     * Commits the next page's batch, one item {@code {"page": n}}, to a partition's stream (the
     * crawl's, or a worker's own with {@code suffix ":<worker>"}), as {@code end.lua} does.
     *
     * @return the page's number
     */
    int commit(int partition, String suffix) {
        int page = pages++;
        long sequence = redis.hincrby(keys.meta(partition), bytes("outbox_sequence" + suffix), 1);
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put(bytes("source"), RequestCodec.toBytes(Request.get("http://a.test/" + page)));
        fields.put(bytes("items"), ItemCodec.toBytes(List.of(Item.of("page", page))));
        redis.xadd(key(partition, "items" + suffix), new XAddArgs().id(sequence + "-0"), fields);
        return page;
    }

    /** Commits {@code count} pages to a partition's crawl stream. */
    void commit(int partition, int count) {
        for (int i = 0; i < count; i++) {
            commit(partition, "");
        }
    }

    /** Sets a field of a partition's meta. */
    void set(int partition, String field, long value) {
        redis.hset(keys.meta(partition), bytes(field), bytes(Long.toString(value)));
    }

    /** Adds one to a field of a partition's meta (a counter such as {@code changes}). */
    void bump(int partition, String field) {
        redis.hincrby(keys.meta(partition), bytes(field), 1);
    }

    /** A field of a partition's meta, or null. */
    @Nullable String field(int partition, String field) {
        byte[] v = redis.hget(keys.meta(partition), bytes(field));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /**
     * A lease out in a partition, as {@code take.lua} records it, with its slot's hash (permits in
     * use counted) and a deadline (µs; 0 is long past).
     */
    void lease(int partition, String token, String slot, String worker, long deadline) {
        Map<byte[], byte[]> lease = new LinkedHashMap<>();
        lease.put(bytes("slot"), bytes(slot));
        lease.put(bytes("request"), RequestCodec.toBytes(Request.get("http://" + slot + "/")));
        lease.put(bytes("priority"), bytes("0"));
        lease.put(bytes("depth"), bytes("0"));
        lease.put(bytes("start"), bytes("0"));
        lease.put(bytes("gap"), bytes("0"));
        lease.put(bytes("previous"), bytes("0"));
        lease.put(bytes("deadline"), bytes(Long.toString(deadline)));
        lease.put(bytes("worker"), bytes(worker));
        redis.hset(key(partition, "lease:" + token), lease);
        redis.zadd(key(partition, "deadlines"), deadline, bytes(token));
        redis.hincrby(key(partition, "slot:" + slot), bytes("in_flight"), 1);
        redis.hset(key(partition, "slot:" + slot), bytes("concurrency"), bytes("2"));
    }

    /** Requests queued in a slot of a partition: its queue and the slot in the ready index. */
    void queue(int partition, String slot, int count) {
        for (int i = 0; i < count; i++) {
            redis.zadd(
                    key(partition, "q:" + slot),
                    0,
                    bytes(String.format(Locale.ROOT, "%021d", i) + slot));
        }
        redis.zadd(
                key(partition, "ready"), 0, bytes(String.format(Locale.ROOT, "%021d", 0) + slot));
        redis.hset(key(partition, "slot:" + slot), bytes("concurrency"), bytes("2"));
        redis.hincrby(keys.meta(partition), bytes("queued"), count);
    }

    /** Entries in a partition's stream. */
    long streamLength(int partition, String suffix) {
        return redis.xlen(key(partition, "items" + suffix));
    }

    /** The score of a token in a partition's {@code deadlines}, or null. */
    @Nullable Double deadline(int partition, String token) {
        return redis.zscore(key(partition, "deadlines"), bytes(token));
    }

    private byte[] key(int partition, String name) {
        return bytes(keys.prefix(partition) + name);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connection.close();
    }
}
