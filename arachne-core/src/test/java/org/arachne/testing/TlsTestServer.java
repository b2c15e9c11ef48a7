package org.arachne.testing;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.ssl.SSLContexts;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPS server on 127.0.0.1 (Jetty) with three ports and the same routes on each: {@link
 * #h2Base()} offers {@code h2} and {@code http/1.1} through ALPN, {@link #http1Base()} speaks HTTPS
 * with HTTP/1.1 only (no ALPN), {@link #httpBase()} plain HTTP/1.1. Its certificate is the
 * self-signed one in {@code src/test/resources/tls/} ({@link #clientTrust()} trusts it). It counts
 * TLS connections and the requests in flight at once.
 *
 * <p>Routes: {@code /echo} (protocol, method, authority, request headers and body as text), {@code
 * /status/N} (that status), {@code /headers} ({@code X-Repeated: one} and {@code X-Repeated: two}),
 * {@code /bytes} ({@link #BYTES}), {@code /redirect} (302 to {@code /echo} with a cookie), {@code
 * /page/N} (an HTML page linking to {@code /page/2N} and {@code /page/2N+1} below 32), {@code
 * /gzip}, {@code /deflate-zlib}, {@code /deflate-raw} and {@code /br} ({@link #PAGE} encoded),
 * {@code /bad-gzip} and {@code /bad-br} (not encoded as they say), {@code /bomb-gzip} (8 MiB of
 * zeros) and {@code /bomb-br} (64 MiB), {@code /big} (2 MiB), {@code /big-length} (declares 50 MB),
 * {@code /big-stream} (2 MiB in chunks, no length), {@code /drip} (100 bytes, one per 100 ms),
 * {@code /slow?ms=N} (answers after N ms), {@code /reset} (declares 10,000 bytes, sends 100, then
 * aborts: the connection closes on HTTP/1.1, the stream is reset on HTTP/2), {@code /together?n=N}
 * (answers when N requests are in flight, or after 5 s). The brotli routes answer 404 where
 * brotli4j does not load.
 */
public final class TlsTestServer implements AutoCloseable {
    /** The body of {@code /gzip} and {@code /br}, decoded. */
    public static final byte[] PAGE =
            "<html><body>h2 中文 and café</body></html>".repeat(200).getBytes(StandardCharsets.UTF_8);

    /** The body of {@code /bytes}: every byte value, four times. */
    public static final byte[] BYTES = allByteValues();

    private static final String PASSWORD = "arachne";
    private static @Nullable TlsTestServer shared;

    private final Server server;
    private final ServerConnector h2;
    private final ServerConnector http1;
    private final ServerConnector plain;
    private final ScheduledExecutorService drips =
            Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "tls-test-server-timers");
                        thread.setDaemon(true); // the shared server is never closed
                        return thread;
                    });
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Runnable> together = new ArrayList<>();
    private final byte[] gzipPage;
    private final byte[] gzipBomb;
    private final byte[] deflateZlibPage;
    private final byte[] deflateRawPage;
    private final byte @Nullable [] brPage;
    private final byte @Nullable [] brBomb;

    private TlsTestServer() throws Exception {
        gzipPage = gzip(PAGE);
        gzipBomb = gzip(new byte[8 << 20]);
        deflateZlibPage = deflate(PAGE, false);
        deflateRawPage = deflate(PAGE, true);
        boolean brotli = Brotli4jLoader.isAvailable();
        brPage = brotli ? Encoder.compress(PAGE) : null;
        brBomb =
                brotli
                        ? Encoder.compress(
                                new byte[64 << 20], new Encoder.Parameters().setQuality(5))
                        : null;

        QueuedThreadPool threads = new QueuedThreadPool(64);
        threads.setName("tls-test-server");
        threads.setDaemon(true);
        server = new Server(threads);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keystore().toString());
        tls.setKeyStorePassword(PASSWORD);
        tls.setKeyStoreType("PKCS12");
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR);

        HttpConfiguration config = new HttpConfiguration();
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        h2 =
                new ServerConnector(
                        server,
                        new SslConnectionFactory(tls, alpn.getProtocol()),
                        alpn,
                        http2,
                        http11);
        http1 =
                new ServerConnector(
                        server,
                        new SslConnectionFactory(tls, http11.getProtocol()),
                        new HttpConnectionFactory(config));
        plain = new ServerConnector(server, new HttpConnectionFactory(config));
        for (ServerConnector connector : new ServerConnector[] {h2, http1, plain}) {
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connector.addEventListener(
                    new Connection.Listener() {
                        @Override
                        public void onOpened(Connection connection) {
                            if (connection instanceof SslConnection) {
                                connections.incrementAndGet();
                            }
                        }
                    });
            server.addConnector(connector);
        }
        server.setHandler(new Routes());
    }

    /** Starts a server on two free ports of 127.0.0.1. */
    public static TlsTestServer start() throws Exception {
        TlsTestServer result = new TlsTestServer();
        result.server.start();
        return result;
    }

    /**
     * One server for the whole test run, started on first use and stopped when the JVM exits, for
     * tests that do not read its counters.
     */
    public static synchronized TlsTestServer shared() throws Exception {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** A TLS context that trusts this server's certificate (and nothing else). */
    public static SSLContext clientTrust() throws Exception {
        return SSLContexts.custom()
                .loadTrustMaterial(keystore().toFile(), PASSWORD.toCharArray())
                .build();
    }

    private static Path keystore() throws URISyntaxException {
        return Path.of(
                Objects.requireNonNull(TlsTestServer.class.getResource("/tls/localhost.p12"))
                        .toURI());
    }

    /** {@code https://127.0.0.1:PORT} of the port that offers HTTP/2. */
    public String h2Base() {
        return "https://127.0.0.1:" + h2.getLocalPort();
    }

    /** The port that offers HTTP/2. */
    public int h2Port() {
        return h2.getLocalPort();
    }

    /** {@code https://127.0.0.1:PORT} of the port that speaks HTTP/1.1 only. */
    public String http1Base() {
        return "https://127.0.0.1:" + http1.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} of the plain HTTP/1.1 port. */
    public String httpBase() {
        return "http://127.0.0.1:" + plain.getLocalPort();
    }

    /** TLS connections accepted so far, on both TLS ports. */
    public int connections() {
        return connections.get();
    }

    /** The most requests that were in flight at once so far. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Sets the counters to zero. */
    public void resetCounts() {
        connections.set(0);
        maxInFlight.set(0);
    }

    @Override
    public void close() throws Exception {
        drips.shutdownNow();
        server.stop();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Deflate with the zlib wrapper (RFC 1950, as the RFC says) or raw (as some servers send). */
    private static byte[] deflate(byte[] bytes, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream deflater = new DeflaterOutputStream(out, new Deflater(6, raw))) {
            deflater.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] allByteValues() {
        byte[] bytes = new byte[4 * 256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Callback done = Callback.from(callback, inFlight::decrementAndGet);
            try {
                route(request, response, done);
            } catch (RuntimeException e) {
                done.failed(e);
            }
            return true;
        }

        private void route(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.startsWith("/page/")) {
                int n = Integer.parseInt(path.substring("/page/".length()));
                StringBuilder html =
                        new StringBuilder("<html><head><title>page " + n + "</title></head><body>");
                if (n < 16) {
                    html.append("<a href=\"/page/").append(2 * n).append("\">left</a>");
                    html.append("<a href=\"/page/").append(2 * n + 1).append("\">right</a>");
                }
                send(response, callback, "text/html; charset=utf-8", null, html + "</body></html>");
                return;
            }
            if (path.startsWith("/status/")) {
                response.setStatus(Integer.parseInt(path.substring("/status/".length())));
                send(response, callback, "text/plain", null, "status");
                return;
            }
            switch (path) {
                case "/echo" -> {
                    StringBuilder text =
                            new StringBuilder(request.getConnectionMetaData().getProtocol())
                                    .append('\n')
                                    .append(request.getMethod())
                                    .append("\nauthority: ")
                                    .append(request.getHttpURI().getAuthority())
                                    .append('\n');
                    for (HttpField field : request.getHeaders()) {
                        text.append(field.getName()).append(": ").append(field.getValue());
                        text.append('\n');
                    }
                    try {
                        text.append('\n').append(Content.Source.asString(request));
                    } catch (IOException e) {
                        callback.failed(e);
                        return;
                    }
                    send(response, callback, "text/plain; charset=utf-8", null, text.toString());
                }
                case "/headers" -> {
                    response.getHeaders().add("X-Repeated", "one");
                    response.getHeaders().add("X-Repeated", "two");
                    send(response, callback, "text/plain", null, "headers");
                }
                case "/bytes" -> send(response, callback, "application/octet-stream", null, BYTES);
                case "/redirect" -> {
                    response.setStatus(302);
                    response.getHeaders().put(HttpHeader.LOCATION, "/echo");
                    response.getHeaders().add(HttpHeader.SET_COOKIE, "session=abc123; Path=/");
                    callback.succeeded();
                }
                case "/gzip" -> send(response, callback, "text/html", "gzip", gzipPage);
                case "/deflate-zlib" ->
                        send(response, callback, "text/html", "deflate", deflateZlibPage);
                case "/deflate-raw" ->
                        send(response, callback, "text/html", "deflate", deflateRawPage);
                case "/bad-gzip" -> send(response, callback, "text/html", "gzip", PAGE);
                case "/bomb-gzip" -> send(response, callback, "text/html", "gzip", gzipBomb);
                case "/br" -> sendBrotli(response, callback, brPage);
                case "/bomb-br" -> sendBrotli(response, callback, brBomb);
                case "/bad-br" -> sendBrotli(response, callback, brPage == null ? null : PAGE);
                case "/big" ->
                        send(
                                response,
                                callback,
                                "application/octet-stream",
                                null,
                                new byte[2 << 20]);
                case "/big-length" -> {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 50_000_000L);
                    response.write(false, ByteBuffer.wrap(new byte[1000]), Callback.NOOP);
                }
                case "/big-stream" -> stream(response, callback, 32);
                case "/slow" -> {
                    long ms = Long.parseLong(request.getHttpURI().getQuery().substring(3));
                    drips.schedule(
                            () -> send(response, callback, "text/plain", null, "slow"),
                            ms,
                            TimeUnit.MILLISECONDS);
                }
                case "/reset" -> {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 10_000L);
                    response.write(
                            false,
                            ByteBuffer.wrap(new byte[100]),
                            Callback.from(
                                    () -> callback.failed(new IOException("aborted by the test")),
                                    callback::failed));
                }
                case "/drip" -> {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100L);
                    drip(response, callback, 100);
                }
                case "/together" -> {
                    int n = Integer.parseInt(request.getHttpURI().getQuery().substring(2));
                    boolean all;
                    synchronized (together) {
                        together.add(
                                () -> send(response, callback, "text/plain", null, "together"));
                        all = together.size() >= n;
                    }
                    if (all) {
                        answerTogether();
                    } else {
                        drips.schedule(this::answerTogether, 5, TimeUnit.SECONDS);
                    }
                }
                default -> {
                    response.setStatus(404);
                    callback.succeeded();
                }
            }
        }

        /** Answers every {@code /together} request waiting, without holding a server thread. */
        private void answerTogether() {
            List<Runnable> answers;
            synchronized (together) {
                answers = new ArrayList<>(together);
                together.clear();
            }
            answers.forEach(Runnable::run);
        }

        private void drip(Response response, Callback callback, int left) {
            if (left == 0) {
                response.write(true, ByteBuffer.allocate(0), callback);
                return;
            }
            response.write(
                    false,
                    ByteBuffer.wrap(new byte[] {'x'}),
                    Callback.from(
                            () ->
                                    drips.schedule(
                                            () -> drip(response, callback, left - 1),
                                            100,
                                            TimeUnit.MILLISECONDS),
                            callback::failed));
        }

        /** {@code left} chunks of 64 KiB, each written when the one before has gone. */
        private void stream(Response response, Callback callback, int left) {
            if (left == 0) {
                response.write(true, ByteBuffer.allocate(0), callback);
                return;
            }
            response.write(
                    false,
                    ByteBuffer.wrap(new byte[64 * 1024]),
                    Callback.from(() -> stream(response, callback, left - 1), callback::failed));
        }

        private static void sendBrotli(
                Response response, Callback callback, byte @Nullable [] body) {
            if (body == null) {
                response.setStatus(404);
                callback.succeeded();
                return;
            }
            send(response, callback, "text/html", "br", body);
        }

        private static void send(
                Response response,
                Callback callback,
                String contentType,
                @Nullable String encoding,
                String text) {
            send(response, callback, contentType, encoding, text.getBytes(StandardCharsets.UTF_8));
        }

        private static void send(
                Response response,
                Callback callback,
                String contentType,
                @Nullable String encoding,
                byte[] body) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            if (encoding != null) {
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, encoding);
            }
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
