package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.spider.Failure;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errbacks (#12) against the sandbox: a status the callback does not handle, a refused connection
 * and a 503 past its retries each reach the request's errback exactly once, with the reason, and
 * what the errback emits reaches the feed and the frontier.
 */
@Timeout(60)
class ErrbackIT {
    private static final String HOST = "127.0.0.52";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(10).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** Sends each start URL to {@code onError}, which records the failure as an item. */
    static class FailingSpider implements Spider {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, Failure> failures = new ConcurrentHashMap<>();
        private final List<String> urls;
        private final String fallback;

        FailingSpider(String fallback, String... urls) {
            this.fallback = fallback;
            this.urls = List.of(urls);
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public List<Request> startRequests() {
            return urls.stream().map(u -> Request.get(u).withErrback("onError")).toList();
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Map.of("page", response.url()));
        }

        void onError(Failure failure, Output out) {
            String url = failure.request().url();
            calls.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
            failures.put(url, failure);
            out.item(Map.of("failed", url, "kind", failure.kind(), "status", failure.status()));
            if (url.contains("code=404")) {
                out.follow(fallback, this::parse);
            }
        }
    }

    @Test
    void failedRequests_reachTheirErrbackOnceWithTheReason(@TempDir Path dir) throws IOException {
        String notFound = sandbox.uri("/fault/status?code=404").toString();
        String unavailable = sandbox.uri("/fault/flaky?key=e1&fails=9&status=503").toString();
        String refused = "http://127.0.0.1:" + closedPort() + "/nothing";
        String fallback = sandbox.uri("/fault/status?code=200").toString();
        FailingSpider spider = new FailingSpider(fallback, notFound, unavailable, refused);
        Path feed = dir.resolve("items.jsonl");

        CrawlResult result =
                Crawler.builder(spider)
                        .settings(Map.of("retry_backoff_base", "10ms", "robotstxt_obey", false))
                        .feed(Feed.of(feed, true))
                        .build()
                        .run();

        assertThat(spider.calls.keySet()).containsExactlyInAnyOrder(notFound, unavailable, refused);
        assertThat(spider.calls.values()).allMatch(count -> count.get() == 1);
        assertThat(spider.failures.get(notFound).kind()).isEqualTo("http_status/404");
        assertThat(spider.failures.get(notFound).response()).isNotNull();
        assertThat(spider.failures.get(unavailable).kind()).isEqualTo("http_status/503");
        assertThat(spider.failures.get(unavailable).status()).isEqualTo(503);
        assertThat(spider.failures.get(refused).kind()).isEqualTo("download/connect");
        assertThat(spider.failures.get(refused).exception()).isNotNull();
        assertThat(spider.failures.get(refused).status()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> lines =
                Files.readAllLines(feed).stream().map(line -> readMap(json, line)).toList();
        assertThat(lines)
                .containsExactlyInAnyOrder(
                        Map.of("failed", notFound, "kind", "http_status/404", "status", 404),
                        Map.of("failed", unavailable, "kind", "http_status/503", "status", 503),
                        Map.of("failed", refused, "kind", "download/connect", "status", 0),
                        Map.of("page", fallback));
        assertThat(result.stats())
                .containsEntry(StatKeys.ERRBACK_COUNT, 3L)
                .containsEntry(StatKeys.ERRBACK_HANDLED, 2L)
                .doesNotContainKey(StatKeys.DEAD_LETTER_COUNT);
        assertThat(result.errorsByKind())
                .containsEntry("http_status/503", 1L)
                .containsEntry("download/connect", 1L);
    }

    @Test
    void errbackThatThrows_isCountedAndTheFailureStaysADeadLetter() {
        String notFound = sandbox.uri("/fault/flaky?key=e2&fails=9&status=503").toString();
        Spider spider =
                new Spider() {
                    @Override
                    public String name() {
                        return "throwing";
                    }

                    @Override
                    public List<String> startUrls() {
                        return List.of(notFound);
                    }

                    @Override
                    public void parse(Response response, Output out) {}

                    @Override
                    public void errback(Failure failure, Output out) {
                        throw new IllegalStateException("errback broke");
                    }
                };

        CrawlRun run = CrawlRun.of(spider, Map.of("robotstxt_obey", false));

        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind())
                .containsEntry("errback/IllegalStateException", 1L)
                .containsEntry("http_status/503", 1L);
        assertThat(run.result().stats())
                .containsEntry(StatKeys.ERRBACK_COUNT, 1L)
                .containsEntry(StatKeys.DEAD_LETTER_COUNT, 1L)
                .doesNotContainKey(StatKeys.ERRBACK_HANDLED);
    }

    @Test
    void errbackTheSpiderDoesNotHave_isCountedAndTheFailureGoesOn() {
        String notFound = sandbox.uri("/fault/status?code=404&t=missing").toString();
        FailingSpider misnamed =
                new FailingSpider(notFound) {
                    @Override
                    public List<Request> startRequests() {
                        return List.of(Request.get(notFound).withErrback("onMissing"));
                    }
                };

        CrawlRun run = CrawlRun.of(misnamed, Map.of("robotstxt_obey", false));

        assertThat(run.items()).isEmpty();
        assertThat(misnamed.calls).isEmpty();
        assertThat(run.result().errorsByKind()).containsEntry("errback/missing", 1L);
        assertThat(run.result().stats())
                .containsEntry("httperror/response_ignored_status_count/404", 1L);
    }

    private static Map<String, Object> readMap(ObjectMapper json, String line) {
        try {
            return json.readValue(line, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    /** A port of a loopback address nothing listens on: connecting to it is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
