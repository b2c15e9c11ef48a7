package org.arachne.cli;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arachne.frontier.FrontierException;
import org.arachne.redis.RedisCrawl;
import org.arachne.redis.RedisEndpoint;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the Redis of a crawl is, for {@code worker}, {@code status}, {@code export} and {@code
 * stop}: its URL ({@code redis://[user:password@]host[:port][/db]}, {@code rediss://} for TLS; a
 * Redis Cluster by several of its nodes, {@code redis://host:port,host:port}, or by one, which is
 * asked), the credentials from the URL or from {@value #PASSWORD_VARIABLE} (and {@value
 * #USER_VARIABLE} for an ACL user), and a certificate to trust for TLS. Credentials are never
 * shown: every message names the server as {@code Redis at host:port}, and a URL quoted back has
 * its password masked.
 */
final class RedisOptions {
    /** The password used when the URL has none, so that it is not on the command line. */
    static final String PASSWORD_VARIABLE = "ARACHNE_REDIS_PASSWORD";

    /** The ACL user name that goes with {@link #PASSWORD_VARIABLE}. */
    static final String USER_VARIABLE = "ARACHNE_REDIS_USER";

    private static final String FORM =
            "redis://[user:password@]host[:port][/db], rediss:// for TLS; a Redis Cluster's nodes"
                    + " as redis://host:port,host:port";

    @Option(
            names = "--redis",
            required = true,
            paramLabel = "URL",
            description =
                    "The crawl's Redis: redis://[user:password@]host[:port][/db], rediss:// for"
                            + " TLS. A Redis Cluster: its nodes, redis://host:port,host:port,..."
                            + " (any one that answers is enough), or one node, which is asked"
                            + " whether it is one. Without a password in the URL, "
                            + PASSWORD_VARIABLE
                            + " (and "
                            + USER_VARIABLE
                            + " for an ACL user) gives it, off the command line.")
    String url = "";

    @Option(
            names = "--redis-ca",
            paramLabel = "FILE",
            description =
                    "With rediss://: trust the certificates in FILE (PEM), e.g. a self-signed"
                            + " server's, instead of the JDK's trusted authorities.")
    @Nullable Path ca;

    /**
     * The addresses the URL names, each with the credentials: the URL's, else the environment's.
     * One address is a server or one node of a cluster; several are a cluster's nodes.
     *
     * @throws CliException (config) for a URL that is not a Redis URL, quoted with its password
     *     masked
     */
    List<RedisURI> seeds(Map<String, String> env) {
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw CliException.config("--redis: not a URL: " + masked(url) + " (" + FORM + ")");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw CliException.config(
                    "--redis: "
                            + masked(url)
                            + " is no Redis URL: it starts with redis:// (or rediss:// for TLS)");
        }
        // several hosts make a registry-based authority: no host, no user info of its own
        String authority = parsed.getRawAuthority() == null ? "" : parsed.getRawAuthority();
        boolean withCredentials = authority.contains("@");
        boolean nodes = authority.substring(authority.lastIndexOf('@') + 1).contains(",");
        List<RedisURI> seeds;
        try {
            seeds =
                    nodes
                            ? RedisClusterURIUtil.toRedisURIs(parsed)
                            : List.of(RedisURI.create(parsed));
        } catch (RuntimeException e) {
            throw CliException.config("--redis: " + masked(url) + " is no Redis URL: " + reason(e));
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        if (nodes && !path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
            throw CliException.config(
                    "--redis: "
                            + masked(url)
                            + " names a Redis Cluster's nodes and a database: a cluster has"
                            + " database 0 only");
        }
        String password = env.get(PASSWORD_VARIABLE);
        if (!withCredentials && password != null && !password.isEmpty()) {
            String user = env.get(USER_VARIABLE);
            for (RedisURI seed : seeds) {
                if (user != null && !user.isEmpty()) {
                    seed.setAuthentication(user, password.toCharArray());
                } else {
                    seed.setAuthentication(password.toCharArray());
                }
            }
        }
        if (ca != null && !seeds.getFirst().isSsl()) {
            throw CliException.config("--redis-ca applies to rediss:// (TLS) only");
        }
        return seeds;
    }

    /**
     * A URL that cannot be parsed, quoted with everything between {@code ://} and its last
     * {@code @} masked: such a URL's user part may hold a space or a {@code /} that ends a parsed
     * URL's authority early, and with it a password.
     */
    static String masked(String text) {
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return Urls.redacted(text);
        }
        return text.substring(0, scheme + 3) + "***" + text.substring(at);
    }

    /** Lettuce's message, with any URL in it masked (it quotes what it could not parse). */
    private static String reason(RuntimeException e) {
        return Urls.redacted(String.valueOf(e.getMessage()));
    }

    /**
     * What {@code --redis-ca} asks: trust its certificates; null without it.
     *
     * @throws CliException (config) when the certificate file cannot be read
     */
    @Nullable SslOptions ssl() {
        if (ca == null) {
            return null;
        }
        if (!Files.isReadable(ca)) {
            throw CliException.config("--redis-ca: cannot read " + ca);
        }
        return SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build();
    }

    /**
     * A crawl on this Redis and where it is (one server or a cluster, with its client); closing it
     * shuts the client down.
     */
    record Connection(RedisEndpoint endpoint, RedisCrawl crawl) implements AutoCloseable {
        @Override
        public void close() {
            try {
                crawl.close();
            } finally {
                endpoint.close();
            }
        }
    }

    /**
     * Connects to the crawl named {@code crawl}: to the one server the URL names, or to the cluster
     * its nodes (or its one node, asked with {@code CLUSTER INFO}) belong to.
     *
     * @throws CliException config (exit 3) for a bad URL or crawl name, or credentials Redis
     *     refuses; aborted (exit 4) when Redis cannot be reached
     */
    Connection connect(String crawl) {
        List<RedisURI> seeds = seeds(System.getenv());
        try {
            RedisCrawl.checkName(crawl); // before anything is sent
        } catch (IllegalArgumentException e) {
            throw CliException.config("--crawl: " + e.getMessage());
        }
        SslOptions ssl = ssl();
        RedisEndpoint endpoint;
        try {
            endpoint = RedisEndpoint.connect(seeds, ssl);
        } catch (FrontierException e) {
            throw failure(e);
        }
        try {
            return new Connection(endpoint, RedisCrawl.connect(endpoint, crawl));
        } catch (FrontierException e) {
            endpoint.close();
            throw failure(e);
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    /** A failure of Redis as the command's error: its message names no credentials. */
    static CliException failure(FrontierException e) {
        return new CliException(CrawlSession.frontierExitCode(e), e.getMessage(), e);
    }
}
