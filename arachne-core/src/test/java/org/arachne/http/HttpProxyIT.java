package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arachne.testing.SuppressForbidden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Downloads through a tiny HTTP proxy on 127.0.0.1 that records the absolute-form request URIs and
 * {@code Proxy-Authorization} headers it receives and answers itself.
 */
@Timeout(30)
@SuppressForbidden(
        reason =
                "com.sun.net.httpserver is the JDK's supported HTTP server; a plain local server"
                        + " plays the proxy and the origin")
class HttpProxyIT {
    private static HttpServer proxy;
    private static HttpServer origin;
    private static ExecutorService threads;
    private static final List<String> PROXIED = new CopyOnWriteArrayList<>();
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private static final List<String> ORIGIN_HITS = new CopyOnWriteArrayList<>();

    private HttpClient5Downloader downloader;

    @BeforeAll
    static void start() throws IOException {
        threads = Executors.newVirtualThreadPerTaskExecutor();
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        proxy.setExecutor(threads);
        proxy.createContext(
                "/",
                e -> {
                    PROXIED.add(e.getRequestURI().toString());
                    String auth = e.getRequestHeaders().getFirst("Proxy-Authorization");
                    AUTHORIZATIONS.add(auth == null ? "" : auth);
                    send(e, "from the proxy");
                });
        proxy.start();
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        origin.setExecutor(threads);
        origin.createContext(
                "/",
                e -> {
                    ORIGIN_HITS.add(e.getRequestURI().toString());
                    send(e, "from the origin");
                });
        origin.start();
    }

    @AfterAll
    static void stop() {
        proxy.stop(0);
        origin.stop(0);
        threads.shutdownNow();
    }

    @BeforeEach
    void clear() {
        PROXIED.clear();
        AUTHORIZATIONS.clear();
        ORIGIN_HITS.clear();
    }

    @AfterEach
    void closeDownloader() {
        if (downloader != null) {
            downloader.close();
        }
    }

    private static void send(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String proxyUrl(String credentials) {
        return "http://" + credentials + "127.0.0.1:" + proxy.getAddress().getPort();
    }

    private static String originUrl(String path) {
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    private HttpClient5Downloader downloader(String proxyUrl) {
        downloader =
                new HttpClient5Downloader(
                        DownloaderConfig.builder()
                                .timeout(Duration.ofSeconds(10))
                                .proxy(HttpProxy.parse(proxyUrl))
                                .build());
        return downloader;
    }

    /**
     * The downloader's own check, when it resolves a host to connect: a name that resolves (here
     * through dns_overrides, as a rebinding DNS answer would) to a private address is refused
     * without a connection, whatever the engine's earlier check saw.
     */
    @Test
    void denyPrivateAddresses_refusesAtConnectTime_butNotTheProxy() throws Exception {
        int port = origin.getAddress().getPort();
        downloader =
                new HttpClient5Downloader(
                        DownloaderConfig.builder()
                                .timeout(Duration.ofSeconds(10))
                                .denyPrivateAddresses(true)
                                .build(),
                        new HostResolver(Map.of("public.example", "127.0.0.1")));
        for (String url :
                List.of(originUrl("/direct"), "http://public.example:" + port + "/rebound")) {
            assertThatThrownBy(() -> downloader.fetch(Request.get(url)))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.REFUSED))
                    .hasMessageContaining("non-public address 127.0.0.1");
        }
        assertThat(ORIGIN_HITS).as("no connection was made").isEmpty();

        // a proxy on a private address is the crawl's own choice: it stays usable
        Response viaProxy =
                downloader.fetch(
                        Request.get("http://made-up.test/a").withMeta("proxy", proxyUrl("")));
        assertThat(viaProxy.text()).isEqualTo("from the proxy");
    }

    @Test
    void proxySetting_requestGoesThroughTheProxyWithCredentials() throws Exception {
        Response response =
                downloader(proxyUrl("scott:t%40ger@")).fetch(Request.get(originUrl("/page?q=1")));

        assertThat(response.text()).isEqualTo("from the proxy");
        assertThat(PROXIED).containsExactly(originUrl("/page?q=1"));
        assertThat(AUTHORIZATIONS).containsExactly("Basic c2NvdHQ6dEBnZXI="); // scott:t@ger
    }

    @Test
    void proxyWithoutCredentials_sendsNoProxyAuthorization() throws Exception {
        downloader(proxyUrl("")).fetch(Request.get("http://made-up.test/a"));

        assertThat(PROXIED).containsExactly("http://made-up.test/a");
        assertThat(AUTHORIZATIONS).containsExactly("");
    }

    @Test
    void metaProxy_overridesTheSettingAndEmptyBypassesIt() throws Exception {
        HttpClient5Downloader viaSetting = downloader(proxyUrl("wrong:creds@"));

        Response proxied =
                viaSetting.fetch(
                        Request.get(originUrl("/a"))
                                .withMeta(HttpClient5Downloader.PROXY_META, proxyUrl("ann:pw@")));
        Response direct =
                viaSetting.fetch(
                        Request.get(originUrl("/b"))
                                .withMeta(HttpClient5Downloader.PROXY_META, ""));

        assertThat(proxied.text()).isEqualTo("from the proxy");
        assertThat(AUTHORIZATIONS).containsExactly("Basic YW5uOnB3"); // ann:pw
        assertThat(direct.text()).isEqualTo("from the origin");
        assertThat(PROXIED).containsExactly(originUrl("/a"));
    }

    @Test
    void metaProxy_usedWithoutAProxySetting() throws Exception {
        downloader = new HttpClient5Downloader(DownloaderConfig.defaults());

        Response response =
                downloader.fetch(
                        Request.get(originUrl("/c"))
                                .withMeta(HttpClient5Downloader.PROXY_META, proxyUrl("")));

        assertThat(response.text()).isEqualTo("from the proxy");
        assertThat(PROXIED).containsExactly(originUrl("/c"));
    }

    @Test
    void failureThroughAProxyWithCredentials_hidesThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpClient5Downloader failing =
                downloader("http://scott:s3cret-pw@127.0.0.1:" + closedPort);

        DownloadException e =
                catchThrowableOfType(
                        DownloadException.class, () -> failing.fetch(Request.get(originUrl("/d"))));

        assertThat(e.kind()).isEqualTo(DownloadException.Kind.CONNECT);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret-pw");
            assertThat(t.toString()).doesNotContain("s3cret-pw");
        }
        assertThat(failing.config().toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void invalidMetaProxy_isRefusedWithoutThePassword() {
        HttpClient5Downloader d = downloader("");

        DownloadException e =
                catchThrowableOfType(
                        DownloadException.class,
                        () ->
                                d.fetch(
                                        Request.get(originUrl("/e"))
                                                .withMeta(
                                                        HttpClient5Downloader.PROXY_META,
                                                        "socks5://u:s3cret-pw@127.0.0.1:1")));

        assertThat(e.kind()).isEqualTo(DownloadException.Kind.REFUSED);
        assertThat(e.getMessage()).contains("socks5://****@127.0.0.1:1").doesNotContain("s3cret");
    }
}
