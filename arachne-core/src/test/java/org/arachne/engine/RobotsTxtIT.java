package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.middleware.RobotsStage;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.testing.SuppressForbidden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A robots.txt of 1 MiB, over the 500 KiB that RFC 9309 section 2.5 asks crawlers to parse at least
 * (#9: one over {@code download_maxsize} failed as a download and its site was given up). Its first
 * rules are obeyed whatever {@code download_maxsize} is; a rule past {@link RobotsStage#MAX_SIZE}
 * is not read, and the one cut at it is dropped rather than read as {@code Disallow: /c}.
 */
@Timeout(60)
@SuppressForbidden(
        reason =
                "com.sun.net.httpserver is the JDK's supported HTTP server; a plain local server"
                        + " serves the one large robots.txt")
class RobotsTxtIT {
    private static final byte[] ROBOTS_TXT = robotsTxt();
    private static final List<String> fetched = new CopyOnWriteArrayList<>();
    private static HttpServer server;
    private static ExecutorService threads;

    /**
     * {@code Disallow: /private/} first; comments up to a line {@code Disallow: /c-is-cut-here}
     * whose first 12 bytes, {@code Disallow: /c}, end exactly at the cap; more comments, then
     * {@code Disallow: /late/} at 800 KiB; 1 MiB in all.
     */
    private static byte[] robotsTxt() {
        int cap = (int) RobotsStage.MAX_SIZE;
        StringBuilder text = new StringBuilder("User-agent: *\nDisallow: /private/\n");
        fill(text, cap - "Disallow: /c".length());
        text.append("Disallow: /c-is-cut-here\n");
        fill(text, 800 << 10);
        text.append("Disallow: /late/\n");
        fill(text, 1 << 20);
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        String atCap = new String(bytes, cap - 12, 12, StandardCharsets.US_ASCII);
        assertThat(atCap).isEqualTo("Disallow: /c");
        return bytes;
    }

    /** Comment lines up to exactly {@code length} characters, the last ending the text. */
    private static void fill(StringBuilder text, int length) {
        while (text.length() < length) {
            int width = Math.min(72, length - text.length());
            if (width == 1) {
                text.append('\n');
            } else {
                text.append('#').append("x".repeat(width - 2)).append('\n');
            }
        }
    }

    @BeforeAll
    static void start() throws IOException {
        threads = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", RobotsTxtIT::answer);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        threads.close();
    }

    @BeforeEach
    void clear() {
        fetched.clear();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        fetched.add(path);
        byte[] body =
                path.equals("/robots.txt")
                        ? ROBOTS_TXT
                        : ("<html><body><h1>" + path + "</h1></body></html>")
                                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .set(
                        "Content-Type",
                        path.equals("/robots.txt") ? "text/plain" : "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the crawler stopped reading at its cap: expected for robots.txt
        } finally {
            exchange.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** One item per page: its path. */
    private static final class Pages implements Spider {
        @Override
        public String name() {
            return "pages";
        }

        @Override
        public List<String> startUrls() {
            return List.of(url("/page"), url("/private/p"), url("/c-page"), url("/late/p"));
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Item.of("h1", response.xpath("//h1/text()").get()));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {64L << 20, 100L << 10})
    void robotsTxtOverTheCap_itsFirst512KiBAreObeyed_whateverDownloadMaxsize(long maxsize) {
        CrawlRun run = CrawlRun.of(new Pages(), Map.of("download_maxsize", maxsize));

        assertThat(run.result().errors()).isZero();
        assertThat(run.items())
                .extracting(i -> i.get("h1"))
                .containsExactlyInAnyOrder("/page", "/c-page", "/late/p");
        assertThat(fetched).doesNotContain("/private/p").containsOnlyOnce("/robots.txt");
        assertThat(run.result().stats())
                .containsEntry("robotstxt/truncated", 1L)
                .containsEntry("robotstxt/forbidden", 1L)
                .containsEntry("robotstxt/response_status_count/200", 1L);
    }
}
