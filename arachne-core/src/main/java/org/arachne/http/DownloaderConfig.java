package org.arachne.http;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Downloader} talks HTTP: identity, limits, cookies, proxy, HTTP/2 and the
 * private-address guard. Immutable; {@link #defaults()} are Scrapy's ({@code download_timeout} 30
 * s, {@code download_maxsize} 64 MiB, cookies on), and {@link #builder()} is the one way to change
 * them, checking each option as it is set. Name resolution ({@code dns_overrides}) belongs to the
 * {@link HostResolver} the downloader is given, shared with the rest of the crawl.
 */
public final class DownloaderConfig {

    /** The user agent sent by default (the default of the {@code user_agent} setting). */
    public static final String DEFAULT_USER_AGENT = "Arachne/0.1";

    /** The header fields added by default (the default of {@code default_request_headers}). */
    public static final Headers DEFAULT_HEADERS =
            Headers.of(
                    "Accept",
                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                    "Accept-Language",
                    "en");

    private final String userAgent;
    private final Headers defaultHeaders;
    private final Duration timeout;
    private final long maxSize;
    private final long warnSize;
    private final long maxBytesInFlight;
    private final boolean cookiesEnabled;
    private final int maxConnectionsPerHost;
    private final int maxConnectionsTotal;
    private final String acceptEncoding;
    private final @Nullable HttpProxy proxy;
    private final boolean http2Enabled;
    private final boolean denyPrivateAddresses;

    private DownloaderConfig(
            String userAgent,
            Headers defaultHeaders,
            Duration timeout,
            long maxSize,
            long warnSize,
            long maxBytesInFlight,
            boolean cookiesEnabled,
            int maxConnectionsPerHost,
            int maxConnectionsTotal,
            String acceptEncoding,
            @Nullable HttpProxy proxy,
            boolean http2Enabled,
            boolean denyPrivateAddresses) {
        this.userAgent = userAgent;
        this.defaultHeaders = defaultHeaders;
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.warnSize = warnSize;
        this.maxBytesInFlight = maxBytesInFlight;
        this.cookiesEnabled = cookiesEnabled;
        this.maxConnectionsPerHost = maxConnectionsPerHost;
        this.maxConnectionsTotal = maxConnectionsTotal;
        this.acceptEncoding = acceptEncoding;
        this.proxy = proxy;
        this.http2Enabled = http2Enabled;
        this.denyPrivateAddresses = denyPrivateAddresses;
    }

    /**
     * Scrapy's defaults: 30 s timeout, 64 MiB cap, 32 MiB warning, cookies on, 8/16 connections;
     * 256 MiB for all the bodies being read at once; every content coding this downloader decodes
     * is accepted, and HTTP/2 is offered to https servers.
     */
    public static DownloaderConfig defaults() {
        return new DownloaderConfig(
                DEFAULT_USER_AGENT,
                DEFAULT_HEADERS,
                Duration.ofSeconds(30),
                64L * 1024 * 1024,
                32L * 1024 * 1024,
                256L * 1024 * 1024,
                true,
                8,
                16,
                BodyReader.acceptEncoding(),
                null,
                true,
                false);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** {@code User-Agent} sent when the request has none ({@code user_agent}). */
    public String userAgent() {
        return userAgent;
    }

    /** Header fields added to a request that lacks a field of that name. */
    public Headers defaultHeaders() {
        return defaultHeaders;
    }

    /** Limit for the whole exchange, from taking a connection to the last body byte. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Largest body accepted, in bytes, counted after decompression; above it the download fails
     * with {@link DownloadException.Kind#TOO_LARGE}.
     */
    public long maxSize() {
        return maxSize;
    }

    /** Body size in bytes above which a warning is logged; 0 for none. */
    public long warnSize() {
        return warnSize;
    }

    /**
     * The most bytes that the bodies being read may hold in all ({@code download_inflight_bytes}):
     * a body that would go over it waits for room, one that could never fit (more than about half
     * of it) fails with {@link DownloadException.Kind#TOO_LARGE}. A body handed on in a {@link
     * Response} is no longer counted.
     */
    public long maxBytesInFlight() {
        return maxBytesInFlight;
    }

    /** Whether the downloader keeps a cookie store and sends its cookies. */
    public boolean cookiesEnabled() {
        return cookiesEnabled;
    }

    /** Pooled connections per host and port. */
    public int maxConnectionsPerHost() {
        return maxConnectionsPerHost;
    }

    /** Pooled connections in all. */
    public int maxConnectionsTotal() {
        return maxConnectionsTotal;
    }

    /**
     * {@code Accept-Encoding} sent when the request has none; only codings the downloader can
     * decode ({@code gzip}, {@code deflate}, and {@code br} where brotli4j loads: {@link
     * #defaults()} lists exactly those) make sense here.
     */
    public String acceptEncoding() {
        return acceptEncoding;
    }

    /**
     * The HTTP proxy of every request, or null for none; a request's meta {@code proxy} (a proxy
     * URL, or {@code ""} for none) overrides it.
     */
    public @Nullable HttpProxy proxy() {
        return proxy;
    }

    /**
     * Whether https requests offer HTTP/2 through ALPN (and use it when the server accepts); plain
     * http and proxied requests always use HTTP/1.1.
     */
    public boolean http2Enabled() {
        return http2Enabled;
    }

    /**
     * Whether connections to loopback, private, link-local, unspecified and multicast addresses are
     * refused when a host name is resolved for connecting ({@link DownloadException.Kind#REFUSED});
     * a host with public and private addresses is reached on its public ones only. Proxies are
     * exempt.
     */
    public boolean denyPrivateAddresses() {
        return denyPrivateAddresses;
    }

    /**
     * Sets the options of a {@link DownloaderConfig}, each at most once; a bad value or a second
     * call fails at once, naming the option (a refused value does not count as set). Options not
     * set keep their {@link #defaults()}. Not thread-safe; the config it builds is.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private String userAgent;
        private Headers defaultHeaders;
        private Duration timeout;
        private long maxSize;
        private long warnSize;
        private long maxBytesInFlight;
        private boolean cookiesEnabled;
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
            this.maxBytesInFlight = from.maxBytesInFlight;
            this.cookiesEnabled = from.cookiesEnabled;
            this.maxConnectionsPerHost = from.maxConnectionsPerHost;
            this.maxConnectionsTotal = from.maxConnectionsTotal;
            this.acceptEncoding = from.acceptEncoding;
            this.proxy = from.proxy;
            this.http2Enabled = from.http2Enabled;
            this.denyPrivateAddresses = from.denyPrivateAddresses;
        }

        /** See {@link DownloaderConfig#userAgent()}. */
        public Builder userAgent(String value) {
            Objects.requireNonNull(value, "userAgent");
            once("userAgent");
            this.userAgent = value;
            return this;
        }

        /** See {@link DownloaderConfig#defaultHeaders()}. */
        public Builder defaultHeaders(Headers value) {
            Objects.requireNonNull(value, "defaultHeaders");
            once("defaultHeaders");
            this.defaultHeaders = value;
            return this;
        }

        /**
         * See {@link DownloaderConfig#timeout()} ({@code download_timeout}).
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + value);
            }
            once("timeout");
            this.timeout = value;
            return this;
        }

        /**
         * See {@link DownloaderConfig#maxSize()} ({@code download_maxsize}).
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxSize must be positive, got " + bytes);
            }
            once("maxSize");
            this.maxSize = bytes;
            return this;
        }

        /**
         * See {@link DownloaderConfig#warnSize()} ({@code download_warnsize}).
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder warnSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("warnSize must be >= 0, got " + bytes);
            }
            once("warnSize");
            this.warnSize = bytes;
            return this;
        }

        /**
         * See {@link DownloaderConfig#maxBytesInFlight()} ({@code download_inflight_bytes}).
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxBytesInFlight(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException(
                        "maxBytesInFlight must be positive, got " + bytes);
            }
            once("maxBytesInFlight");
            this.maxBytesInFlight = bytes;
            return this;
        }

        /** See {@link DownloaderConfig#cookiesEnabled()} ({@code cookies_enabled}). */
        public Builder cookiesEnabled(boolean value) {
            once("cookiesEnabled");
            this.cookiesEnabled = value;
            return this;
        }

        /**
         * See {@link DownloaderConfig#maxConnectionsPerHost()}.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxConnectionsPerHost(int value) {
            positive("maxConnectionsPerHost", value);
            once("maxConnectionsPerHost");
            this.maxConnectionsPerHost = value;
            return this;
        }

        /**
         * See {@link DownloaderConfig#maxConnectionsTotal()}.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxConnectionsTotal(int value) {
            positive("maxConnectionsTotal", value);
            once("maxConnectionsTotal");
            this.maxConnectionsTotal = value;
            return this;
        }

        /** See {@link DownloaderConfig#acceptEncoding()}. */
        public Builder acceptEncoding(String value) {
            Objects.requireNonNull(value, "acceptEncoding");
            once("acceptEncoding");
            this.acceptEncoding = value;
            return this;
        }

        /** See {@link DownloaderConfig#proxy()} ({@code proxy}); null for none. */
        public Builder proxy(@Nullable HttpProxy value) {
            once("proxy");
            this.proxy = value;
            return this;
        }

        /** See {@link DownloaderConfig#http2Enabled()} ({@code http2_enabled}). */
        public Builder http2Enabled(boolean value) {
            once("http2Enabled");
            this.http2Enabled = value;
            return this;
        }

        /** See {@link DownloaderConfig#denyPrivateAddresses()} ({@code deny_private_addresses}). */
        public Builder denyPrivateAddresses(boolean value) {
            once("denyPrivateAddresses");
            this.denyPrivateAddresses = value;
            return this;
        }

        /** The config with the options set so far; the builder may go on. */
        public DownloaderConfig build() {
            return new DownloaderConfig(
                    userAgent,
                    defaultHeaders,
                    timeout,
                    maxSize,
                    warnSize,
                    maxBytesInFlight,
                    cookiesEnabled,
                    maxConnectionsPerHost,
                    maxConnectionsTotal,
                    acceptEncoding,
                    proxy,
                    http2Enabled,
                    denyPrivateAddresses);
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        private static void positive(String option, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(option + " must be positive, got " + value);
            }
        }
    }
}
