package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxIT {
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox =
                Sandbox.builder()
                        .hosts(List.of("127.0.0.21", "127.0.0.22"))
                        .pagesPerHost(40)
                        .seed(5)
                        .latency("127.0.0.22", Duration.ofMillis(50))
                        .build()
                        .start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void baseUrl_andStartUrls_useTheSharedPort() {
        int port = sandbox.port();
        assertThat(port).isPositive();
        assertThat(sandbox.baseUrl("127.0.0.21")).isEqualTo("http://127.0.0.21:" + port + "/");
        assertThat(sandbox.startUrls())
                .containsExactly(
                        "http://127.0.0.21:" + port + "/", "http://127.0.0.22:" + port + "/");
        assertThatThrownBy(() -> sandbox.baseUrl("127.0.0.99"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void crawlOverHttp_matchesTheManifest() {
        SiteManifest m = sandbox.manifest();
        SiteWalker.Walk walk = SiteWalker.walk(m.startUrls(), TestHttp::text);
        assertThat(walk.urls()).isEqualTo(m.crawlableUrls());
        assertThat(walk.items()).hasSize((int) m.itemsTotal());
        assertThat(SiteManifest.itemsHash(walk.items())).isEqualTo(m.itemsMultisetHash());
    }

    @Test
    void pages_areUtf8Html_robotsAndPrivatePagesAreServed() throws Exception {
        URI base = URI.create(sandbox.baseUrl("127.0.0.21"));
        HttpResponse<byte[]> page = TestHttp.get(base.resolve("/catalogue/book-00007.html"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(TestHttp.text(base.resolve("/robots.txt")))
                .contains("User-agent: *\nDisallow: /private/\n");
        assertThat(TestHttp.get(base.resolve("/private/orders-2.html")).statusCode())
                .isEqualTo(200);
        assertThat(TestHttp.get(base.resolve("/catalogue/book-00040.html")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void latency_delaysOnlyItsHost() throws Exception {
        long t0 = System.nanoTime();
        assertThat(TestHttp.get(URI.create(sandbox.baseUrl("127.0.0.22"))).statusCode())
                .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void start_portTakenOnOneIp_explicitPortFails() throws Exception {
        try (Sandbox other =
                Sandbox.builder()
                        .hosts(List.of("127.0.0.23", "127.0.0.21"))
                        .port(sandbox.port())
                        .build()) {
            assertThatThrownBy(other::start).isInstanceOf(java.net.BindException.class);
        }
    }

    @Test
    void start_anyPort_worksNextToAnotherSandbox() throws Exception {
        try (Sandbox other =
                Sandbox.builder()
                        .hosts(List.of("127.0.0.21", "127.0.0.24"))
                        .pagesPerHost(3)
                        .build()
                        .start()) {
            assertThat(other.port()).isNotEqualTo(sandbox.port());
            String index = TestHttp.text(URI.create(other.baseUrl("127.0.0.24")));
            assertThat(index).contains("Books to Scrape 2");
        }
    }

    @Test
    void builder_optionSetTwice_isRejected() {
        assertThatThrownBy(() -> Sandbox.builder().seed(1).seed(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seed");
        assertThatThrownBy(() -> Sandbox.builder().hosts(List.of("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sandbox.builder().latency("127.0.0.99", Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manifest_printsAsJson() {
        assertThat(sandbox.manifest().toJson())
                .contains("\"crawlable_pages\" : 80")
                .contains(
                        new String(
                                "127.0.0.22".getBytes(StandardCharsets.UTF_8),
                                StandardCharsets.UTF_8));
    }
}
