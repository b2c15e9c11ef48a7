package org.arachne.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.arachne.frontier.FrontierException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frontier's connection to Redis: to one server, or to a Redis Cluster through Lettuce's cluster
 * client, which sends each script to the node that holds its crawl's keys (they share one hash tag,
 * so one node holds them all). Which of the two comes from the seeds: several are the nodes of a
 * cluster; one is asked with {@code CLUSTER INFO} whether it is a cluster's node (docs/redis.md,
 * "Redis Cluster").
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    /** How long one Redis command may take before it counts as failed (and transient). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How often a cluster client reads the cluster's topology, besides on MOVED, ASK, reconnects.
     */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofMinutes(1);

    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterCommands<byte[], byte[]> commands;
    private final RedisClusterAsyncCommands<byte[], byte[]> async;
    private final String where;
    private final @Nullable AutoCloseable client;

    private RedisLink(
            StatefulConnection<byte[], byte[]> connection,
            RedisClusterCommands<byte[], byte[]> commands,
            RedisClusterAsyncCommands<byte[], byte[]> async,
            String where,
            @Nullable AutoCloseable client) {
        this.connection = connection;
        this.commands = commands;
        this.async = async;
        this.where = where;
        this.client = client;
    }

    /**
     * Connects to the Redis the seeds name, with a client of its own that {@link #close} shuts
     * down: a cluster client for several seeds, or for one that is a cluster's node; else a client
     * of one server.
     *
     * @throws FrontierException transient when Redis cannot be reached
     */
    static RedisLink open(List<RedisURI> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no Redis address given");
        }
        if (seeds.size() == 1) {
            RedisClient client = newClient();
            try {
                StatefulRedisConnection<byte[], byte[]> connection = connect(client, seeds.get(0));
                if (!isClusterNode(connection, where(seeds.get(0)))) {
                    return new RedisLink(
                            connection,
                            connection.sync(),
                            connection.async(),
                            where(seeds.get(0)),
                            () -> shutdown(client));
                }
                connection.close();
            } catch (RuntimeException e) {
                shutdown(client);
                throw e;
            }
            shutdown(client);
        }
        RedisClusterClient client = newClusterClient(seeds);
        try {
            return cluster(client, seeds, () -> shutdown(client));
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /** Connects to one server through a client the caller keeps. */
    static RedisLink standalone(RedisClient client, RedisURI uri) {
        StatefulRedisConnection<byte[], byte[]> connection = connect(client, uri);
        return new RedisLink(connection, connection.sync(), connection.async(), where(uri), null);
    }

    /** A link over a connection to one server made already; {@link #close} closes it. */
    static RedisLink over(StatefulRedisConnection<byte[], byte[]> connection, String where) {
        return new RedisLink(connection, connection.sync(), connection.async(), where, null);
    }

    /** A link over a connection to a cluster made already; {@link #close} closes it. */
    static RedisLink over(StatefulRedisClusterConnection<byte[], byte[]> connection, String where) {
        return new RedisLink(connection, connection.sync(), connection.async(), where, null);
    }

    /** Connects to a cluster through a client the caller keeps. */
    static RedisLink cluster(RedisClusterClient client) {
        return cluster(client, List.of(), null);
    }

    /**
     * @param seeds the nodes to name in messages; empty for the nodes the client found
     */
    private static RedisLink cluster(
            RedisClusterClient client, List<RedisURI> seeds, @Nullable AutoCloseable owned) {
        StatefulRedisClusterConnection<byte[], byte[]> connection;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            String where = seeds.isEmpty() ? "Redis Cluster" : whereCluster(seeds);
            throw new FrontierException(where + ": cannot connect: " + e.getMessage(), true, e);
        }
        List<RedisURI> named =
                seeds.isEmpty()
                        ? client.getPartitions().stream().map(node -> node.getUri()).toList()
                        : seeds;
        return new RedisLink(
                connection, connection.sync(), connection.async(), whereCluster(named), owned);
    }

    /**
     * Whether a server is a node of a Redis Cluster. A server that will not say (the command is
     * refused to this user, or renamed) is taken as one server; a cluster then answers MOVED, which
     * {@link Scripts} explains.
     */
    static boolean isClusterNode(StatefulRedisConnection<byte[], byte[]> connection, String where) {
        try {
            connection.sync().clusterInfo();
            return true;
        } catch (RedisCommandExecutionException e) {
            String reply = String.valueOf(e.getMessage());
            if (!reply.toLowerCase(Locale.ROOT).contains("cluster support disabled")) {
                log.info(
                        "{}: taken as one server, not a Redis Cluster: CLUSTER INFO answered {}",
                        where,
                        reply);
            }
            return false;
        } catch (RedisException e) {
            throw new FrontierException(
                    where + ": cannot ask whether it is a Redis Cluster: " + e.getMessage(),
                    true,
                    e);
        }
    }

    RedisClusterCommands<byte[], byte[]> commands() {
        return commands;
    }

    /** The same connection's commands that answer later, to send several at once. */
    RedisClusterAsyncCommands<byte[], byte[]> async() {
        return async;
    }

    /** The server or cluster as messages name it: hosts and ports, never credentials. */
    String where() {
        return where;
    }

    /** Closes the connection, and the client when this link made it. */
    @Override
    public void close() {
        connection.close();
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                log.warn("could not shut the Redis client down: {}", e.toString());
            }
        }
    }

    // clients

    /** What reconnecting waits: from 50 ms, doubling, to 2 s. */
    private static ClientResources resources() {
        return DefaultClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(
                                Duration.ofMillis(50),
                                Duration.ofSeconds(2),
                                2,
                                TimeUnit.MILLISECONDS))
                .build();
    }

    /** See {@link RedisFrontier#newClient()}. */
    static RedisClient newClient() {
        return newClient(null);
    }

    /** {@link #newClient()}, with these TLS options (a certificate to trust) when given. */
    static RedisClient newClient(@Nullable SslOptions ssl) {
        RedisClient client = RedisClient.create(resources());
        ClientOptions.Builder options =
                ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        client.setOptions(options.build());
        return client;
    }

    /** See {@link RedisFrontier#newClusterClient(List)}. */
    static RedisClusterClient newClusterClient(List<RedisURI> seeds) {
        return newClusterClient(seeds, null);
    }

    /** {@link #newClusterClient(List)}, with these TLS options when given. */
    static RedisClusterClient newClusterClient(List<RedisURI> seeds, @Nullable SslOptions ssl) {
        RedisClusterClient client = RedisClusterClient.create(resources(), seeds);
        ClusterClientOptions.Builder options =
                ClusterClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                        .topologyRefreshOptions(
                                ClusterTopologyRefreshOptions.builder()
                                        .enableAllAdaptiveRefreshTriggers()
                                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                                        .build());
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        client.setOptions(options.build());
        return client;
    }

    static void shutdown(RedisClient client) {
        client.shutdown();
        client.getResources().shutdown();
    }

    static void shutdown(RedisClusterClient client) {
        client.shutdown();
        client.getResources().shutdown();
    }

    private static StatefulRedisConnection<byte[], byte[]> connect(
            RedisClient client, RedisURI uri) {
        try {
            return client.connect(ByteArrayCodec.INSTANCE, uri);
        } catch (RedisException e) {
            throw new FrontierException(
                    where(uri) + ": cannot connect: " + e.getMessage(), true, e);
        }
    }

    /** See {@link RedisFrontier#seeds(String)}. */
    static List<RedisURI> seeds(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a Redis URL (redis://host:port or redis://host:port,host:port): "
                            + e.getMessage(),
                    e);
        }
        return RedisClusterURIUtil.toRedisURIs(uri);
    }

    /** A server as messages name it: host and port (or socket), never credentials. */
    static String where(RedisURI uri) {
        return "Redis at " + address(uri);
    }

    static String whereCluster(List<RedisURI> seeds) {
        return "Redis Cluster at "
                + seeds.stream().map(RedisLink::address).collect(Collectors.joining(","));
    }

    private static String address(RedisURI uri) {
        return uri.getSocket() != null ? uri.getSocket() : uri.getHost() + ":" + uri.getPort();
    }
}
