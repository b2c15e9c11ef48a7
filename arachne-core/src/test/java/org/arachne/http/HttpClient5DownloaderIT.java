package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
