package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTPS through the downloader: HTTP/2 where the server offers it (ALPN), HTTP/1.1 otherwise. */
@Timeout(30)
class Http2DownloaderIT {
    private static TlsTestServer server;

    private HttpClient5Downloader downloader;

    @BeforeAll
    static void startServer() throws Exception {
        server = TlsTestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void resetCounts() {
        server.resetCounts();
    }

    @AfterEach
    void closeDownloader() {
        if (downloader != null) {
            downloader.close();
        }
    }

    private HttpClient5Downloader downloader(DownloaderConfig config) throws Exception {
        downloader = new HttpClient5Downloader(config, TlsTestServer.clientTrust());
        return downloader;
    }

    private HttpClient5Downloader downloader() throws Exception {
        return downloader(DownloaderConfig.defaults().withTimeout(Duration.ofSeconds(10)));
    }

    private static String text(Response response) {
        return response.body().decode(StandardCharsets.UTF_8);
    }

    private static DownloadException.Kind failureKind(Downloader downloader, String url)
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
    void h2Server_pageOverHttp2_withHeadersAndBody() throws Exception {
        Response response =
                downloader(
                                DownloaderConfig.defaults()
                                        .withUserAgent("TestBot/2.0")
                                        .withDefaultHeaders(Headers.of("X-Default", "d")))
                        .fetch(Request.get(server.h2Base() + "/echo").withHeader("X-Mine", "m"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo("HTTP/2");
        assertThat(response.url()).isEqualTo(server.h2Base() + "/echo");
        assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(text(response))
                .startsWith("HTTP/2.0\nGET\n")
                .containsIgnoringCase("user-agent: TestBot/2.0")
                .containsIgnoringCase("x-default: d")
                .containsIgnoringCase("x-mine: m")
                .containsIgnoringCase("accept-encoding: gzip, deflate, br");
    }

    @Test
    void h2_post_sendsHeadersAndBody() throws Exception {
        Request post =
                Request.get(server.h2Base() + "/echo")
                        .withMethod("POST")
                        .withHeader("Content-Type", "application/x-www-form-urlencoded")
                        .withBody(Body.utf8("q=%E4%B8%AD&page=2"));

        Response response = downloader().fetch(post);

        assertThat(response.protocol()).isEqualTo("HTTP/2");
        assertThat(text(response))
                .startsWith("HTTP/2.0\nPOST\n")
                .containsIgnoringCase("content-type: application/x-www-form-urlencoded")
                .endsWith("\nq=%E4%B8%AD&page=2");
    }

    @Test
    void http1OnlyServer_https_fallsBackToHttp11() throws Exception {
        Response response = downloader().fetch(Request.get(server.http1Base() + "/echo"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo("HTTP/1.1");
        assertThat(text(response)).startsWith("HTTP/1.1\nGET\n");
    }

    @Test
    void http2Disabled_h2Server_usesHttp11() throws Exception {
        Response response =
                downloader(DownloaderConfig.defaults().withHttp2Enabled(false))
                        .fetch(Request.get(server.h2Base() + "/echo"));

        assertThat(response.protocol()).isEqualTo("HTTP/1.1");
        assertThat(text(response)).startsWith("HTTP/1.1\n");
    }

    @Test
    void h2_gzipAndBrotli_decoded() throws Exception {
        HttpClient5Downloader downloader = downloader();
        for (String path : List.of("/gzip", "/br")) {
            Response response = downloader.fetch(Request.get(server.h2Base() + path));

            assertThat(response.protocol()).as(path).isEqualTo("HTTP/2");
            assertThat(response.body().toByteArray()).as(path).isEqualTo(TlsTestServer.PAGE);
            assertThat(response.headers().contains("Content-Encoding")).as(path).isFalse();
        }
    }

    @Test
    void h2_badBrotli_badEncoding() throws Exception {
        assertThat(failureKind(downloader(), server.h2Base() + "/bad-br"))
                .isEqualTo(DownloadException.Kind.BAD_ENCODING);
    }

    @Test
    void h2_sizeCap_byContentLengthStreamAndBrotliBomb() throws Exception {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withMaxSize(1 << 20, 0));

        assertThat(failureKind(downloader, server.h2Base() + "/big-length"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        assertThat(failureKind(downloader, server.h2Base() + "/big"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        assertThat(failureKind(downloader, server.h2Base() + "/bomb-br"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        // the connection survives the cancelled streams
        assertThat(downloader.fetch(Request.get(server.h2Base() + "/echo")).status())
                .isEqualTo(200);
    }

    @Test
    void h2_slowDrip_timesOutAfterTheWholeExchangeTimeout() throws Exception {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withTimeout(Duration.ofSeconds(1)));
        long start = System.nanoTime();

        DownloadException.Kind kind = failureKind(downloader, server.h2Base() + "/drip");

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(kind).isEqualTo(DownloadException.Kind.TIMEOUT);
        // every read is fast (a byte per 100 ms), so only the exchange deadline can stop it
        assertThat(elapsed).isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
    }

    @Test
    void h2_dnsOverrides_madeUpHostReachesServer() throws Exception {
        HttpClient5Downloader downloader =
                downloader(
                        DownloaderConfig.defaults()
                                .withDnsOverrides(Map.of("H2.Test", "127.0.0.1")));
        String url = "https://h2.test:" + server.h2Port() + "/echo";

        Response response = downloader.fetch(Request.get(url));

        assertThat(response.protocol()).isEqualTo("HTTP/2");
        assertThat(text(response)).contains("authority: h2.test:" + server.h2Port());
    }

    @Test
    void untrustedCertificate_connectError_onBothPaths() throws Exception {
        downloader = new HttpClient5Downloader(DownloaderConfig.defaults());

        assertThat(failureKind(downloader, server.h2Base() + "/echo"))
                .isEqualTo(DownloadException.Kind.CONNECT);
        assertThat(failureKind(downloader, server.http1Base() + "/echo"))
                .isEqualTo(DownloadException.Kind.CONNECT);
    }

    @Test
    void h2Path_connectionRefusedAndUnknownHost() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpClient5Downloader downloader = downloader();

        assertThat(failureKind(downloader, "https://127.0.0.1:" + closedPort + "/"))
                .isEqualTo(DownloadException.Kind.CONNECT);
        assertThat(failureKind(downloader, "https://no-such-host.invalid/"))
                .isEqualTo(DownloadException.Kind.DNS);
    }

    @Test
    void h2_concurrentRequests_multiplexedOverOneConnection() throws Exception {
        int requests = 32;
        // fewer connections per host than requests: HTTP/1.1 could not have them all in flight
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.defaults().withConnections(8, 64));
        // the first request opens the connection; the pool shares an open HTTP/2 connection only
        assertThat(downloader.fetch(Request.get(server.h2Base() + "/echo")).protocol())
                .isEqualTo("HTTP/2");
        List<Future<Response>> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                String url = server.h2Base() + "/together?n=" + requests;
                responses.add(threads.submit(() -> downloader.fetch(Request.get(url))));
            }
            for (Future<Response> response : responses) {
                Response done = response.get(20, TimeUnit.SECONDS);
                assertThat(done.status()).isEqualTo(200);
                assertThat(done.protocol()).isEqualTo("HTTP/2");
            }
        }

        // 32 at once over at most 8 connections is only possible multiplexed; a second
        // connection is sometimes opened while the first is still being negotiated
        assertThat(server.maxInFlight()).isGreaterThanOrEqualTo(requests);
        assertThat(server.connections()).isLessThan(8);
    }
}
