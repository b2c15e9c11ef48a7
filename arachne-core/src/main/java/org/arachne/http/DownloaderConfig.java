package org.arachne.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Downloader} talks HTTP: identity, limits, cookies and name resolution. Immutable;
 * start from {@link #defaults()} and change fields with the {@code with...} methods. The defaults
 * are Scrapy's ({@code download_timeout} 30 s, {@code download_maxsize} 64 MiB, cookies on).
 *
 * @param userAgent {@code User-Agent} sent when the request has none
 * @param defaultHeaders header fields added to a request that lacks a field of that name
 * @param timeout limit for the whole exchange, from taking a connection to the last body byte
 * @param maxSize largest body accepted, in bytes, counted after decompression; above it the
 *     download fails with {@link DownloadException.Kind#TOO_LARGE}
 * @param warnSize body size in bytes above which a warning is logged; 0 for none
 * @param cookiesEnabled whether the downloader keeps a cookie store and sends its cookies
 * @param dnsOverrides host name (case-insensitive) to IP address literal, used instead of DNS;
 *     tests put several host names on one 127.0.0.x address this way
 * @param maxConnectionsPerHost pooled connections per host and port
 * @param maxConnectionsTotal pooled connections in all
 * @param acceptEncoding {@code Accept-Encoding} sent when the request has none; only codings the
 *     downloader can decode ({@code gzip}, {@code deflate}, and {@code br} where brotli4j loads:
 *     {@link #defaults()} lists exactly those) make sense here
 * @param proxy the HTTP proxy of every request, or null for none; a request's meta {@code proxy} (a
 *     proxy URL, or {@code ""} for none) overrides it
 * @param http2Enabled whether https requests offer HTTP/2 through ALPN (and use it when the server
 *     accepts); plain http and proxied requests always use HTTP/1.1
 * @param denyPrivateAddresses whether connections to loopback, private, link-local, unspecified and
 *     multicast addresses are refused when a host name is resolved for connecting ({@link
 *     DownloadException.Kind#REFUSED}); a host with public and private addresses is reached on its
 *     public ones only. Proxies are exempt.
 */
public record DownloaderConfig(
        String userAgent,
        Headers defaultHeaders,
        Duration timeout,
        long maxSize,
        long warnSize,
        boolean cookiesEnabled,
        Map<String, String> dnsOverrides,
        int maxConnectionsPerHost,
        int maxConnectionsTotal,
        String acceptEncoding,
        @Nullable HttpProxy proxy,
        boolean http2Enabled,
        boolean denyPrivateAddresses) {

    /** The user agent sent by default (the default of the {@code user_agent} setting). */
    public static final String DEFAULT_USER_AGENT = "Arachne/0.1";

    /** The header fields added by default (the default of {@code default_request_headers}). */
    public static final Headers DEFAULT_HEADERS =
            Headers.of(
                    "Accept",
                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                    "Accept-Language",
                    "en");

    private static final Pattern IP_LITERAL =
            Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public DownloaderConfig {
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(defaultHeaders, "defaultHeaders");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(dnsOverrides, "dnsOverrides");
        Objects.requireNonNull(acceptEncoding, "acceptEncoding");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive, got " + maxSize);
        }
        if (warnSize < 0) {
            throw new IllegalArgumentException("warnSize must be >= 0, got " + warnSize);
        }
        if (maxConnectionsPerHost <= 0 || maxConnectionsTotal <= 0) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerHost and maxConnectionsTotal must be positive, got "
                            + maxConnectionsPerHost
                            + " and "
                            + maxConnectionsTotal);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        dnsOverrides.forEach(
                (host, ip) -> {
                    if (!IP_LITERAL.matcher(ip).matches()) {
                        throw new IllegalArgumentException(
                                "dnsOverrides: '" + ip + "' for " + host + " is not an IP address");
                    }
                    overrides.put(host.toLowerCase(Locale.ROOT), ip);
                });
        dnsOverrides = Map.copyOf(overrides);
    }

    /**
     * Scrapy's defaults: 30 s timeout, 64 MiB cap, 32 MiB warning, cookies on, 8/16 connections;
     * every content coding this downloader decodes is accepted, and HTTP/2 is offered to https
     * servers.
     */
    public static DownloaderConfig defaults() {
        return new DownloaderConfig(
                DEFAULT_USER_AGENT,
                DEFAULT_HEADERS,
                Duration.ofSeconds(30),
                64L * 1024 * 1024,
                32L * 1024 * 1024,
                true,
                Map.of(),
                8,
                16,
                BodyReader.acceptEncoding(),
                null,
                true,
                false);
    }

    public DownloaderConfig withUserAgent(String newUserAgent) {
        return toBuilder().userAgent(newUserAgent).build();
    }

    public DownloaderConfig withDefaultHeaders(Headers newDefaultHeaders) {
        return toBuilder().defaultHeaders(newDefaultHeaders).build();
    }

    public DownloaderConfig withTimeout(Duration newTimeout) {
        return toBuilder().timeout(newTimeout).build();
    }

    /** A copy with this body cap (and warning size, 0 for none), in bytes. */
    public DownloaderConfig withMaxSize(long newMaxSize, long newWarnSize) {
        return toBuilder().maxSize(newMaxSize).warnSize(newWarnSize).build();
    }

    public DownloaderConfig withCookiesEnabled(boolean newCookiesEnabled) {
        return toBuilder().cookiesEnabled(newCookiesEnabled).build();
    }

    public DownloaderConfig withDnsOverrides(Map<String, String> newDnsOverrides) {
        return toBuilder().dnsOverrides(newDnsOverrides).build();
    }

    /** A copy with these pool limits: connections per host and port, and in all. */
    public DownloaderConfig withConnections(int newPerHost, int newTotal) {
        return toBuilder().maxConnectionsPerHost(newPerHost).maxConnectionsTotal(newTotal).build();
    }

    public DownloaderConfig withAcceptEncoding(String newAcceptEncoding) {
        return toBuilder().acceptEncoding(newAcceptEncoding).build();
    }

    /** A copy with this proxy for every request (null for none). */
    public DownloaderConfig withProxy(@Nullable HttpProxy newProxy) {
        return toBuilder().proxy(newProxy).build();
    }

    /** A copy that offers HTTP/2 to https servers, or never does. */
    public DownloaderConfig withHttp2Enabled(boolean newHttp2Enabled) {
        return toBuilder().http2Enabled(newHttp2Enabled).build();
    }

    /** A copy that refuses, or allows, connections to non-public addresses. */
    public DownloaderConfig withDenyPrivateAddresses(boolean newDenyPrivateAddresses) {
        return toBuilder().denyPrivateAddresses(newDenyPrivateAddresses).build();
    }

    /** A builder holding this config's values, to change several at once. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes fields of a {@link DownloaderConfig}; {@link #build} checks them. */
    public static final class Builder {
        private String userAgent;
        private Headers defaultHeaders;
        private Duration timeout;
        private long maxSize;
        private long warnSize;
        private boolean cookiesEnabled;
        private Map<String, String> dnsOverrides;
        private int maxConnectionsPerHost;
        private int maxConnectionsTotal;
        private String acceptEncoding;
        private @Nullable HttpProxy proxy;
        private boolean http2Enabled;
        private boolean denyPrivateAddresses;

        private Builder(DownloaderConfig from) {
            this.userAgent = from.userAgent;
            this.defaultHeaders = from.defaultHeaders;
            this.timeout = from.timeout;
            this.maxSize = from.maxSize;
            this.warnSize = from.warnSize;
            this.cookiesEnabled = from.cookiesEnabled;
            this.dnsOverrides = from.dnsOverrides;
            this.maxConnectionsPerHost = from.maxConnectionsPerHost;
            this.maxConnectionsTotal = from.maxConnectionsTotal;
            this.acceptEncoding = from.acceptEncoding;
            this.proxy = from.proxy;
            this.http2Enabled = from.http2Enabled;
            this.denyPrivateAddresses = from.denyPrivateAddresses;
        }

        public Builder userAgent(String value) {
            this.userAgent = value;
            return this;
        }

        public Builder defaultHeaders(Headers value) {
            this.defaultHeaders = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder maxSize(long value) {
            this.maxSize = value;
            return this;
        }

        public Builder warnSize(long value) {
            this.warnSize = value;
            return this;
        }

        public Builder cookiesEnabled(boolean value) {
            this.cookiesEnabled = value;
            return this;
        }

        public Builder dnsOverrides(Map<String, String> value) {
            this.dnsOverrides = value;
            return this;
        }

        public Builder maxConnectionsPerHost(int value) {
            this.maxConnectionsPerHost = value;
            return this;
        }

        public Builder maxConnectionsTotal(int value) {
            this.maxConnectionsTotal = value;
            return this;
        }

        public Builder acceptEncoding(String value) {
            this.acceptEncoding = value;
            return this;
        }

        public Builder proxy(@Nullable HttpProxy value) {
            this.proxy = value;
            return this;
        }

        public Builder http2Enabled(boolean value) {
            this.http2Enabled = value;
            return this;
        }

        public Builder denyPrivateAddresses(boolean value) {
            this.denyPrivateAddresses = value;
            return this;
        }

        public DownloaderConfig build() {
            return new DownloaderConfig(
                    userAgent,
                    defaultHeaders,
                    timeout,
                    maxSize,
                    warnSize,
                    cookiesEnabled,
                    dnsOverrides,
                    maxConnectionsPerHost,
                    maxConnectionsTotal,
                    acceptEncoding,
                    proxy,
                    http2Enabled,
                    denyPrivateAddresses);
        }
    }
}
