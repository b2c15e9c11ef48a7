package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What only the classic HTTP/1.1 path does; what every path does is in {@link DownloaderContract}
 * ({@link Http11DownloaderContractIT} runs it on this path).
 */
@Timeout(30)
class HttpClient5DownloaderIT {

    /** A TCP RST on the raw connection (no HTTP server could send one on purpose). */
    @Test
    void tcpReset_connectionReset() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                HttpClient5Downloader downloader =
                        new HttpClient5Downloader(
                                DownloaderConfig.builder()
                                        .timeout(Duration.ofSeconds(10))
                                        .build())) {
            Future<?> resetter =
                    threads.submit(
                            () -> {
                                try (Socket socket = listener.accept()) {
                                    InputStream in = socket.getInputStream();
                                    in.read(new byte[1024]); // the request line at least
                                    socket.setSoLinger(true, 0); // close sends RST
                                }
                                return null;
                            });
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/";

            assertThatThrownBy(() -> downloader.fetch(Request.get(url)))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(DownloadException.Kind.CONNECTION_RESET));
            resetter.get(5, TimeUnit.SECONDS);
        }
    }

    private static HttpClient5Downloader downloader() {
        return new HttpClient5Downloader(
                DownloaderConfig.builder().timeout(Duration.ofSeconds(10)).build());
    }

    private static String wireUrl(String pathAndQuery) throws Exception {
        Sandbox sandbox = Sandbox.shared();
        return sandbox.wireUri(sandbox.hosts().get(0), pathAndQuery).toString();
    }

    /**
     * A server that closes each connection after its response without saying so: the next GET finds
     * its pooled connection dead and is sent again at once on a new one (#9).
     */
    @ParameterizedTest
    @CsvSource({"GET", "HEAD"})
    void connectionClosedSilently_idempotentRequestResentOnANewConnection(String method)
            throws Exception {
        try (HttpClient5Downloader downloader = downloader()) {
            for (int i = 0; i < 10; i++) {
                Response response =
                        downloader.fetch(
                                Request.get(wireUrl("/wire/close/" + i)).withMethod(method));

                assertThat(response.status()).isEqualTo(200);
            }
            assertThat(downloader.staleConnectionResends()).isPositive();
        }
    }

    /** A POST may have been acted on: it is not sent again, the crawl's retry stage decides. */
    @Test
    void connectionClosedSilently_postNotResent() throws Exception {
        try (HttpClient5Downloader downloader = downloader()) {
            downloader.fetch(Request.get(wireUrl("/wire/close/first")));
            Request post =
                    Request.get(wireUrl("/wire/close/post"))
                            .withMethod("POST")
                            .withBody(Body.utf8("q=1"));

            assertThatThrownBy(() -> downloader.fetch(post))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(DownloadException.Kind.CONNECTION_RESET));
            assertThat(downloader.staleConnectionResends()).isZero();
        }
    }

    /** A server's bytes in an error message cannot drive the terminal the log is read on. */
    @Test
    void badChunkHeaderWithEscapeSequences_protocol_messageEscaped() throws Exception {
        try (HttpClient5Downloader downloader = downloader()) {
            String url = wireUrl("/wire/bad-chunk");

            assertThatThrownBy(() -> downloader.fetch(Request.get(url)))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(DownloadException.Kind.PROTOCOL);
                                assertThat(e.getMessage())
                                        .contains("\\u001b[2J\\u001b[31mpwned\\u0007")
                                        .doesNotContain("\u001b")
                                        .doesNotContain("\u0007");
                            });
        }
    }

    /**
     * 16 bodies of 1 MiB at once through a budget of 8 MiB: the bodies being read never hold more
     * than the budget, and every one arrives whole, with or without a Content-Length (#9).
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void largeBodiesAtOnce_heldWithinTheBudget_allArrive(boolean chunked) throws Exception {
        long budget = 8L << 20;
        try (HttpClient5Downloader downloader =
                        new HttpClient5Downloader(
                                DownloaderConfig.builder()
                                        .maxBytesInFlight(budget)
                                        .maxConnectionsPerHost(16)
                                        .maxConnectionsTotal(16)
                                        .build());
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String base = Sandbox.shared().uri("/fault/huge?mb=1&chunked=" + chunked).toString();
            List<Future<Response>> responses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String url = base + "&n=" + i;
                responses.add(threads.submit(() -> downloader.fetch(Request.get(url))));
            }

            for (Future<Response> response : responses) {
                Response done = response.get(60, TimeUnit.SECONDS);
                assertThat(done.status()).isEqualTo(200);
                assertThat(done.body().length()).isEqualTo(1 << 20);
            }
            assertThat(downloader.bodyBytesInFlightPeak())
                    .isGreaterThanOrEqualTo(1 << 20)
                    .isLessThanOrEqualTo(budget);
            assertThat(downloader.bodyBytesInFlight()).isZero();
        }
    }

    /** A body that could never fit in the budget is refused at once as too large. */
    @Test
    void bodyLargerThanTheBudgetAllows_tooLarge() throws Exception {
        try (HttpClient5Downloader downloader =
                new HttpClient5Downloader(
                        DownloaderConfig.builder().maxBytesInFlight(1L << 20).build())) {
            String url = Sandbox.shared().uri("/fault/huge?mb=2").toString();

            assertThatThrownBy(() -> downloader.fetch(Request.get(url)))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE);
                                assertThat(e.getMessage()).contains("download_inflight_bytes");
                            });
        }
    }
}
