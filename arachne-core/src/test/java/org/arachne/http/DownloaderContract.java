package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arachne.testing.TlsTestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of {@link Downloader}: what every way of downloading (HTTP/1.1 on the classic
 * client, HTTP/2 through ALPN, a future client) must do the same. One subclass per path; each gives
 * a server base URL on {@link TlsTestServer#shared()} and builds its downloader. What only one path
 * does (ALPN fallback, multiplexing, a raw TCP reset) stays in that path's own test.
 */
@Timeout(30)
abstract class DownloaderContract {
    private @Nullable Downloader downloader;

    /** {@code scheme://127.0.0.1:port} of the server port this path talks to. */
    protected abstract String base() throws Exception;

    /** What {@link Response#protocol()} says on this path. */
    protected abstract String protocol();

    /**
     * A downloader taking this path, built from this config and resolving through {@code hosts}.
     */
    protected abstract Downloader create(DownloaderConfig config, HostResolver hosts)
            throws Exception;

    @AfterEach
    void closeDownloader() {
        if (downloader != null) {
            downloader.close();
        }
    }

    private Downloader downloader(DownloaderConfig config) throws Exception {
        return downloader(config, new HostResolver(Map.of()));
    }

    private Downloader downloader(DownloaderConfig config, HostResolver hosts) throws Exception {
        if (downloader != null) {
            downloader.close();
        }
        downloader = create(config, hosts);
        return downloader;
    }

    private Downloader downloader() throws Exception {
        return downloader(DownloaderConfig.builder().timeout(Duration.ofSeconds(10)).build());
    }

    /** The body as UTF-8 text. */
    static String text(Response response) {
        return response.body().decode(StandardCharsets.UTF_8);
    }

    /** The kind of the failure of a download that must fail, checking it names the URL. */
    static DownloadException.Kind failureKind(Downloader downloader, String url)
            throws InterruptedException {
        try {
            Response response = downloader.fetch(Request.get(url));
            throw new AssertionError("expected a failure, got " + response);
        } catch (DownloadException e) {
            assertThat(e.url()).isEqualTo(url);
            return e.kind();
        }
    }

    @Test
    void status_returnedWhateverItIs_withTheProtocolUsed() throws Exception {
        Downloader downloader = downloader();
        for (int status : List.of(200, 404, 418, 503)) {
            Response response = downloader.fetch(Request.get(base() + "/status/" + status));

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.protocol()).isEqualTo(protocol());
            assertThat(response.url()).isEqualTo(base() + "/status/" + status);
        }
    }

    @Test
    void get_sendsUserAgentDefaultHeadersAndAcceptEncoding() throws Exception {
        Downloader downloader =
                downloader(
                        DownloaderConfig.builder()
                                .userAgent("TestBot/1.0")
                                .defaultHeaders(Headers.of("X-Default", "d", "Accept", "a/b"))
                                .build());

        Response response =
                downloader.fetch(Request.get(base() + "/echo").withHeader("Accept", "text/html"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(text(response))
                .containsIgnoringCase("\nGET\n")
                .containsIgnoringCase("user-agent: TestBot/1.0")
                .containsIgnoringCase("x-default: d")
                .containsIgnoringCase("accept: text/html")
                .doesNotContain("a/b")
                .containsIgnoringCase("accept-encoding: " + BodyReader.acceptEncoding());
    }

    @Test
    void headers_repeatedFieldsKeptBothWays() throws Exception {
        Downloader downloader = downloader();

        Response response = downloader.fetch(Request.get(base() + "/headers"));
        Response echo =
                downloader.fetch(
                        Request.get(base() + "/echo")
                                .withHeaders(Headers.of("X-Mine", "a", "X-Mine", "b")));

        assertThat(response.headers().all("X-Repeated")).containsExactly("one", "two");
        assertThat(text(echo))
                .containsIgnoringCase("x-mine: a\n")
                .containsIgnoringCase("x-mine: b\n");
    }

    @Test
    void body_bytesAsSent() throws Exception {
        Response response = downloader().fetch(Request.get(base() + "/bytes"));

        assertThat(response.body().toByteArray()).isEqualTo(TlsTestServer.BYTES);
    }

    @Test
    void head_headersWithoutBody() throws Exception {
        Response response = downloader().fetch(Request.get(base() + "/echo").withMethod("HEAD"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.body().isEmpty()).isTrue();
    }

    @Test
    void post_sendsMethodHeadersAndBody() throws Exception {
        Request post =
                Request.get(base() + "/echo")
                        .withMethod("POST")
                        .withHeader("Content-Type", "application/x-www-form-urlencoded")
                        .withBody(Body.utf8("q=%E4%B8%AD&page=2"));

        Response response = downloader().fetch(post);

        assertThat(text(response))
                .contains("\nPOST\n")
                .containsIgnoringCase("content-type: application/x-www-form-urlencoded")
                .endsWith("\nq=%E4%B8%AD&page=2");
    }

    @Test
    void redirect_returnedNotFollowed_andItsCookieSentLater() throws Exception {
        Downloader downloader = downloader();

        Response redirect = downloader.fetch(Request.get(base() + "/redirect"));
        Response next = downloader.fetch(Request.get(base() + "/echo"));

        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().first("Location")).isEqualTo("/echo");
        assertThat(redirect.url()).isEqualTo(base() + "/redirect");
        assertThat(text(next)).containsIgnoringCase("cookie: session=abc123");
    }

    @Test
    void cookiesDisabled_notSent() throws Exception {
        Downloader downloader =
                downloader(DownloaderConfig.builder().cookiesEnabled(false).build());

        downloader.fetch(Request.get(base() + "/redirect"));
        Response next = downloader.fetch(Request.get(base() + "/echo"));

        assertThat(text(next)).doesNotContain("session=abc123");
    }

    @Test
    void gzipAndDeflate_decoded() throws Exception {
        Downloader downloader = downloader();
        for (String path : List.of("/gzip", "/deflate-zlib", "/deflate-raw")) {
            Response response = downloader.fetch(Request.get(base() + path));

            assertThat(response.body().toByteArray()).as(path).isEqualTo(TlsTestServer.PAGE);
            assertThat(response.headers().contains("Content-Encoding")).as(path).isFalse();
            assertThat(response.headers().contains("Content-Length")).as(path).isFalse();
        }
    }

    @Test
    void brotli_decodedWhereBrotli4jLoads() throws Exception {
        assumeTrue(BodyReader.canDecode("br"), "brotli4j's native library does not load here");

        Downloader downloader = downloader();
        Response response = downloader.fetch(Request.get(base() + "/br"));

        assertThat(response.body().toByteArray()).isEqualTo(TlsTestServer.PAGE);
        assertThat(response.headers().contains("Content-Encoding")).isFalse();
        assertThat(failureKind(downloader, base() + "/bad-br"))
                .isEqualTo(DownloadException.Kind.BAD_ENCODING);
    }

    @Test
    void badGzip_badEncoding() throws Exception {
        assertThat(failureKind(downloader(), base() + "/bad-gzip"))
                .isEqualTo(DownloadException.Kind.BAD_ENCODING);
    }

    @Test
    void maxSize_byContentLength_tooLarge() throws Exception {
        Downloader downloader = downloader(DownloaderConfig.builder().maxSize(1 << 20).build());

        assertThat(failureKind(downloader, base() + "/big-length"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
    }

    @Test
    void maxSize_whileStreaming_tooLarge_decodedBytesCounted() throws Exception {
        Downloader downloader = downloader(DownloaderConfig.builder().maxSize(1 << 20).build());
        List<String> paths = new ArrayList<>(List.of("/big-stream", "/bomb-gzip"));
        if (BodyReader.canDecode("br")) {
            paths.add("/bomb-br");
        }

        for (String path : paths) {
            assertThat(failureKind(downloader, base() + path))
                    .as(path)
                    .isEqualTo(DownloadException.Kind.TOO_LARGE);
        }
    }

    /** Meta {@code download_maxsize} is the limit of its request, above or below the config's. */
    @Test
    void maxSizeMeta_isTheRequestsLimit_aboveOrBelowTheConfig() throws Exception {
        Downloader small = downloader(DownloaderConfig.builder().maxSize(1 << 20).build());
        Request big = Request.get(base() + "/big"); // 2 MiB, with a Content-Length

        assertThat(
                        small.fetch(big.withMeta(HttpClient5Downloader.MAXSIZE_META, 4 << 20))
                                .body()
                                .length())
                .isEqualTo(2 << 20);
        assertThatThrownBy(() -> small.fetch(big))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
        Downloader large = downloader();
        assertThatThrownBy(
                        () ->
                                large.fetch(
                                        big.withMeta(HttpClient5Downloader.MAXSIZE_META, 1 << 20)))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE);
                            assertThat(e.getMessage()).contains("meta download_maxsize");
                        });
        assertThatThrownBy(
                        () ->
                                large.fetch(
                                        Request.get(base() + "/big-stream")
                                                .withMeta(
                                                        HttpClient5Downloader.MAXSIZE_META,
                                                        1 << 20)))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "lots"})
    void maxSizeMeta_notAPositiveWholeNumber_isRefused(String value) throws Exception {
        Object meta = value.equals("lots") ? value : Double.valueOf(value);
        Request request =
                Request.get(base() + "/echo").withMeta(HttpClient5Downloader.MAXSIZE_META, meta);

        assertThatThrownBy(() -> downloader().fetch(request))
                .isInstanceOfSatisfying(
                        DownloadException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(DownloadException.Kind.REFUSED);
                            assertThat(e.getMessage()).contains("download_maxsize");
                        });
    }

    /**
     * With meta {@code download_truncate}, a body over the request's limit is cut there (its
     * decoded bytes), said so, and the rest left unread: the connection is dropped, and the next
     * request goes on a new one.
     */
    @Test
    void truncateMeta_bodyOverTheLimit_isCutThere() throws Exception {
        Downloader downloader = downloader();
        int cap = 512 << 10;

        for (String path : List.of("/big", "/big-stream", "/bomb-gzip")) {
            Response cut =
                    downloader.fetch(
                            Request.get(base() + path)
                                    .withMeta(HttpClient5Downloader.MAXSIZE_META, cap)
                                    .withMeta(HttpClient5Downloader.TRUNCATE_META, true));

            assertThat(cut.truncated()).as(path).isTrue();
            assertThat(cut.body().length()).as(path).isEqualTo(cap);
            assertThat(cut.headers().first("Content-Length")).as(path).isNull();
            Response next = downloader.fetch(Request.get(base() + "/echo"));
            assertThat(next.status()).as("after " + path).isEqualTo(200);
            assertThat(next.truncated()).isFalse();
        }
        Response whole =
                downloader.fetch(
                        Request.get(base() + "/big")
                                .withMeta(HttpClient5Downloader.MAXSIZE_META, 4 << 20)
                                .withMeta(HttpClient5Downloader.TRUNCATE_META, true));
        assertThat(whole.truncated()).isFalse();
        assertThat(whole.body().length()).isEqualTo(2 << 20);
    }

    @Test
    void slowDrip_timesOutWithinTheConfiguredTimeout() throws Exception {
        Downloader downloader =
                downloader(DownloaderConfig.builder().timeout(Duration.ofSeconds(1)).build());
        long start = System.nanoTime();

        DownloadException.Kind kind = failureKind(downloader, base() + "/drip");

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(kind).isEqualTo(DownloadException.Kind.TIMEOUT);
        // every read is fast (a byte per 100 ms), so only the exchange deadline can stop it
        assertThat(elapsed).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }

    @Test
    void abortedResponse_connectionResetOrProtocol() throws Exception {
        assertThat(failureKind(downloader(), base() + "/reset"))
                .isIn(DownloadException.Kind.CONNECTION_RESET, DownloadException.Kind.PROTOCOL);
    }

    @Test
    void latency_measuredFromSendToLastByte() throws Exception {
        Downloader downloader = downloader();
        downloader.fetch(Request.get(base() + "/echo")); // the connection is set up

        Response response = downloader.fetch(Request.get(base() + "/slow?ms=300"));

        assertThat(response.latency()).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
    }

    @Test
    void connectionRefused_connect() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String scheme = URI.create(base()).getScheme();

        assertThat(failureKind(downloader(), scheme + "://127.0.0.1:" + closedPort + "/"))
                .isEqualTo(DownloadException.Kind.CONNECT);
    }

    @Test
    void unknownHost_dns() throws Exception {
        String scheme = URI.create(base()).getScheme();

        assertThat(failureKind(downloader(), scheme + "://no-such-host.invalid/"))
                .isEqualTo(DownloadException.Kind.DNS);
    }

    @Test
    void dnsOverrides_madeUpHostReachesTheServer() throws Exception {
        URI base = URI.create(base());
        Downloader downloader =
                downloader(
                        DownloaderConfig.defaults(),
                        new HostResolver(Map.of("H2.Test", "127.0.0.1")));
        String url = base.getScheme() + "://h2.test:" + base.getPort() + "/echo";

        Response response = downloader.fetch(Request.get(url));

        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).contains("authority: h2.test:" + base.getPort());
    }

    @Test
    void concurrentRequests_onVirtualThreads_allSucceed() throws Exception {
        Downloader downloader =
                downloader(
                        DownloaderConfig.builder()
                                .maxConnectionsPerHost(16)
                                .maxConnectionsTotal(64)
                                .build());
        List<Future<Response>> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 64; i++) {
                String url = base() + (i % 2 == 0 ? "/gzip" : "/echo?i=" + i);
                responses.add(threads.submit(() -> downloader.fetch(Request.get(url))));
            }
            for (Future<Response> response : responses) {
                Response done = response.get(20, TimeUnit.SECONDS);
                assertThat(done.status()).isEqualTo(200);
                assertThat(done.protocol()).isEqualTo(protocol());
            }
        }
    }
}
