package org.arachne.http;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.compat.ClassicToAsyncAdaptor;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The https half of {@link HttpClient5Downloader} when HTTP/2 is enabled: HttpClient 5's async
 * client, which offers {@code h2} and {@code http/1.1} through ALPN and speaks what the server
 * picks, seen through HttpClient's classic API ({@link ClassicToAsyncAdaptor}) so that the
 * downloader reads, caps, decodes and times out its bodies exactly as on the classic client.
 * Concurrent requests to one HTTP/2 origin share its connection (message multiplexing).
 *
 * <p>Started on first use, so a crawl of plain http sites never starts its I/O threads. Shares the
 * downloader's DNS resolver, TLS strategy, cookie store and limits. Thread-safe.
 */
final class AlpnClient implements AutoCloseable {
    private final DownloaderConfig config;
    private final DnsResolver dns;
    private final TlsStrategy tls;
    private final @Nullable CookieStore cookies;

    private volatile @Nullable CloseableHttpClient client;
    private @Nullable CloseableHttpAsyncClient async;
    private boolean closed;

    AlpnClient(
            DownloaderConfig config,
            DnsResolver dns,
            TlsStrategy tls,
            @Nullable CookieStore cookies) {
        this.config = config;
        this.dns = dns;
        this.tls = tls;
        this.cookies = cookies;
    }

    /**
     * The client, started on the first call.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    CloseableHttpClient client() {
        CloseableHttpClient result = client;
        if (result == null) {
            synchronized (this) {
                result = client;
                if (result == null) {
                    if (closed) {
                        throw new IllegalStateException("the downloader is closed");
                    }
                    CloseableHttpAsyncClient started = build();
                    started.start();
                    async = started;
                    result = new ClassicToAsyncAdaptor(started, Timeout.of(config.timeout()));
                    client = result;
                }
            }
        }
        return result;
    }

    private CloseableHttpAsyncClient build() {
        Timeout timeout = Timeout.of(config.timeout());
        HttpAsyncClientBuilder builder =
                HttpAsyncClients.custom()
                        .setConnectionManager(
                                PoolingAsyncClientConnectionManagerBuilder.create()
                                        .setMaxConnTotal(config.maxConnectionsTotal())
                                        .setMaxConnPerRoute(config.maxConnectionsPerHost())
                                        .setDnsResolver(dns)
                                        .setTlsStrategy(tls)
                                        .setDefaultTlsConfig(
                                                TlsConfig.custom()
                                                        .setVersionPolicy(
                                                                HttpVersionPolicy.NEGOTIATE)
                                                        .setHandshakeTimeout(timeout)
                                                        .build())
                                        .setDefaultConnectionConfig(
                                                ConnectionConfig.custom()
                                                        .setConnectTimeout(timeout)
                                                        .setSocketTimeout(timeout)
                                                        .build())
                                        .setMessageMultiplexing(true)
                                        .build())
                        .setDefaultRequestConfig(HttpClient5Downloader.requestConfig(timeout))
                        .disableRedirectHandling()
                        .disableContentCompression()
                        .disableAutomaticRetries()
                        .setUserAgent(config.userAgent());
        if (cookies != null) {
            builder.setDefaultCookieStore(cookies);
        } else {
            builder.disableCookieManagement();
        }
        return builder.build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (async != null) {
            async.close(CloseMode.GRACEFUL);
        }
    }
}
