package org.arachne.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierSetup;
import org.jspecify.annotations.Nullable;

/**
 * Where a crawl's Redis is, with the client that reaches it: one server, or a Redis Cluster, told
 * apart as {@link RedisFrontier#open(List, FrontierSetup, RedisFrontierOptions)} tells them
 * (several seeds are a cluster's nodes; one seed is asked {@code CLUSTER INFO}). What runs beside a
 * crawl's workers ({@link RedisCrawl}, {@link CrawlExport}, the worker's own frontier) opens its
 * connections from one endpoint, so on a cluster every command reaches the node that holds the
 * crawl's keys (docs/redis.md, "Redis Cluster").
 *
 * <p>Lifecycle: an endpoint from {@link #connect} owns its client and {@link #close} shuts it down;
 * one from {@link #of(RedisClient, RedisURI)} or {@link #of(RedisClusterClient)} uses a client the
 * caller keeps, and closing it does nothing.
 *
 * <p>Thread-safety: safe for use from any thread (Lettuce's clients are).
 */
public final class RedisEndpoint implements AutoCloseable {
    private final @Nullable RedisClient client;
    private final @Nullable RedisURI uri;
    private final @Nullable RedisClusterClient clusterClient;
    private final String where;
    private final boolean owned;

    private RedisEndpoint(
            @Nullable RedisClient client,
            @Nullable RedisURI uri,
            @Nullable RedisClusterClient clusterClient,
            String where,
            boolean owned) {
        this.client = client;
        this.uri = uri;
        this.clusterClient = clusterClient;
        this.where = where;
        this.owned = owned;
    }

    /**
     * Finds out whether the seeds are one server or a Redis Cluster and makes a client for it, of
     * its own ({@link RedisFrontier#newClient()}'s or {@link RedisFrontier#newClusterClient}'s
     * options), with {@code ssl} (a certificate to trust for {@code rediss://}) when given.
     *
     * @throws IllegalArgumentException when no seed is given
     * @throws FrontierException when Redis cannot be reached (transient) or refuses the credentials
     *     ({@link FrontierException.Kind#REFUSED})
     */
    public static RedisEndpoint connect(List<RedisURI> seeds, @Nullable SslOptions ssl) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no Redis address given");
        }
        if (seeds.size() == 1) {
            RedisURI seed = seeds.getFirst();
            RedisClient one = RedisLink.newClient(ssl);
            boolean cluster;
            try (StatefulRedisConnection<byte[], byte[]> connection =
                    one.connect(ByteArrayCodec.INSTANCE, seed)) {
                cluster = RedisLink.isClusterNode(connection, RedisLink.where(seed));
            } catch (RedisException e) {
                RedisLink.shutdown(one);
                throw RedisCrawl.failure(RedisLink.where(seed), "connect", e);
            } catch (RuntimeException e) {
                RedisLink.shutdown(one);
                throw e;
            }
            if (!cluster) {
                return new RedisEndpoint(one, seed, null, RedisLink.where(seed), true);
            }
            RedisLink.shutdown(one);
        }
        RedisClusterClient cluster = RedisLink.newClusterClient(seeds, ssl);
        String where = RedisLink.whereCluster(seeds);
        try {
            cluster.getPartitions(); // learns the nodes now: fails here if none answers
        } catch (RedisException e) {
            RedisLink.shutdown(cluster);
            FrontierException failure = RedisCrawl.failure(where, "connect", e);
            if (String.valueOf(failure.getMessage()).contains("cluster support disabled")) {
                throw new FrontierException(
                        where
                                + ": not a Redis Cluster (several addresses name a cluster's"
                                + " nodes; give one server's address alone)",
                        FrontierException.Kind.REFUSED,
                        false,
                        e);
            }
            throw failure;
        }
        return new RedisEndpoint(null, null, cluster, where, true);
    }

    /** One server, through a client the caller keeps ({@link RedisFrontier#newClient()}). */
    public static RedisEndpoint of(RedisClient client, RedisURI uri) {
        return new RedisEndpoint(client, uri, null, RedisLink.where(uri), false);
    }

    /**
     * A Redis Cluster, through a client the caller keeps ({@link RedisFrontier#newClusterClient}).
     *
     * @throws FrontierException when the client cannot learn the cluster's nodes
     */
    public static RedisEndpoint of(RedisClusterClient client) {
        List<RedisURI> nodes;
        try {
            nodes = client.getPartitions().stream().map(node -> node.getUri()).toList();
        } catch (RedisException e) {
            throw RedisCrawl.failure("Redis Cluster", "connect", e);
        }
        return new RedisEndpoint(null, null, client, RedisLink.whereCluster(nodes), false);
    }

    /** Whether this is a Redis Cluster. */
    public boolean isCluster() {
        return clusterClient != null;
    }

    /**
     * The server or cluster as messages name it: {@code Redis at host:port} or {@code Redis Cluster
     * at host:port,...}, never with credentials.
     */
    public String where() {
        return where;
    }

    /**
     * Opens the frontier of {@code setup.crawl()} here, on a connection of its own that its {@link
     * RedisFrontier#close} closes (the client stays).
     *
     * @throws IllegalArgumentException when the crawl's name cannot name Redis keys
     * @throws FrontierException when Redis cannot be reached or refuses the crawl
     */
    public RedisFrontier openFrontier(FrontierSetup setup, RedisFrontierOptions options) {
        if (clusterClient != null) {
            return RedisFrontier.open(clusterClient, setup, options);
        }
        return RedisFrontier.open(server(), uri(), setup, options);
    }

    /**
     * A new connection for scripts and commands (bytes), which the caller closes.
     *
     * @throws RedisException when Redis cannot be reached or refuses the credentials
     */
    RedisLink link() {
        if (clusterClient == null) {
            return RedisLink.over(server().connect(ByteArrayCodec.INSTANCE, uri()), where);
        }
        StatefulRedisClusterConnection<byte[], byte[]> connection =
                clusterClient.connect(ByteArrayCodec.INSTANCE);
        try {
            // Lettuce connects to a node at its first command, and rejects that command when
            // commands are rejected while not connected: so connect to every primary first
            for (RedisClusterNode node : connection.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    connection.getConnection(node.getUri().getHost(), node.getUri().getPort());
                }
            }
        } catch (RedisException e) {
            connection.close();
            throw e;
        }
        return RedisLink.over(connection, where);
    }

    /**
     * A new connection for listening to a channel, which the caller closes. On a cluster it
     * subscribes on one node: Redis Cluster sends every {@code PUBLISH} to every node's
     * subscribers.
     *
     * @throws RedisException when Redis cannot be reached
     */
    StatefulRedisPubSubConnection<String, String> connectPubSub() {
        if (clusterClient != null) {
            return clusterClient.connectPubSub(StringCodec.UTF8);
        }
        return server().connectPubSub(StringCodec.UTF8, uri());
    }

    private RedisClient server() {
        if (client == null) {
            throw new IllegalStateException("a Redis Cluster has no one server's client");
        }
        return client;
    }

    private RedisURI uri() {
        if (uri == null) {
            throw new IllegalStateException("a Redis Cluster has no one server's address");
        }
        return uri;
    }

    /** Shuts the client down if this endpoint made it ({@link #connect}); else does nothing. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        if (clusterClient != null) {
            RedisLink.shutdown(clusterClient);
        } else if (client != null) {
            RedisLink.shutdown(client);
        }
    }
}
