package org.arachne.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Benchmark harness (not a test): fetches every URL of the bench site's {@code pages.tsv} with one
 * HTTP client, 64 requests in flight (16 per host), {@code Accept-Encoding: gzip} and our own
 * gunzip, and prints pages/s, process CPU seconds and GC figures. See {@code
 * docs/decisions/0001-http-client.md} for how it is run and what it found.
 *
 * <p>Usage: {@code HttpClientComparison apache|apache-async|jdk PAGES_TSV [PASSES]}; one warm-up
 * pass is made before the measured passes.
 */
public final class HttpClientComparison {
    private static final int CONCURRENCY = 64;
    private static final int PER_HOST = 16;

    /** One client under test: fetch the URL, return the number of decompressed body bytes. */
    private interface Fetcher extends AutoCloseable {
        long fetch(String url) throws Exception;
    }

    private HttpClientComparison() {}

    public static void main(String[] args) throws Exception {
        String client = args[0];
        List<String> urls = readUrls(Path.of(args[1]));
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (Fetcher fetcher = create(client)) {
            runPass(fetcher, urls); // warm-up: JIT, connection pool
            long cpuBefore = processCpuNanos();
            long gcBefore = gcMillis();
            long start = System.nanoTime();
            long bytes = 0;
            for (int i = 0; i < passes; i++) {
                bytes += runPass(fetcher, urls);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            long pages = (long) urls.size() * passes;
            System.out.printf(
                    Locale.ROOT,
                    "client=%s pages=%d wall=%.2fs pages/s=%.0f cpu=%.2fs cpu_ms/page=%.3f"
                            + " MB=%.1f gc_ms=%d heap_used_MB=%.0f%n",
                    client,
                    pages,
                    seconds,
                    pages / seconds,
                    cpu,
                    cpu * 1000 / pages,
                    bytes / 1e6,
                    gcMillis() - gcBefore,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6);
        }
    }

    private static List<String> readUrls(Path tsv) throws IOException {
        List<String> urls = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("http")) {
                urls.add(line.substring(0, line.indexOf('\t')));
            }
        }
        return urls;
    }

    private static long runPass(Fetcher fetcher, List<String> urls) throws Exception {
        Semaphore global = new Semaphore(CONCURRENCY);
        Map<String, Semaphore> perHost = new ConcurrentHashMap<>();
        AtomicLong bytes = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>(urls.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String url : urls) {
                Semaphore host =
                        perHost.computeIfAbsent(
                                URI.create(url).getAuthority(), h -> new Semaphore(PER_HOST));
                futures.add(
                        executor.submit(
                                () -> {
                                    host.acquire();
                                    global.acquire();
                                    try {
                                        bytes.addAndGet(fetcher.fetch(url));
                                    } finally {
                                        global.release();
                                        host.release();
                                    }
                                    return null;
                                }));
            }
            for (Future<?> future : futures) {
                future.get(); // rethrows the first failure: a benchmark run must be clean
            }
        }
        return bytes.get();
    }

    private static Fetcher create(String client) {
        return switch (client) {
            case "apache" -> apacheClassic();
            case "apache-async" -> apacheAsync();
            case "jdk" -> jdk();
            default -> throw new IllegalArgumentException("unknown client " + client);
        };
    }

    private static Fetcher apacheClassic() {
        CloseableHttpClient client =
                HttpClients.custom()
                        .setConnectionManager(
                                PoolingHttpClientConnectionManagerBuilder.create()
                                        .setMaxConnTotal(CONCURRENCY)
                                        .setMaxConnPerRoute(PER_HOST)
                                        .setDefaultConnectionConfig(
                                                ConnectionConfig.custom()
                                                        .setConnectTimeout(Timeout.ofSeconds(10))
                                                        .setSocketTimeout(Timeout.ofSeconds(30))
                                                        .build())
                                        .build())
                        .disableRedirectHandling()
                        .disableContentCompression()
                        .disableCookieManagement()
                        .disableAutomaticRetries()
                        .build();
        return new Fetcher() {
            @Override
            public long fetch(String url) throws Exception {
                HttpGet get = new HttpGet(url);
                get.addHeader("Accept-Encoding", "gzip");
                try (ClassicHttpResponse response = client.executeOpen(null, get, null)) {
                    check(url, response.getCode());
                    Header encoding = response.getFirstHeader("Content-Encoding");
                    return drain(
                            response.getEntity().getContent(),
                            encoding != null && encoding.getValue().equalsIgnoreCase("gzip"));
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static Fetcher apacheAsync() {
        CloseableHttpAsyncClient client =
                HttpAsyncClients.custom()
                        .setConnectionManager(
                                PoolingAsyncClientConnectionManagerBuilder.create()
                                        .setMaxConnTotal(CONCURRENCY)
                                        .setMaxConnPerRoute(PER_HOST)
                                        .build())
                        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).build())
                        .disableRedirectHandling()
                        .disableContentCompression()
                        .disableCookieManagement()
                        .disableAutomaticRetries()
                        .build();
        client.start();
        return new Fetcher() {
            @Override
            public long fetch(String url) throws Exception {
                SimpleHttpRequest get =
                        SimpleRequestBuilder.get(url).addHeader("Accept-Encoding", "gzip").build();
                SimpleHttpResponse response = client.execute(get, null).get(30, TimeUnit.SECONDS);
                check(url, response.getCode());
                Header encoding = response.getFirstHeader("Content-Encoding");
                return drain(
                        new ByteArrayInputStream(response.getBodyBytes()),
                        encoding != null && encoding.getValue().equalsIgnoreCase("gzip"));
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static Fetcher jdk() {
        java.net.http.HttpClient client =
                java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        return new Fetcher() {
            @Override
            public long fetch(String url) throws Exception {
                java.net.http.HttpRequest request =
                        java.net.http.HttpRequest.newBuilder(URI.create(url))
                                .header("Accept-Encoding", "gzip")
                                .timeout(Duration.ofSeconds(30))
                                .build();
                java.net.http.HttpResponse<InputStream> response =
                        client.send(
                                request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                check(url, response.statusCode());
                return drain(
                        response.body(),
                        response.headers()
                                .firstValue("Content-Encoding")
                                .map(v -> v.equalsIgnoreCase("gzip"))
                                .orElse(false));
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static void check(String url, int status) {
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status + " for " + url);
        }
    }

    private static long drain(InputStream raw, boolean gzip) throws IOException {
        try (InputStream in = gzip ? new GZIPInputStream(raw, 8192) : raw) {
            byte[] buffer = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        }
    }

    /** User plus system CPU time of this process, from {@code /proc/self/stat} (Linux). */
    private static long processCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
