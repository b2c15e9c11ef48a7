package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * What only https and HTTP/2 do: ALPN and its fallback, certificates, multiplexing, cancelled
 * exchanges. What every path does is in {@link DownloaderContract} ({@link
 * Http2DownloaderContractIT} runs it over HTTP/2). This class has a server of its own because it
 * reads the server's counters.
 */
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
        downloader =
                new HttpClient5Downloader(
                        config, new HostResolver(Map.of()), TlsTestServer.clientTrust());
        return downloader;
    }

    private HttpClient5Downloader downloader() throws Exception {
        return downloader(DownloaderConfig.builder().timeout(Duration.ofSeconds(10)).build());
    }

    @Test
    void http1OnlyServer_https_fallsBackToHttp11() throws Exception {
        Response response = downloader().fetch(Request.get(server.http1Base() + "/echo"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo("HTTP/1.1");
        assertThat(DownloaderContract.text(response)).startsWith("HTTP/1.1\nGET\n");
    }

    @Test
    void http2Disabled_h2Server_usesHttp11() throws Exception {
        Response response =
                downloader(DownloaderConfig.builder().http2Enabled(false).build())
                        .fetch(Request.get(server.h2Base() + "/echo"));

        assertThat(response.protocol()).isEqualTo("HTTP/1.1");
        assertThat(DownloaderContract.text(response)).startsWith("HTTP/1.1\n");
    }

    /**
     * A body over the cap cancels its exchange; the next request still gets through. (The cancel
     * closes the HTTP/2 connection rather than resetting the one stream: each of these three
     * requests opens a TLS connection of its own.)
     */
    @Test
    void h2_afterCancelledExchanges_nextRequestSucceeds() throws Exception {
        HttpClient5Downloader downloader =
                downloader(DownloaderConfig.builder().maxSize(1 << 20).build());

        assertThat(DownloaderContract.failureKind(downloader, server.h2Base() + "/big-length"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        assertThat(DownloaderContract.failureKind(downloader, server.h2Base() + "/big"))
                .isEqualTo(DownloadException.Kind.TOO_LARGE);
        Response after = downloader.fetch(Request.get(server.h2Base() + "/echo"));

        assertThat(after.status()).isEqualTo(200);
        assertThat(after.protocol()).isEqualTo("HTTP/2");
    }

    @Test
    void untrustedCertificate_connectError_onBothPaths() throws Exception {
        downloader = new HttpClient5Downloader(DownloaderConfig.defaults());

        assertThat(DownloaderContract.failureKind(downloader, server.h2Base() + "/echo"))
                .isEqualTo(DownloadException.Kind.CONNECT);
        assertThat(DownloaderContract.failureKind(downloader, server.http1Base() + "/echo"))
                .isEqualTo(DownloadException.Kind.CONNECT);
    }

    @Test
    void h2_concurrentRequests_multiplexedOverOneConnection() throws Exception {
        int requests = 32;
        // fewer connections per host than requests: HTTP/1.1 could not have them all in flight
        HttpClient5Downloader downloader =
                downloader(
                        DownloaderConfig.builder()
                                .maxConnectionsPerHost(8)
                                .maxConnectionsTotal(64)
                                .build());
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
