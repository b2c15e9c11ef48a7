package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestLogIT {
    private static final String IP = "127.0.0.12";
    private Sandbox sandbox;

    @BeforeEach
    void reset() throws Exception {
        sandbox = Sandbox.shared();
        sandbox.reset();
    }

    private URI uri(String path) {
        return URI.create(sandbox.baseUrl(IP)).resolve(path);
    }

    @Test
    void parallelSlowRequests_allInFlightAtOnce() {
        int n = 6;
        List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpRequest req = HttpRequest.newBuilder(uri("/fault/slow?ms=1500&i=" + i)).build();
            all.add(TestHttp.CLIENT.sendAsync(req, HttpResponse.BodyHandlers.discarding()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        RequestLog log = sandbox.log(IP);
        assertThat(log.maxConcurrent()).isEqualTo(n);
        assertThat(log.count()).isEqualTo(n);
        assertThat(log.count("/fault/slow")).isEqualTo(n);
        assertThat(log.inFlight()).isZero();
    }

    @Test
    void sequentialRequests_neverOverlap() throws Exception {
        for (int i = 0; i < 20; i++) {
            TestHttp.get(uri(i % 2 == 0 ? "/" : "/catalogue/book-00001.html"));
        }
        RequestLog log = sandbox.log(IP);
        assertThat(log.maxConcurrent()).isEqualTo(1);
        assertThat(log.count("/")).isEqualTo(10);
        assertThat(log.paths()).containsExactly("/", "/catalogue/book-00001.html");
        assertThat(sandbox.log("127.0.0.11").count()).isZero();
    }

    @Test
    void starts_recordOrderPathTargetAndHost() throws Exception {
        for (int i = 0; i < 3; i++) {
            TestHttp.get(uri("/fault/slow?ms=60"));
        }
        TestHttp.get(uri("/robots.txt"), "X-Test", "1");
        RequestLog log = sandbox.log(IP);
        List<RequestStart> starts = log.starts();
        assertThat(starts)
                .extracting(RequestStart::path)
                .containsExactly("/fault/slow", "/fault/slow", "/fault/slow", "/robots.txt");
        assertThat(starts.get(0).target()).isEqualTo("/fault/slow?ms=60");
        assertThat(starts.get(0).host()).isEqualTo(IP + ":" + sandbox.port());
        assertThat(starts.get(0).method()).isEqualTo("GET");
        assertThat(starts).extracting(RequestStart::nanos).isSorted();
        assertThat(log.minGapBetweenStarts()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    }

    @Test
    void hostHeader_isRecordedAsSent() throws Exception {
        // a raw request, since the JDK client does not let callers choose the Host header
        try (Socket socket = new Socket(InetAddress.getByName(IP), sandbox.port())) {
            socket.getOutputStream()
                    .write(
                            "GET /robots.txt HTTP/1.1\r\nHost: books.example\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            String response =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").contains("Disallow: /private/");
        }
        assertThat(sandbox.log(IP).starts())
                .extracting(RequestStart::host)
                .containsExactly("books.example");
    }

    @Test
    void reset_forgetsEverything() throws Exception {
        TestHttp.get(uri("/"));
        sandbox.reset();
        RequestLog log = sandbox.log(IP);
        assertThat(log.count()).isZero();
        assertThat(log.starts()).isEmpty();
        assertThat(log.maxConcurrent()).isZero();
        assertThat(log.minGapBetweenStarts()).isNull();
    }
}
