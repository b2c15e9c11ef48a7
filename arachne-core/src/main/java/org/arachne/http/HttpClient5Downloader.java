package org.arachne.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.cookie.StandardCookieSpec;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpStreamResetException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.nio.support.classic.TransportException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.H2ConnectionException;
import org.apache.hc.core5.http2.H2CorruptFrameException;
import org.apache.hc.core5.http2.impl.nio.ProtocolNegotiationException;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;
import org.arachne.internal.ControlChars;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Downloader} on Apache HttpClient 5's classic (blocking) API, meant to be called from one
 * virtual thread per request. Chosen over the JDK client for speed and for its pluggable DNS
 * resolver: see {@code docs/decisions/0001-http-client.md}.
 *
 * <p>Each exchange runs under one deadline of {@link DownloaderConfig#timeout()} from asking the
 * pool for a connection to the last body byte; when it passes, the exchange is aborted (its
 * connection closed) and the call fails with {@link DownloadException.Kind#TIMEOUT}. Redirects are
 * returned, not followed. Bodies are decompressed here, not by HttpClient, so that the size cap
 * counts decoded bytes; the {@code Content-Encoding} and {@code Content-Length} of a decoded body
 * are removed from the response headers. A request's meta {@link #MAXSIZE_META} is its own size
 * cap, and with meta {@link #TRUNCATE_META} a longer body is cut at the cap instead of failing. The
 * bodies being read hold at most {@link DownloaderConfig#maxBytesInFlight()} bytes in all ({@link
 * BodyBudget}). A request whose pooled connection the server had already closed is sent again at
 * once on a new one, which is no retry ({@link StaleConnections}).
 *
 * <p>Proxies: {@link DownloaderConfig#proxy()}, or per request the meta {@code proxy} (a proxy URL,
 * {@code ""} for none). Plain http URLs go to the proxy in absolute form with a preemptive {@code
 * Proxy-Authorization: Basic}; https URLs go through an HTTP CONNECT tunnel, whose credentials are
 * sent when the proxy asks (407). An invalid meta {@code proxy} fails the request as {@link
 * DownloadException.Kind#REFUSED}.
 *
 * <p>HTTP/2: with {@link DownloaderConfig#http2Enabled()}, https URLs reached directly go through
 * HttpClient's async client, which offers {@code h2} through ALPN and falls back to HTTP/1.1 when
 * the server does not pick it; plain http (the common case, kept on the faster classic client) and
 * proxied requests use HTTP/1.1. Both paths share the {@link HostResolver}, cookies, limits, TLS
 * trust, the deadline and the body reader. {@link Response#protocol()} tells which version was
 * used. See {@code docs/decisions/0002-http2.md}.
 *
 * <p>Thread-safety: safe for concurrent use. Lifecycle: {@link #close()} closes the pools; calls
 * after it fail.
 */
public final class HttpClient5Downloader implements Downloader {
    private static final Logger LOG = LoggerFactory.getLogger(HttpClient5Downloader.class);

    /** Meta key: the proxy URL of one request, {@code ""} for none; overrides the config. */
    public static final String PROXY_META = "proxy";

    /**
     * Meta key: the largest body of one request, in bytes (a positive whole number), instead of
     * {@link DownloaderConfig#maxSize()}, above or below it; Scrapy's {@code download_maxsize}
     * meta. Redirects and retries of the request keep it, as they keep all meta.
     */
    public static final String MAXSIZE_META = "download_maxsize";

    /**
     * Meta key: {@code true} to cut a body over the request's largest size there instead of failing
     * the request: the response holds the first bytes (decoded) and says {@link
     * Response#truncated()}; the rest is not read. The robots.txt stage asks it, as RFC 9309 asks
     * to parse at least the first 500 KiB of a larger file rather than none.
     */
    public static final String TRUNCATE_META = "download_truncate";

    private static final String PROXY_ATTRIBUTE = "arachne.proxy";

    private final DownloaderConfig config;
    private final CrawlDnsResolver dns;
    private final CloseableHttpClient client;
    private final StaleConnections stale;
    private final BodyBudget bodies;
    private final @Nullable AlpnClient alpn;
    private final AtomicBoolean proxiedHttpsLogged = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor deadlines;

    /**
     * A downloader with a resolver of its own and no {@code dns_overrides}, that accepts the server
     * certificates the JDK's default trust store accepts (as HttpClient does by default), on both
     * HTTP/1.1 and HTTP/2.
     */
    public HttpClient5Downloader(DownloaderConfig config) {
        this(config, new HostResolver(Map.of()));
    }

    /**
     * A downloader that resolves host names through {@code hosts} (the crawl's resolver, with its
     * {@code dns_overrides} and cache), with the JDK's default trust store.
     */
    public HttpClient5Downloader(DownloaderConfig config, HostResolver hosts) {
        this(config, hosts, SSLContexts.createDefault());
    }

    /**
     * A downloader whose https connections, HTTP/1.1 and HTTP/2 alike, accept the server
     * certificates that {@code tls} trusts (a private CA, a test's self-signed certificate); host
     * names are verified against the certificate in every case.
     */
    public HttpClient5Downloader(DownloaderConfig config, HostResolver hosts, SSLContext tls) {
        this.config = config;
        Timeout timeout = Timeout.of(config.timeout());
        this.dns = new CrawlDnsResolver(hosts, config.denyPrivateAddresses());
        DefaultClientTlsStrategy tlsStrategy = new DefaultClientTlsStrategy(tls);
        this.stale = new StaleConnections(config.maxConnectionsPerHost());
        this.bodies = new BodyBudget(config.maxBytesInFlight(), config.maxConnectionsTotal());
        PoolingHttpClientConnectionManager pool =
                PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(config.maxConnectionsTotal())
                        .setMaxConnPerRoute(config.maxConnectionsPerHost())
                        .setDnsResolver(dns)
                        .setTlsSocketStrategy(tlsStrategy)
                        .setConnectionFactory(
                                ManagedHttpClientConnectionFactory.builder()
                                        .http1Config(ResponseHeadParser.LIMITS)
                                        .responseParserFactory(ResponseHeadParser.factory())
                                        .build())
                        .setConnectionConfigResolver(
                                stale.connectionConfigs(
                                        ConnectionConfig.custom()
                                                .setConnectTimeout(timeout)
                                                .setSocketTimeout(timeout)
                                                .build()))
                        .build();
        HttpClientBuilder builder =
                HttpClients.custom()
                        .setConnectionManager(pool)
                        .setDefaultRequestConfig(requestConfig(timeout))
                        .setRoutePlanner(new ProxyRoutePlanner())
                        .disableRedirectHandling()
                        .disableContentCompression()
                        .setRetryStrategy(stale)
                        .setUserAgent(config.userAgent());
        CookieStore cookies = config.cookiesEnabled() ? new BasicCookieStore() : null;
        if (cookies != null) {
            builder.setDefaultCookieStore(cookies);
        } else {
            builder.disableCookieManagement();
        }
        this.client = builder.build();
        this.alpn =
                config.http2Enabled() ? new AlpnClient(config, dns, tlsStrategy, cookies) : null;
        this.deadlines =
                new ScheduledThreadPoolExecutor(
                        1,
                        runnable -> {
                            Thread thread = new Thread(runnable, "arachne-download-deadlines");
                            thread.setDaemon(true);
                            return thread;
                        });
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /** The request settings both clients share: the pool wait and lenient cookie parsing. */
    static RequestConfig requestConfig(Timeout timeout) {
        return RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setCookieSpec(StandardCookieSpec.RELAXED)
                .build();
    }

    /**
     * How many requests were sent again at once, on a new connection, because the server had closed
     * the pooled connection they were first sent on (see {@link StaleConnections}); such resends
     * are not retries of the crawl.
     */
    public long staleConnectionResends() {
        return stale.resends();
    }

    /**
     * Bytes held now by the bodies being read, out of {@link DownloaderConfig#maxBytesInFlight()}
     * (see {@link BodyBudget}).
     */
    public long bodyBytesInFlight() {
        return bodies.reserved();
    }

    /** The most bytes the bodies being read held at once since this downloader was made. */
    public long bodyBytesInFlightPeak() {
        return bodies.peak();
    }

    /** The configuration this downloader was built with. */
    public DownloaderConfig config() {
        return config;
    }

    @Override
    public Response fetch(Request request) throws DownloadException, InterruptedException {
        String url = request.url();
        long maxSize = maxSize(request);
        HttpUriRequestBase message = toMessage(request);
        HttpClientContext context = proxyContext(request, message);
        AtomicBoolean timedOut = new AtomicBoolean();
        long start = System.nanoTime();
        ScheduledFuture<?> deadline =
                deadlines.schedule(
                        () -> {
                            timedOut.set(true);
                            message.cancel();
                        },
                        config.timeout().toNanos(),
                        TimeUnit.NANOSECONDS);
        try (ClassicHttpResponse response =
                clientFor(url, context).executeOpen(null, message, context)) {
            try {
                Response result = toResponse(request, response, start, maxSize);
                if (timedOut.get()) {
                    // a cancelled HTTP/2 stream may end the body early instead of failing the read
                    throw new DownloadException(
                            DownloadException.Kind.TIMEOUT, url, "no complete response in time");
                }
                if (result.truncated()) {
                    message.cancel(); // the rest of the body is not wanted: drop the connection
                }
                return result;
            } catch (IOException | DownloadException | InterruptedException | RuntimeException e) {
                // closing would drain the rest of the body first (a bomb, a drip): drop it instead
                message.cancel();
                throw e;
            }
        } catch (IOException e) {
            throw failure(url, e, timedOut.get());
        } catch (IllegalStateException e) {
            throw new DownloadException(DownloadException.Kind.OTHER, url, e.getMessage(), e);
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * The async client, which offers HTTP/2 through ALPN, for https URLs reached directly; the
     * classic client (HTTP/1.1) for plain http and for anything through a proxy.
     */
    private CloseableHttpClient clientFor(String url, HttpClientContext context) {
        if (alpn == null || !url.regionMatches(true, 0, "https:", 0, 6)) {
            return client;
        }
        if (context.getAttribute(PROXY_ATTRIBUTE) != null) {
            if (proxiedHttpsLogged.compareAndSet(false, true)) {
                LOG.info(
                        "https through a proxy uses HTTP/1.1 (HTTP/2 is offered to servers reached directly): {}",
                        Urls.redacted(url));
            }
            return client;
        }
        return alpn.client();
    }

    /** A context that routes the request through its proxy, if it has one. */
    private HttpClientContext proxyContext(Request request, HttpUriRequestBase message)
            throws DownloadException {
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(StaleConnections.URL_ATTRIBUTE, request.url());
        HttpProxy proxy = config.proxy();
        if (request.meta(PROXY_META) != null) {
            try {
                proxy = HttpProxy.parse(String.valueOf(request.meta(PROXY_META)));
            } catch (IllegalArgumentException e) {
                throw new DownloadException(
                        DownloadException.Kind.REFUSED, request.url(), e.getMessage());
            }
        }
        if (proxy == null) {
            return context;
        }
        dns.allowProxy(proxy.host());
        context.setAttribute(PROXY_ATTRIBUTE, new HttpHost("http", proxy.host(), proxy.port()));
        String authorization = proxy.authorization();
        if (authorization != null && proxy.user() != null && proxy.password() != null) {
            if (request.url().regionMatches(true, 0, "https:", 0, 6)) {
                // through a tunnel the header would reach the target: answer the CONNECT's 407
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(
                        new AuthScope(proxy.host(), proxy.port()),
                        new UsernamePasswordCredentials(
                                proxy.user(), proxy.password().toCharArray()));
                context.setCredentialsProvider(credentials);
            } else {
                message.setHeader("Proxy-Authorization", authorization);
            }
        }
        return context;
    }

    private HttpUriRequestBase toMessage(Request request) {
        HttpUriRequestBase message =
                new HttpUriRequestBase(request.method(), URI.create(request.url()));
        Headers headers =
                request.headers()
                        .withDefaults(config.defaultHeaders())
                        .withDefault("Accept-Encoding", config.acceptEncoding());
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            // HttpClient writes the framing headers itself and rejects requests that carry them
            if (!name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Transfer-Encoding")) {
                message.addHeader(name, headers.value(i));
            }
        }
        if (!request.body().isEmpty()) {
            message.setEntity(new ByteArrayEntity(request.body().unsafeBytes(), null));
        }
        return message;
    }

    /**
     * The largest body of the request: its meta {@link #MAXSIZE_META}, else the config's.
     *
     * @throws DownloadException {@code REFUSED} when the meta is not a positive whole number
     */
    private long maxSize(Request request) throws DownloadException {
        Object meta = request.meta(MAXSIZE_META);
        if (meta == null) {
            return config.maxSize();
        }
        if (meta instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        throw new DownloadException(
                DownloadException.Kind.REFUSED,
                request.url(),
                "meta "
                        + MAXSIZE_META
                        + " must be a positive whole number of bytes, got "
                        + ControlChars.escape(String.valueOf(meta)));
    }

    private Response toResponse(
            Request request, ClassicHttpResponse response, long start, long maxSize)
            throws IOException, DownloadException, InterruptedException {
        String url = request.url();
        String encoding = header(response, "Content-Encoding");
        boolean decode = encoding != null && BodyReader.canDecode(encoding);
        boolean truncate = Boolean.TRUE.equals(request.meta(TRUNCATE_META));
        long declared = contentLength(response, url);
        if (declared > maxSize && !truncate) {
            throw new DownloadException(
                    DownloadException.Kind.TOO_LARGE,
                    url,
                    "Content-Length "
                            + declared
                            + " is over "
                            + maxSizeName(request)
                            + " of "
                            + maxSize
                            + " bytes");
        }
        HttpEntity entity = response.getEntity();
        BodyReader.Read read = new BodyReader.Read(new byte[0], false);
        if (entity != null) {
            try (BodyBudget.Claim claim = bodies.claim(url, start + config.timeout().toNanos())) {
                read =
                        BodyReader.read(
                                entity.getContent(),
                                encoding,
                                entity.getContentLength(),
                                maxSize,
                                truncate,
                                url,
                                claim);
            }
        }
        byte[] bytes = read.bytes();
        if (read.truncated()) {
            LOG.debug(
                    "body cut at {} of {} bytes, as meta {} asks: {}",
                    maxSizeName(request),
                    maxSize,
                    TRUNCATE_META,
                    Urls.redacted(url));
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        if (config.warnSize() > 0 && bytes.length > config.warnSize()) {
            LOG.warn(
                    "body of {} bytes is over download_warnsize of {} bytes: {}",
                    bytes.length,
                    config.warnSize(),
                    Urls.redacted(url));
        }
        List<String> fields = new ArrayList<>(response.getHeaders().length * 2);
        for (Header header : response.getHeaders()) {
            boolean length = header.getName().equalsIgnoreCase("Content-Length");
            if ((decode && (length || header.getName().equalsIgnoreCase("Content-Encoding")))
                    || (read.truncated() && length)) {
                continue;
            }
            fields.add(header.getName());
            fields.add(header.getValue());
        }
        return new Response(
                request,
                url,
                response.getCode(),
                Headers.of(fields.toArray(String[]::new)),
                Body.wrap(bytes),
                latency,
                protocol(response.getVersion()),
                read.truncated());
    }

    /** How the largest size of this request is named in messages: the meta's, or the setting. */
    private static String maxSizeName(Request request) {
        return request.meta(MAXSIZE_META) != null ? "meta " + MAXSIZE_META : "download_maxsize";
    }

    /** {@code HTTP/2} (not HttpClient's {@code HTTP/2.0}), {@code HTTP/1.1}, {@code HTTP/1.0}. */
    private static String protocol(@Nullable ProtocolVersion version) {
        if (version == null || version.getMajor() == 1 && version.getMinor() == 1) {
            return "HTTP/1.1";
        }
        return version.getMajor() >= 2
                ? "HTTP/" + version.getMajor()
                : "HTTP/" + version.getMajor() + "." + version.getMinor();
    }

    private static @Nullable String header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static long contentLength(ClassicHttpResponse response, String url) {
        String value = header(response, "Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            // HttpClient itself rejects a malformed Content-Length when it reads the body
            LOG.debug(
                    "ignoring malformed Content-Length '{}' of {}",
                    ControlChars.escape(value),
                    Urls.redacted(url));
            return -1;
        }
    }

    private static DownloadException failure(String url, IOException failure, boolean timedOut)
            throws InterruptedException {
        if (timedOut) {
            return new DownloadException(
                    DownloadException.Kind.TIMEOUT, url, "no complete response in time", failure);
        }
        if (Thread.interrupted()) {
            InterruptedException interrupted =
                    new InterruptedException("download interrupted: " + url);
            interrupted.initCause(failure);
            throw interrupted;
        }
        IOException e = failure;
        // the async client's failures reach the classic API wrapped in a TransportException
        while (e instanceof TransportException && e.getCause() instanceof IOException cause) {
            e = cause;
        }
        DownloadException.Kind kind;
        if (e instanceof SocketTimeoutException) {
            kind = DownloadException.Kind.TIMEOUT;
        } else if (e instanceof CrawlDnsResolver.PrivateAddressRefused) {
            kind = DownloadException.Kind.REFUSED;
        } else if (e instanceof UnknownHostException) {
            kind = DownloadException.Kind.DNS;
        } else if (e instanceof ConnectException
                || e instanceof NoRouteToHostException
                || e instanceof SSLException) {
            kind = DownloadException.Kind.CONNECT;
        } else if (e instanceof ConnectionClosedException
                || e instanceof NoHttpResponseException
                || e instanceof HttpStreamResetException
                || e instanceof SocketException
                || e instanceof EOFException) {
            kind = DownloadException.Kind.CONNECTION_RESET;
        } else if (e instanceof ClientProtocolException
                || e instanceof MalformedChunkCodingException
                || e instanceof MessageConstraintException
                || e instanceof H2ConnectionException
                || e instanceof H2CorruptFrameException
                || e instanceof ProtocolNegotiationException) {
            kind = DownloadException.Kind.PROTOCOL;
        } else if (e instanceof InterruptedIOException) {
            kind = DownloadException.Kind.TIMEOUT;
        } else {
            kind = DownloadException.Kind.OTHER;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof MessageConstraintException) {
            message =
                    "response head refused ("
                            + message
                            + "; at most "
                            + ResponseHeadParser.MAX_HEADER_COUNT
                            + " fields, lines of "
                            + ResponseHeadParser.MAX_LINE_LENGTH
                            + " bytes, "
                            + ResponseHeadParser.MAX_HEAD_BYTES
                            + " bytes in all)";
        }
        return new DownloadException(kind, url, message, e);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
        if (alpn != null) {
            alpn.close();
        }
    }

    /** Routes a request through the proxy its context names, directly without one. */
    private static final class ProxyRoutePlanner extends DefaultRoutePlanner {
        ProxyRoutePlanner() {
            super(DefaultSchemePortResolver.INSTANCE);
        }

        @Override
        protected @Nullable HttpHost determineProxy(HttpHost target, HttpContext context) {
            return context.getAttribute(PROXY_ATTRIBUTE) instanceof HttpHost proxy ? proxy : null;
        }
    }
}
