package org.arachne.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Redis Cluster of three primaries (no replicas) for one test class: three {@code
 * redis-server --cluster-enabled yes} on free loopback ports, joined by {@code redis-cli --cluster
 * create}, used once every node says {@code cluster_state:ok}; stopped by their processes after the
 * class's tests. It may speak TLS only ({@link #withTls}) and be made to ask for a password ({@link
 * #requirePassword}). As {@link RedisServer}, it skips the class where Redis is not installed,
 * except in CI. Public, in arachne-redis's test jar, for arachne-cli's tests.
 */
public final class RedisCluster implements BeforeAllCallback, AfterAllCallback {
    private static final int NODES = 3;

    private final boolean tls;
    private final List<RedisProcess> nodes = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();
    private @Nullable Path certificates;
    private @Nullable String password;

    public RedisCluster() {
        this(false);
    }

    private RedisCluster(boolean tls) {
        this.tls = tls;
    }

    /**
     * A cluster whose nodes speak TLS only, to clients and to each other ({@code tls-cluster}),
     * with one self-signed certificate for 127.0.0.1 ({@link #certificate()}); clients need not
     * show one.
     */
    public static RedisCluster withTls() {
        return new RedisCluster(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (tls) {
            certificates = RedisProcess.directory();
            RedisServer.makeCertificate(certificates);
        }
        for (int i = 0; i < NODES; i++) {
            nodes.add(startNode());
        }
        create();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () ->
                                eachNode(c -> c.clusterInfo().contains("cluster_state:ok")).stream()
                                        .allMatch(ok -> ok));
    }

    /**
     * A node on a free port, with its cluster bus on another free port (Redis 7's cluster-port).
     */
    private RedisProcess startNode() throws IOException, InterruptedException {
        Path directory = RedisProcess.directory();
        directories.add(directory);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = RedisProcess.freePort();
            int bus = RedisProcess.freePort();
            List<String> options =
                    new ArrayList<>(
                            List.of(
                                    "--appendonly", "no",
                                    "--cluster-enabled", "yes",
                                    "--cluster-config-file",
                                            directory.resolve("nodes.conf").toString(),
                                    "--cluster-port", Integer.toString(bus),
                                    "--cluster-node-timeout", "5000"));
            if (tls) {
                options.addAll(
                        List.of(
                                "--port", "0",
                                "--tls-port", Integer.toString(port),
                                "--tls-cluster", "yes",
                                "--tls-cert-file", certificate().toString(),
                                "--tls-key-file", certificates.resolve("redis.key").toString(),
                                "--tls-ca-cert-file", certificate().toString(),
                                "--tls-auth-clients", "no"));
            }
            try {
                return RedisProcess.start(port, directory, options);
            } catch (IOException e) {
                last = e; // a port was taken meanwhile: other ones
            }
        }
        throw last;
    }

    /** {@code redis-cli --cluster create}: the hash slots spread over the three nodes. */
    private void create() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(RedisProcess.cli().toString());
        if (tls) {
            command.addAll(List.of("--tls", "--cacert", certificate().toString()));
        }
        command.add("--cluster");
        command.add("create");
        for (RedisProcess node : nodes) {
            command.add("127.0.0.1:" + node.port());
        }
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = create.getInputStream().readAllBytes();
        if (!create.waitFor(60, TimeUnit.SECONDS)) {
            create.destroyForcibly().waitFor();
            throw new IOException("redis-cli --cluster create did not end in 60 s");
        }
        if (create.exitValue() != 0) {
            throw new IOException(
                    "redis-cli --cluster create failed:\n"
                            + new String(output, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (RedisProcess node : nodes) {
            node.stop();
        }
        for (Path directory : directories) {
            RedisProcess.delete(directory);
        }
        if (certificates != null) {
            RedisProcess.delete(certificates);
        }
    }

    /** The nodes' certificate (PEM), for a TLS cluster's clients to trust. */
    public Path certificate() {
        if (certificates == null) {
            throw new IllegalStateException("not a TLS cluster, or not started");
        }
        return certificates.resolve("redis.crt");
    }

    private String scheme() {
        return tls ? "rediss://" : "redis://";
    }

    /**
     * A node's address for this class's own connections: with the password asked, and for TLS
     * without checking the certificate.
     */
    private RedisURI own(int port) {
        RedisURI uri = RedisURI.create(scheme() + "127.0.0.1:" + port);
        if (password != null) {
            uri.setAuthentication(password.toCharArray());
        }
        if (tls) {
            uri.setVerifyPeer(false);
        }
        return uri;
    }

    /** Every node's address: the seeds a client may be given. */
    public List<RedisURI> seeds() {
        return nodes.stream()
                .map(n -> RedisURI.create(scheme() + "127.0.0.1:" + n.port()))
                .toList();
    }

    /**
     * The nodes as a user writes them: {@code redis://host:port,host:port,host:port} ({@code
     * rediss://} for TLS).
     */
    public String url() {
        return scheme()
                + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /**
     * The address of a node that does not hold {@code key}'s hash slot: a client given it alone
     * must find the cluster to reach the key.
     */
    public String urlOfAnotherNodeThan(String key) {
        int slot = SlotHash.getSlot(key);
        for (RedisProcess node : nodes) {
            RedisClient client = RedisClient.create(own(node.port()));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                boolean holdsIt =
                        c.sync()
                                .clusterNodes()
                                .lines()
                                .filter(line -> line.contains("myself"))
                                .anyMatch(line -> holds(line, slot));
                if (!holdsIt) {
                    return scheme() + "127.0.0.1:" + node.port();
                }
            } finally {
                client.shutdown();
            }
        }
        throw new IllegalStateException("every node holds slot " + slot);
    }

    /** Whether a line of CLUSTER NODES gives its node the slot (ranges {@code a-b} or one slot). */
    private static boolean holds(String line, int slot) {
        String[] fields = line.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String[] range = fields[i].split("-");
            if (range[0].startsWith("[")) {
                continue; // a slot being moved
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes every node ask for this password ({@code CONFIG SET requirepass}), or no password for
     * null.
     */
    public void requirePassword(@Nullable String password) {
        for (RedisProcess node : nodes) {
            RedisClient client = RedisClient.create(own(node.port()));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().configSet("requirepass", password == null ? "" : password);
            } finally {
                client.shutdown();
            }
        }
        this.password = password;
    }

    /** Empties every node (scripts stay loaded). */
    public void flushAll() {
        eachNode(RedisCommands::flushall);
    }

    /** How many keys matching {@code pattern} each node holds, by port. */
    Map<Integer, Long> keysPerNode(String pattern) {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        List<Long> perNode = eachNode(c -> count(c, pattern));
        for (int i = 0; i < nodes.size(); i++) {
            counts.put(nodes.get(i).port(), perNode.get(i));
        }
        return counts;
    }

    private static long count(RedisCommands<String, String> c, String pattern) {
        long n = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = c.scan(cursor, KeyScanArgs.Builder.matches(pattern));
            n += page.getKeys().size();
            cursor = page;
        } while (!cursor.isFinished());
        return n;
    }

    private <T> List<T> eachNode(Function<RedisCommands<String, String>, T> command) {
        List<T> answers = new ArrayList<>();
        for (RedisProcess node : nodes) {
            RedisClient client = RedisClient.create(own(node.port()));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                answers.add(command.apply(c.sync()));
            } finally {
                client.shutdown();
            }
        }
        return answers;
    }
}
