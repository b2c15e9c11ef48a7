package org.arachne.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arachne.sandbox.route.AccountRoute;
import org.arachne.sandbox.route.ApiBooksRoute;
import org.arachne.sandbox.route.BadChunkRoute;
import org.arachne.sandbox.route.BadGzipRoute;
import org.arachne.sandbox.route.CharsetRoute;
import org.arachne.sandbox.route.CloseAfterResponseRoute;
import org.arachne.sandbox.route.CompressedRoute;
import org.arachne.sandbox.route.DripRoute;
import org.arachne.sandbox.route.DropRoute;
import org.arachne.sandbox.route.EchoCookieRoute;
import org.arachne.sandbox.route.EchoHeadersRoute;
import org.arachne.sandbox.route.EchoRequestRoute;
import org.arachne.sandbox.route.FlakyRoute;
import org.arachne.sandbox.route.GzipBombRoute;
import org.arachne.sandbox.route.HeadersRoute;
import org.arachne.sandbox.route.Http09Route;
import org.arachne.sandbox.route.HugeRoute;
import org.arachne.sandbox.route.IdleCloseRoute;
import org.arachne.sandbox.route.InternationalLinksRoute;
import org.arachne.sandbox.route.LocationRoute;
import org.arachne.sandbox.route.LoginRoute;
import org.arachne.sandbox.route.MetaRefreshRoute;
import org.arachne.sandbox.route.RateLimitRoute;
import org.arachne.sandbox.route.RecrawlRoute;
import org.arachne.sandbox.route.RedirectLoopRoute;
import org.arachne.sandbox.route.RedirectRoute;
import org.arachne.sandbox.route.Replies;
import org.arachne.sandbox.route.ResetRoute;
import org.arachne.sandbox.route.Route;
import org.arachne.sandbox.route.SearchApiRoute;
import org.arachne.sandbox.route.Sessions;
import org.arachne.sandbox.route.SetCookieRoute;
import org.arachne.sandbox.route.SlowRoute;
import org.arachne.sandbox.route.StatusLineRoute;
import org.arachne.sandbox.route.StatusRoute;
import org.arachne.sandbox.route.SubjectRoute;
import org.arachne.sandbox.route.Top250Route;
import org.arachne.sandbox.route.TrapRoute;
import org.arachne.sandbox.route.WireRoute;
import org.jspecify.annotations.Nullable;

/**
 * A local multi-host web site: one JDK {@link HttpServer} per loopback IP, all on one port, each
 * serving the generated book site of its host (with the sitemaps of {@link SitemapFiles}) plus the
 * fault routes under {@code /fault/}, a Douban-like {@code /top250}, a paginated JSON API of books
 * under {@code /api/books}, a search API that takes JSON POSTs ({@code /api/search}), {@code
 * /echo/request} (what a request sent), a login with a CSRF token ({@code /login}) and the pages
 * behind it ({@code /account/}), the pages of {@code /recrawl/} that change when a test says so;
 * and on a second port ({@link #wirePort()}) the wire routes under {@code /wire/}, faults below
 * HTTP's framing that the JDK's server cannot show. It records every request per IP for politeness
 * assertions.
 *
 * <p>Lifecycle: build, {@link #start()}, use, {@link #close()}. Tests that share one instance per
 * JVM use {@link #shared()} and call {@link #reset()} between tests.
 *
 * <p>Thread-safety: all methods are safe to call from any thread once started.
 */
public final class Sandbox implements AutoCloseable {
    private static final int PORT_ATTEMPTS = 20;
    private static @Nullable Sandbox shared;

    private final List<String> hosts;
    private final int pagesPerHost;
    private final long seed;
    private final int requestedPort;
    private final Map<String, Duration> latency;
    private final Map<String, Duration> crawlDelays;
    private final Map<String, RequestLog> logs = new LinkedHashMap<>();
    private final RequestLog allHosts = new RequestLog();
    private final Map<String, Route> exactRoutes = new HashMap<>();
    private final List<Route> prefixRoutes = new ArrayList<>();
    private final RecrawlRoute recrawl = new RecrawlRoute();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<WireServer> wireServers = new ArrayList<>();
    private @Nullable ExecutorService executor;
    private @Nullable BookSite site;
    private @Nullable SiteManifest manifest;
    private int port = -1;
    private int wirePort = -1;

    private Sandbox(Builder b) {
        this.hosts = List.copyOf(b.hosts);
        this.pagesPerHost = b.pagesPerHost;
        this.seed = b.seed;
        this.requestedPort = b.port;
        this.latency = Map.copyOf(b.latency);
        this.crawlDelays = Map.copyOf(b.crawlDelays);
        for (String ip : hosts) {
            logs.put(ip, new RequestLog());
        }
        List<Route> all = new ArrayList<>(routes());
        all.add(recrawl);
        for (Route r : all) {
            if (r.path().endsWith("/")) {
                prefixRoutes.add(r);
            } else {
                exactRoutes.put(r.path(), r);
            }
        }
    }

    /** A builder with the defaults: hosts 127.0.0.11..14, 500 pages per host, seed 1, any port. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sandbox shared by all tests of this JVM, with the builder's defaults, started on first
     * call and closed when the JVM exits. Call {@link #reset()} before asserting on its logs.
     *
     * @throws IOException if it cannot be started
     */
    public static synchronized Sandbox shared() throws IOException {
        if (shared == null) {
            Sandbox s = builder().build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "sandbox-shutdown"));
            shared = s;
        }
        return shared;
    }

    /**
     * Binds every host IP on one port and starts serving. With port 0, a free port is picked on the
     * first IP and retried when another IP already has it taken.
     *
     * @throws IOException if the port (or, for port 0, no port after several tries) can be bound
     * @throws IllegalStateException if already started
     */
    public synchronized Sandbox start() throws IOException {
        if (port >= 0 || executor != null) {
            throw new IllegalStateException("sandbox already started");
        }
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        for (int attempt = 1; ; attempt++) {
            try {
                bindAll(exec);
                break;
            } catch (BindException e) {
                stopServers();
                if (requestedPort != 0 || attempt == PORT_ATTEMPTS) {
                    exec.shutdownNow();
                    throw e;
                }
            }
        }
        executor = exec;
        List<String> bases = new ArrayList<>();
        for (String ip : hosts) {
            bases.add("http://" + ip + ":" + port);
        }
        site = new BookSite(bases, pagesPerHost, seed);
        servers.forEach(HttpServer::start);
        wireServers.forEach(w -> w.start(exec));
        return this;
    }

    private void bindAll(ExecutorService exec) throws IOException {
        int p = requestedPort;
        for (int i = 0; i < hosts.size(); i++) {
            String ip = hosts.get(i);
            HttpServer server =
                    HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), p), 1024);
            servers.add(server);
            p = server.getAddress().getPort();
            int hostIndex = i;
            server.createContext("/", exchange -> handle(hostIndex, exchange));
            server.setExecutor(exec);
        }
        port = p;
        for (int attempt = 1; ; attempt++) {
            try {
                bindWire();
                return;
            } catch (BindException e) {
                wireServers.forEach(WireServer::close);
                wireServers.clear();
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Binds the wire port: free on the first IP, then the same on the others. */
    private void bindWire() throws IOException {
        int w = 0;
        for (String ip : hosts) {
            WireServer wire =
                    new WireServer(
                            InetAddress.getByName(ip),
                            w,
                            wireRoutes(),
                            List.of(logs.get(ip), allHosts));
            wireServers.add(wire);
            w = wire.port();
        }
        wirePort = w;
    }

    private void stopServers() {
        servers.forEach(s -> s.stop(0));
        servers.clear();
        wireServers.forEach(WireServer::close);
        wireServers.clear();
        port = -1;
        wirePort = -1;
    }

    /** Stops every server at once; handlers still running (slow routes) are interrupted. */
    @Override
    public synchronized void close() {
        stopServers();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** The port every host listens on. */
    public int port() {
        requireStarted();
        return port;
    }

    /**
     * The port of the wire routes ({@link WireRoute}) on every host: raw HTTP/1.1 whose routes
     * decide each byte and when the connection closes. Always picked free; unknown paths are 404.
     */
    public int wirePort() {
        requireStarted();
        return wirePort;
    }

    /**
     * An absolute URL on the wire port of host {@code ip} for a path such as {@code /wire/close/1}.
     */
    public URI wireUri(String ip, String pathAndQuery) {
        requireHost(ip);
        return URI.create("http://" + ip + ":" + wirePort() + "/").resolve(pathAndQuery);
    }

    /** The host IPs, in order. */
    public List<String> hosts() {
        return hosts;
    }

    /** The root URL of one host, e.g. {@code http://127.0.0.11:PORT/}. */
    public String baseUrl(String ip) {
        requireHost(ip);
        return "http://" + ip + ":" + port() + "/";
    }

    /** {@link #baseUrl} of every host, in host order: where a crawl of the site starts. */
    public List<String> startUrls() {
        return hosts.stream().map(this::baseUrl).toList();
    }

    /** An absolute URL on the first host for a path such as {@code /fault/slow?ms=100}. */
    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl(hosts.get(0))).resolve(pathAndQuery);
    }

    /**
     * The book that page {@code url} of the generated site shows, or null for a URL that is no book
     * page of a host (a home page, a fault route, another site).
     */
    public @Nullable BookPage bookPage(String url) {
        BookSite s = requireStarted();
        for (int h = 0; h < hosts.size(); h++) {
            String base = baseUrl(hosts.get(h));
            if (url.startsWith(base)) {
                int j = s.bookPageNumber("/" + url.substring(base.length()));
                if (j < 0) {
                    return null;
                }
                BookSite.Book book = s.book(h, j);
                return new BookPage(url, book.title(), book.price(), book.upc());
            }
        }
        return null;
    }

    /** What a complete crawl of the generated site must find; computed once, on first call. */
    public synchronized SiteManifest manifest() {
        if (manifest == null) {
            manifest = SiteManifest.of(requireStarted(), startUrls());
        }
        return manifest;
    }

    /**
     * The {@code /recrawl/} pages (on every host), whose versions a test changes between two runs
     * of a job: {@link RecrawlRoute#change}. {@link #reset()} brings every page back to version 1.
     */
    public RecrawlRoute recrawlRoute() {
        return recrawl;
    }

    /** What host {@code ip} received since the last {@link #reset()}. */
    public RequestLog log(String ip) {
        requireHost(ip);
        return logs.get(ip);
    }

    /**
     * What all hosts together received since the last {@link #reset()}: its {@link
     * RequestLog#maxConcurrent()} is the most requests in flight on the whole sandbox at once.
     */
    public RequestLog allHostsLog() {
        return allHosts;
    }

    /** Clears every host's request log and every route's attempt counters. */
    public void reset() {
        logs.values().forEach(RequestLog::reset);
        allHosts.reset();
        exactRoutes.values().forEach(Route::reset);
        prefixRoutes.forEach(Route::reset);
    }

    private void handle(int hostIndex, HttpExchange exchange) {
        String ip = hosts.get(hostIndex);
        RequestLog log = logs.get(ip);
        URI uri = exchange.getRequestURI();
        String path = uri.getPath() == null ? "/" : uri.getPath();
        String target =
                uri.getRawQuery() == null
                        ? uri.getRawPath()
                        : uri.getRawPath() + "?" + uri.getRawQuery();
        String hostHeader = exchange.getRequestHeaders().getFirst("Host");
        String referer = exchange.getRequestHeaders().getFirst("Referer");
        log.started(exchange.getRequestMethod(), path, target, hostHeader, referer);
        allHosts.started(exchange.getRequestMethod(), path, target, hostHeader, referer);
        AtomicBoolean done = new AtomicBoolean();
        Runnable release =
                () -> {
                    if (done.compareAndSet(false, true)) {
                        log.finished();
                        allHosts.finished();
                    }
                };
        OutputStream body = exchange.getResponseBody();
        exchange.setStreams(null, new InFlightBody(exchange, body, release));
        try {
            Replies.pause(latency.getOrDefault(ip, Duration.ZERO));
            @Nullable Route route = route(path);
            Duration crawlDelay = crawlDelays.get(ip);
            if (crawlDelay != null && path.equals("/robots.txt")) {
                String robots =
                        requireStarted()
                                .robotsTxt(hostIndex)
                                .replace(
                                        "User-agent: *\n",
                                        "User-agent: *\nCrawl-delay: "
                                                + crawlDelay.toMillis() / 1000.0
                                                + "\n");
                Replies.send(
                        exchange,
                        200,
                        "text/plain; charset=utf-8",
                        robots.getBytes(StandardCharsets.UTF_8));
            } else if (route != null) {
                route.handle(exchange);
            } else {
                BookSite.@Nullable Resource res = requireStarted().resolve(hostIndex, path);
                if (res == null) {
                    Replies.page(exchange, 404, "Not found");
                } else {
                    if (res.contentEncoding() != null) {
                        exchange.getResponseHeaders()
                                .set("Content-Encoding", res.contentEncoding());
                    }
                    Replies.send(exchange, 200, res.contentType(), res.body());
                }
            }
        } catch (IllegalArgumentException e) {
            answerError(exchange, 400, e);
        } catch (IOException e) {
            // the client went away mid-response (or a fault route broke it on purpose)
        } catch (RuntimeException e) {
            e.printStackTrace();
            answerError(exchange, 500, e);
        } finally {
            release.run();
            exchange.close();
        }
    }

    private @Nullable Route route(String path) {
        @Nullable Route exact = exactRoutes.get(path);
        if (exact != null) {
            return exact;
        }
        for (Route r : prefixRoutes) {
            if (path.startsWith(r.path())) {
                return r;
            }
        }
        return null;
    }

    private static void answerError(HttpExchange exchange, int status, Exception e) {
        try {
            Replies.send(
                    exchange,
                    status,
                    "text/plain; charset=utf-8",
                    String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent; closing the exchange is all that is left
        }
    }

    private static List<Route> routes() {
        Sessions sessions = new Sessions(); // the login and the pages behind it share them
        return List.of(
                new SlowRoute(),
                new DripRoute(),
                new ResetRoute(),
                new DropRoute(),
                new FlakyRoute(),
                new RateLimitRoute(),
                new RedirectRoute(),
                new RedirectLoopRoute(),
                new MetaRefreshRoute(),
                CompressedRoute.gzip(),
                CompressedRoute.deflate(),
                new BadGzipRoute(),
                new GzipBombRoute(),
                new HugeRoute(),
                CharsetRoute.gbk(),
                CharsetRoute.gbkMeta(),
                CharsetRoute.gbkSniff(),
                CharsetRoute.shiftJis(),
                new TrapRoute(),
                new EchoHeadersRoute(),
                new SetCookieRoute(),
                new EchoCookieRoute(),
                new StatusRoute(),
                new HeadersRoute(),
                new LocationRoute(),
                new Top250Route(),
                new SubjectRoute(),
                new InternationalLinksRoute(),
                new ApiBooksRoute(),
                new SearchApiRoute(),
                new EchoRequestRoute(),
                new LoginRoute(sessions),
                new AccountRoute(sessions));
    }

    private static List<WireRoute> wireRoutes() {
        return List.of(
                new CloseAfterResponseRoute(),
                new IdleCloseRoute(),
                new StatusLineRoute(),
                new Http09Route(),
                new BadChunkRoute());
    }

    private synchronized BookSite requireStarted() {
        if (site == null || port < 0) {
            throw new IllegalStateException("sandbox not started");
        }
        return site;
    }

    private void requireHost(String ip) {
        if (!logs.containsKey(ip)) {
            throw new IllegalArgumentException(
                    "not a sandbox host: " + ip + " (hosts: " + hosts + ")");
        }
    }

    /**
     * Runs a sandbox until the process is killed: {@code --hosts N --pages N --port P --seed S
     * [--manifest FILE]}, where {@code --pages} is per host. Prints the start URLs, one per line.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Builder b = builder();
        @Nullable Path manifestFile = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw usage("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--hosts" -> b.hosts(integer(name, value));
                case "--pages" -> b.pagesPerHost(integer(name, value));
                case "--port" -> b.port(integer(name, value));
                case "--seed" -> b.seed(integer(name, value));
                case "--manifest" -> manifestFile = Path.of(value);
                default -> throw usage("unknown option " + name);
            }
        }
        Sandbox sandbox = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    sandbox.close();
                                    stopped.countDown();
                                },
                                "sandbox-shutdown"));
        SiteManifest m = sandbox.manifest();
        if (manifestFile != null) {
            m.writeJson(manifestFile);
        }
        PrintStream out = System.out;
        sandbox.startUrls().forEach(out::println);
        System.err.printf(
                Locale.ROOT,
                "sandbox: %d crawlable pages, %d items, hash %s; faults under /fault/, Ctrl-C stops%n",
                m.crawlablePages(),
                m.itemsTotal(),
                m.itemsMultisetHashHex());
        stopped.await();
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw usage(name + " needs an integer, got '" + value + "'");
        }
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(
                problem
                        + "; usage: Sandbox [--hosts N] [--pages N-per-host] [--port P] [--seed S]"
                        + " [--manifest FILE]");
    }

    /** Configures a {@link Sandbox}; each option may be set once and is checked when set. */
    public static final class Builder {
        private List<String> hosts = defaultHosts(4);
        private int pagesPerHost = 500;
        private long seed = 1;
        private int port;
        private final Map<String, Duration> latency = new HashMap<>();
        private final Map<String, Duration> crawlDelays = new HashMap<>();
        private final Set<String> set = new HashSet<>();

        private Builder() {}

        /** The host IPs; each must be a loopback address (127.0.0.0/8) and appear once. */
        public Builder hosts(List<String> ips) {
            once("hosts");
            if (ips.isEmpty() || ips.stream().distinct().count() != ips.size()) {
                throw new IllegalArgumentException("hosts: at least one, no duplicates: " + ips);
            }
            for (String ip : ips) {
                try {
                    if (!InetAddress.getByName(ip).isLoopbackAddress() || !ip.startsWith("127.")) {
                        throw new IllegalArgumentException("hosts: not a 127.x.y.z address: " + ip);
                    }
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("hosts: not an IP address: " + ip, e);
                }
            }
            hosts = List.copyOf(ips);
            return this;
        }

        /** {@code n} hosts: 127.0.0.11, 127.0.0.12, ... (1..200). */
        public Builder hosts(int n) {
            if (n < 1 || n > 200) {
                throw new IllegalArgumentException("hosts: 1..200, got " + n);
            }
            return hosts(defaultHosts(n));
        }

        /** Crawlable pages per host, index page included (at least 2). */
        public Builder pagesPerHost(int pages) {
            once("pagesPerHost");
            if (pages < 2) {
                throw new IllegalArgumentException("pagesPerHost: at least 2, got " + pages);
            }
            pagesPerHost = pages;
            return this;
        }

        /** The content seed: equal seeds give byte-identical pages. */
        public Builder seed(long seed) {
            once("seed");
            this.seed = seed;
            return this;
        }

        /** The port for every host; 0 (the default) picks one free on all of them. */
        public Builder port(int port) {
            once("port");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port: 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** A delay before every response of host {@code ip}, e.g. to make requests overlap. */
        public Builder latency(String ip, Duration delay) {
            once("latency " + ip);
            if (delay.isNegative()) {
                throw new IllegalArgumentException("latency: negative for " + ip + ": " + delay);
            }
            latency.put(ip, delay);
            return this;
        }

        /** A {@code Crawl-delay} line in the robots.txt of host {@code ip}. */
        public Builder crawlDelay(String ip, Duration delay) {
            once("crawlDelay " + ip);
            if (delay.isNegative()) {
                throw new IllegalArgumentException("crawlDelay: negative for " + ip + ": " + delay);
            }
            crawlDelays.put(ip, delay);
            return this;
        }

        /**
         * @throws IllegalArgumentException if a latency or crawl delay names an IP that is not a
         *     host
         */
        public Sandbox build() {
            for (String ip : crawlDelays.keySet()) {
                if (!hosts.contains(ip)) {
                    throw new IllegalArgumentException(
                            "crawlDelay: " + ip + " is not one of " + hosts);
                }
            }
            for (String ip : latency.keySet()) {
                if (!hosts.contains(ip)) {
                    throw new IllegalArgumentException(
                            "latency: " + ip + " is not one of " + hosts);
                }
            }
            return new Sandbox(this);
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        private static List<String> defaultHosts(int n) {
            List<String> ips = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ips.add("127.0.0." + (11 + i));
            }
            return ips;
        }
    }
}
