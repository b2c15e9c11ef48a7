package org.arachne.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.arachne.testing.TlsTestServer;

/**
 * The measurement behind {@code docs/decisions/0002-http2.md} (a {@code main}, not a test): the
 * downloader's three https paths against {@link TlsTestServer} in this JVM, 64 requests in flight,
 * 2,000 warm-up and 20,000 timed requests per path and round. CPU is the whole process (client and
 * server).
 *
 * <pre>
 * mvn -B -q -pl arachne-core -am test-compile
 * mvn -B -q -pl arachne-core -am dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * cd arachne-core &amp;&amp; java -Xmx512m -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) org.arachne.http.HttpsComparison 6
 * </pre>
 */
public final class HttpsComparison {
    private HttpsComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        try (TlsTestServer server = TlsTestServer.start()) {
            for (int round = 1; round <= rounds; round++) {
                for (String path : List.of("classic-h1", "async-h1", "async-h2")) {
                    String base = path.equals("async-h2") ? server.h2Base() : server.http1Base();
                    DownloaderConfig config =
                            DownloaderConfig.builder()
                                    .maxConnectionsPerHost(16)
                                    .maxConnectionsTotal(64)
                                    .http2Enabled(!path.equals("classic-h1"))
                                    .build();
                    try (HttpClient5Downloader downloader =
                            new HttpClient5Downloader(
                                    config,
                                    new HostResolver(Map.of()),
                                    TlsTestServer.clientTrust())) {
                        run(downloader, base, 2_000);
                        Duration cpu = cpuTime();
                        long start = System.nanoTime();
                        int requests = 20_000;
                        String protocol = run(downloader, base, requests);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        double cpuMs = cpuTime().minus(cpu).toNanos() / 1e6;
                        System.out.printf(
                                Locale.ROOT,
                                "round %d %s %s: %.0f req/s, %.3f ms CPU/request%n",
                                round,
                                path,
                                protocol,
                                requests / seconds,
                                cpuMs / requests);
                    }
                }
            }
        }
    }

    private static Duration cpuTime() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow();
    }

    private static String run(HttpClient5Downloader downloader, String base, int requests)
            throws Exception {
        List<Future<Response>> responses = new ArrayList<>();
        Semaphore inFlight = new Semaphore(64);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                inFlight.acquire();
                responses.add(
                        threads.submit(
                                () -> {
                                    try {
                                        return downloader.fetch(Request.get(base + "/gzip"));
                                    } finally {
                                        inFlight.release();
                                    }
                                }));
            }
            String protocol = "";
            for (Future<Response> response : responses) {
                Response done = response.get();
                if (done.body().length() != TlsTestServer.PAGE.length) {
                    throw new IllegalStateException("short body from " + done.url());
                }
                protocol = done.protocol();
            }
            return protocol;
        }
    }
}
