package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arachne.testing.SuppressForbidden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@SuppressForbidden(
        reason =
                "com.sun.net.httpserver is the JDK's supported, exported HTTP server (module"
                        + " jdk.httpserver); a plain local server keeps this test independent of"
                        + " arachne-sandbox")
class HttpClient5DownloaderIT {
    private static final byte[] PAGE =
            "<html><body>中文 and café</body></html>".repeat(50).getBytes(StandardCharsets.UTF_8);
    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static String base;
    private static int port;

    private HttpClient5Downloader downloader;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(serverThreads);
        server.createContext("/echo", HttpClient5DownloaderIT::echo);
        server.createContext("/gzip", e -> send(e, 200, BodyReaderTest.gzip(PAGE), "gzip"));
        server.createContext(
                "/deflate-zlib", e -> send(e, 200, BodyReaderTest.deflate(PAGE, false), "deflate"));
        server.createContext(
                "/deflate-raw", e -> send(e, 200, BodyReaderTest.deflate(PAGE, true), "deflate"));
        server.createContext("/bad-gzip", e -> send(e, 200, PAGE, "gzip"));
        server.createContext(
                "/bomb", e -> send(e, 200, BodyReaderTest.gzip(new byte[8 << 20]), "gzip"));
        server.createContext("/big-length", HttpClient5DownloaderIT::bigLength);
        server.createContext("/big-chunked", HttpClient5DownloaderIT::bigChunked);
        server.createContext("/drip", HttpClient5DownloaderIT::drip);
        server.createContext("/premature-close", HttpClient5DownloaderIT::prematureClose);
        server.createContext("/redirect", HttpClient5DownloaderIT::redirect);
        server.start();
        port = server.getAddress().getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @AfterEach
    void closeDownloader() {
        if (downloader != null) {
            downloader.close();
        }
    }

    private HttpClient5Downloader downloader(DownloaderConfig config) {
        downloader = new HttpClient5Downloader(config);
        return downloader;
    }

    private HttpClient5Downloader downloader() {
        return downloader(DownloaderConfig.defaults().withTimeout(Duration.ofSeconds(10)));
    }

    // --- server routes --------------------------------------------------------------------

    private static void echo(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(exchange.getRequestMethod()).append('\n');
        exchange.getRequestHeaders()
                .forEach(
                        (name, values) ->
                                values.forEach(
                                        v ->
                                                text.append(name)
                                                        .append(": ")
                                                        .append(v)
                                                        .append('\n')));
        text.append('\n')
                .append(
                        new String(
                                exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        send(exchange, 200, body, null);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String encoding)
            throws IOException {
        if (encoding != null) {
            exchange.getResponseHeaders().add("Content-Encoding", encoding);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void bigLength(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 50_000_000);
        exchange.getResponseBody().write(new byte[1000]);
        exchange.getResponseBody().flush();
        exchange.close();
    }

    private static void bigChunked(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0); // chunked, no Content-Length
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 100; i++) {
                out.write(new byte[64 * 1024]);
            }
        }
    }

    /** 100 bytes, one every 100 ms: ten seconds for the whole body. */
    private static void drip(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 100);
        CountDownLatch never = new CountDownLatch(1);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 100; i++) {
                out.write('x');
                out.flush();
                never.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void prematureClose(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 10_000);
        exchange.getResponseBody().write(new byte[100]);
        exchange.getResponseBody().flush();
        // closing before 10,000 bytes were written makes the server drop the connection
        exchange.close();
    }

    private static void redirect(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Location", "/echo");
        exchange.getResponseHeaders().add("Set-Cookie", "session=abc123; Path=/");
        send(exchange, 302, new byte[0], null);
    }

    private static String echoed(Response response) {
        return response.body().decode(StandardCharsets.UTF_8);
    }

    private static DownloadException.Kind failureKind(Downloader downloader, String url) {
        try {
            Response response = downloader.fetch(Request.get(url));
            throw new AssertionError("expected a failure, got " + response);
        } catch (DownloadException e) {
            assertThat(e.url()).isEqualTo(url);
            return e.kind();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // --- tests ----------------------------------------------------------------------------

    @Test
    void get_sendsUserAgentDefaultHeadersAndAcceptEncoding() throws Exception {
        HttpClient5Downloader downloader =
                downloader(
                        DownloaderConfig.defaults()
                                .withUserAgent("TestBot/1.0")
                                .withDefaultHeaders(Headers.of("X-Default", "d", "Accept", "a/b")));

        Response response =
                downloader.fetch(Request.get(base + "/echo").withHeader("Accept", "text/html"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.url()).isEqualTo(base + "/echo");
        assertThat(response.latency()).isPositive();
        assertThat(echoed(response))
                .startsWith("GET\n")
                .contains("User-agent: TestBot/1.0")
                .contains("X-default: d")
                .contains("Accept: text/html")
                .doesNotContain("a/b")
                .contains("Accept-encoding: gzip, deflate");
        assertThat(response.text()).contains("TestBot/1.0");
    }

    @Test
    void post_sendsMethodHeadersAndBody() throws Exception {
        Request post =
                Request.get(base + "/echo")
                        .withMethod("POST")
                        .withHeader("Content-Type", "application/x-www-form-urlencoded")
                        .withBody(Body.utf8("q=%E4%B8%AD&page=2"));

        Response response = downloader().fetch(post);

        assertThat(echoed(response))
                .startsWith("POST\n")
                .contains("Content-type: application/x-www-form-urlencoded")
                .contains("Content-length: 18")
                .endsWith("\nq=%E4%B8%AD&page=2");
    }

    @Test
    void head_returnsHeadersWithoutBody() throws Exception {
        Response response = downloader().fetch(Request.get(base + "/echo").withMethod("HEAD"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().first("Content-Length")).isNotNull();
        assertThat(response.body().isEmpty()).isTrue();
    }

    @Test
    void gzipAndDeflate_areDecoded() throws Exception {
        HttpClient5Downloader downloader = downloader();
        for (String path : List.of("/gzip", "/deflate-zlib", "/deflate-raw")) {
            Response response = downloader.fetch(Request.get(base + path));

            assertThat(response.body().toByteArray()).as(path).isEqualTo(PAGE);
            assertThat(response.headers().contains("Content-Encoding")).isFalse();
        }
    }

    @Test
    void badGzip_badEncoding() {
        assertThat(failureKind(downloader(), base + "/bad-gzip"))
                .isEqualTo(DownloadException.Kind.BAD_ENCODING);
    }

    @Test
    void sizeCap_byContentLengthStreamAndBomb() {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withMaxSize(1 << 20, 0));

        assertThat(failureKind(downloader, base + "/big-length"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        assertThat(failureKind(downloader, base + "/big-chunked"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        assertThat(failureKind(downloader, base + "/bomb"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
    }

    @Test
    void slowDrip_timesOutAfterTheWholeExchangeTimeout() {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withTimeout(Duration.ofSeconds(1)));
        long start = System.nanoTime();

        DownloadException.Kind kind = failureKind(downloader, base + "/drip");

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(kind).isEqualTo(DownloadException.Kind.TIMEOUT);
        // every read is fast (a byte per 100 ms), so only the exchange deadline can stop it
        assertThat(elapsed).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
    }

    @Test
    void connectionRefused_connect() throws IOException {
        int closedPort;
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(failureKind(downloader(), "http://127.0.0.1:" + closedPort + "/"))
                .isEqualTo(DownloadException.Kind.CONNECT);
    }

    @Test
    void unknownHost_dns() {
        assertThat(failureKind(downloader(), "http://no-such-host.invalid/"))
                .isEqualTo(DownloadException.Kind.DNS);
    }

    @Test
    void prematureClose_connectionReset() {
        assertThat(failureKind(downloader(), base + "/premature-close"))
                .isEqualTo(DownloadException.Kind.CONNECTION_RESET);
    }

    @Test
    void tcpReset_connectionReset() throws Exception {
        try (ServerSocket listener =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Future<?> resetter =
                    serverThreads.submit(
                            () -> {
                                try (Socket socket = listener.accept()) {
                                    InputStream in = socket.getInputStream();
                                    in.read(new byte[1024]); // the request line at least
                                    socket.setSoLinger(true, 0); // close sends RST
                                }
                                return null;
                            });

            assertThat(
                            failureKind(
                                    downloader(),
                                    "http://127.0.0.1:" + listener.getLocalPort() + "/"))
                    .isEqualTo(DownloadException.Kind.CONNECTION_RESET);
            resetter.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void redirect_notFollowed_andItsCookieSentLater() throws Exception {
        HttpClient5Downloader downloader = downloader();

        Response redirect = downloader.fetch(Request.get(base + "/redirect"));
        Response next = downloader.fetch(Request.get(base + "/echo"));

        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().first("Location")).isEqualTo("/echo");
        assertThat(redirect.url()).isEqualTo(base + "/redirect");
        assertThat(echoed(next)).contains("Cookie: session=abc123");
    }

    @Test
    void cookiesDisabled_notSent() throws Exception {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withCookiesEnabled(false));

        downloader.fetch(Request.get(base + "/redirect"));
        Response next = downloader.fetch(Request.get(base + "/echo"));

        assertThat(echoed(next)).doesNotContain("session=abc123");
    }

    @Test
    void dnsOverrides_madeUpHostReachesServer() throws Exception {
        HttpClient5Downloader downloader =
                downloader(
                        DownloaderConfig.defaults()
                                .withDnsOverrides(Map.of("Books.Test", "127.0.0.1")));

        Response response = downloader.fetch(Request.get("http://books.test:" + port + "/echo"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(echoed(response)).contains("Host: books.test:" + port);
    }

    @Test
    void concurrentRequests_onVirtualThreads_allSucceed() throws Exception {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withConnections(16, 64));
        List<Future<Response>> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 64; i++) {
                String url = base + (i % 2 == 0 ? "/gzip" : "/echo?i=" + i);
                responses.add(threads.submit(() -> downloader.fetch(Request.get(url))));
            }
            for (Future<Response> response : responses) {
                assertThat(response.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
    }
}
