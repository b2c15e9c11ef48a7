package org.arachne.cli;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arachne.frontier.FrontierException;
import org.arachne.redis.RedisCrawl;
import org.arachne.redis.RedisFrontier;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the Redis of a crawl is, for {@code worker}, {@code status}, {@code export} and {@code
 * stop}: its URL ({@code redis://[user:password@]host[:port][/db]}, {@code rediss://} for TLS), the
 * credentials from the URL or from {@value #PASSWORD_VARIABLE} (and {@value #USER_VARIABLE} for an
 * ACL user), and a certificate to trust for TLS. Credentials are never shown: every message names
 * the server as {@code Redis at host:port}, and a URL quoted back has its password masked.
 */
final class RedisOptions {
    /** The password used when the URL has none, so that it is not on the command line. */
    static final String PASSWORD_VARIABLE = "ARACHNE_REDIS_PASSWORD";

    /** The ACL user name that goes with {@link #PASSWORD_VARIABLE}. */
    static final String USER_VARIABLE = "ARACHNE_REDIS_USER";

    @Option(
            names = "--redis",
            required = true,
            paramLabel = "URL",
            description =
                    "The crawl's Redis: redis://[user:password@]host[:port][/db], rediss:// for"
                            + " TLS. Without a password in the URL, "
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
     * The server's address with its credentials: the URL's, else the environment's.
     *
     * @throws CliException (config) for a URL that is not a Redis URL, quoted with its password
     *     masked
     */
    RedisURI uri(Map<String, String> env) {
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw CliException.config(
                    "--redis: not a URL: "
                            + masked(url)
                            + " (redis://[user:password@]host[:port][/db], rediss:// for TLS)");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw CliException.config(
                    "--redis: "
                            + masked(url)
                            + " is no Redis URL: it starts with redis:// (or rediss:// for TLS)");
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(parsed);
        } catch (RuntimeException e) {
            throw CliException.config("--redis: " + masked(url) + " is no Redis URL: " + reason(e));
        }
        String password = env.get(PASSWORD_VARIABLE);
        if (parsed.getRawUserInfo() == null && password != null && !password.isEmpty()) {
            String user = env.get(USER_VARIABLE);
            if (user != null && !user.isEmpty()) {
                uri.setAuthentication(user, password.toCharArray());
            } else {
                uri.setAuthentication(password.toCharArray());
            }
        }
        if (ca != null && !uri.isSsl()) {
            throw CliException.config("--redis-ca applies to rediss:// (TLS) only");
        }
        return uri;
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
     * A client for the crawl's Redis: {@link RedisFrontier#newClient()}'s, trusting {@code
     * --redis-ca} when given.
     *
     * @throws CliException (config) when the certificate file cannot be read
     */
    RedisClient client() {
        RedisClient client = RedisFrontier.newClient();
        if (ca != null) {
            if (!Files.isReadable(ca)) {
                RedisFrontier.shutdown(client);
                throw CliException.config("--redis-ca: cannot read " + ca);
            }
            ClientOptions options =
                    client.getOptions()
                            .mutate()
                            .sslOptions(
                                    SslOptions.builder()
                                            .jdkSslProvider()
                                            .trustManager(ca.toFile())
                                            .build())
                            .build();
            client.setOptions(options);
        }
        return client;
    }

    /** A crawl on this Redis and the client it runs on; closing it shuts the client down. */
    record Connection(RedisClient client, RedisURI uri, RedisCrawl crawl) implements AutoCloseable {
        @Override
        public void close() {
            try {
                crawl.close();
            } finally {
                RedisFrontier.shutdown(client);
            }
        }
    }

    /**
     * Connects to the crawl named {@code crawl}.
     *
     * @throws CliException config (exit 3) for a bad URL or crawl name, or credentials Redis
     *     refuses; aborted (exit 4) when Redis cannot be reached
     */
    Connection connect(String crawl) {
        RedisURI uri = uri(System.getenv());
        RedisClient client = client();
        try {
            return new Connection(client, uri, RedisCrawl.connect(client, uri, crawl));
        } catch (IllegalArgumentException e) {
            RedisFrontier.shutdown(client);
            throw CliException.config("--crawl: " + e.getMessage());
        } catch (FrontierException e) {
            RedisFrontier.shutdown(client);
            throw failure(e);
        }
    }

    /** A failure of Redis as the command's error: its message names no credentials. */
    static CliException failure(FrontierException e) {
        return new CliException(CrawlSession.frontierExitCode(e), e.getMessage(), e);
    }
}
