package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Servers that break HTTP's rules or the client's assumptions, crawled end to end through the
 * engine against the sandbox's wire routes (issue #9, "Defects found under hostile servers").
 */
@Timeout(60)
class HostileServersIT {
    private static final String HOST = "127.0.0.53";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(10).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private static CrawlRun crawl(List<String> urls, Object... settings) {
        Map<String, Object> map = new HashMap<>();
        map.put("retry_backoff_base", "10ms");
        map.put("randomize_download_delay", false);
        for (int i = 0; i < settings.length; i += 2) {
            map.put((String) settings[i], settings[i + 1]);
        }
        return CrawlRun.of(new FaultsIT.PageSpider(urls.toArray(String[]::new)), map);
    }

    private static List<String> wirePages(String route, int pages, String query) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
            urls.add(sandbox.wireUri(HOST, route + i + query).toString());
        }
        return urls;
    }

    /**
     * A server that closes each connection after one response, saying so or not, or that closes
     * connections idle for 300 ms: the pooled connections the client holds are dead when it next
     * uses them. A request that found its connection closed before any byte of the response is sent
     * again at once on a fresh one: every page arrives, with no error and no retry.
     */
    @ParameterizedTest
    @CsvSource({
        "/wire/close/, ?header=false, 50, 0s",
        "/wire/close/, ?header=true, 50, 0s",
        "/wire/close/, ?header=false, 8, 400ms",
        "/wire/idle-close/, ?ms=300, 50, 0s",
        "/wire/idle-close/, ?ms=300, 8, 400ms",
    })
    void connectionsClosedByTheServer_everyPageArrives_noErrorNoRetry(
            String route, String query, int pages, String delay) {
        CrawlRun run = crawl(wirePages(route, pages, query), "download_delay", delay);

        assertThat(run.items()).hasSize(pages);
        assertThat(run.result().errorsByKind()).isEmpty();
        assertThat(run.result().stats())
                .doesNotContainKey("retry/count")
                .doesNotContainKey("downloader/exception_count");
    }

    private static String url(String pathAndQuery) {
        return sandbox.uri(pathAndQuery).toString();
    }

    /** A redirect whose target cannot be parsed is not followed, and is no bug of the engine. */
    @ParameterizedTest
    @CsvSource({
        "/fault/location?to=http://",
        "/fault/location?to=http://%5B::1",
        "/fault/location?to=http://%5Bzz%5D/",
        "/fault/location?to=http://%5B::1&code=307",
        "/fault/meta-refresh?to=http://%5B::1",
        "/fault/meta-refresh?to=http://%5Bzz%5D/",
    })
    void badRedirectTarget_redirectBadLocation(String path) {
        CrawlRun run = crawl(List.of(url(path)));

        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsOnlyKeys("redirect/bad_location");
    }

    /**
     * A status line that is none, or a status code out of range, is the server's protocol error.
     */
    @ParameterizedTest
    @CsvSource({
        "HTTP/1.1 000 Zero",
        "HTTP/1.1 099 Low",
        "HTTP/1.1 abc",
        "HTTP/1.1 2000 OK",
        "HTTP/9.1 200 OK",
        "ICY 200 OK",
    })
    void badStatusLine_downloadProtocol_notRetried(String statusLine) {
        String url =
                sandbox.wireUri(
                                HOST,
                                "/wire/status-line?line="
                                        + URLEncoder.encode(statusLine, StandardCharsets.UTF_8))
                        .toString();

        CrawlRun run = crawl(List.of(url));

        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsOnlyKeys("download/protocol");
        assertThat(run.result().stats()).doesNotContainKey("retry/count");
    }

    /**
     * An HTTP/0.9 reply (a body without any status line) is a protocol error, not "no response".
     */
    @Test
    void http09Reply_downloadProtocol_namedAsSuch() {
        CrawlRun run = crawl(List.of(sandbox.wireUri(HOST, "/wire/http09").toString()));

        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsOnlyKeys("download/protocol");
        assertThat(run.result().stats()).doesNotContainKey("retry/count");
    }

    /** Heads that real sites send: many fields, one long field; both arrive. */
    @ParameterizedTest
    @CsvSource({"lines=150", "lines=250", "bytes=10000", "bytes=60000&big=4"})
    void largeHeadsOfRealSites_accepted(String query) {
        CrawlRun run = crawl(List.of(url("/fault/headers?" + query)));

        assertThat(run.items()).hasSize(1);
        assertThat(run.result().errorsByKind()).isEmpty();
    }

    /** A head over the limits is refused as a protocol error, once: a refusal would repeat. */
    @ParameterizedTest
    @CsvSource({"lines=300", "bytes=70000", "bytes=60000&big=5"})
    void headsOverTheLimits_downloadProtocol_notRetried(String query) {
        CrawlRun run = crawl(List.of(url("/fault/headers?" + query)));

        assertThat(run.items()).isEmpty();
        assertThat(run.result().errorsByKind()).containsOnlyKeys("download/protocol");
        assertThat(run.result().stats()).doesNotContainKey("retry/count");
        assertThat(sandbox.log(HOST).count("/fault/headers")).isEqualTo(1);
    }

    /**
     * 16 pages of 1 MiB crawled at once with 8 MiB for the bodies in flight: bodies wait for room
     * and every page arrives, with or without a Content-Length (#9).
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void largePages_smallInflightBudget_everyPageArrives(boolean chunked) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            urls.add(url("/fault/huge?mb=1&chunked=" + chunked + "&n=" + i));
        }

        CrawlRun run =
                crawl(
                        urls,
                        "download_inflight_bytes",
                        "8MiB",
                        "concurrent_requests_per_domain",
                        16);

        assertThat(run.items()).hasSize(16);
        assertThat(run.result().errorsByKind()).isEmpty();
    }
}
