package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.item.Item;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.AccountRoute;
import org.arachne.sandbox.route.LoginRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A YAML spider with a {@code login:} against the sandbox's login and the pages behind it: the
 * account's orders with the right session, a clear error with the wrong password, no password in
 * the logs, and a resumed job that logs in again.
 */
@Timeout(60)
class LoginIT {
    private static final String HOST = "127.0.0.152";
    private static final String WRONG_PASSWORD = "not-the-password-7";

    static final String SPIDER =
            """
            name: account
            arguments: {host: ~}
            start_urls: ['http://${host}/account/']
            login:
              url: 'http://${host}/login'
              form: {css: 'form#login'}
              fields:
                username: alice
                password: {env: SANDBOX_PASSWORD}
              success: {css: p.user}
              fail_if: "//p[@class='error']"
            rules:
              - allow: ['/account/orders/']
            items:
              - url_pattern: '/account/orders/'
                fields:
                  id: {xpath: //h1/text(), regex: 'Order (\\d+)', type: int}
                  total: {css: 'span.total::text', type: decimal}
                  status: {css: 'span.status::text'}
            """;

    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(2).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private static DeclarativeSpider spider(String password) {
        return new DeclarativeSpider(
                YamlSpiders.parse(
                        SPIDER,
                        "account.yaml",
                        Map.of("host", HOST + ":" + sandbox.port()),
                        Map.of("SANDBOX_PASSWORD", password)));
    }

    private static CrawlResult crawl(
            DeclarativeSpider spider, List<Item> items, Map<String, Object> settings) {
        return Crawler.builder(spider)
                .setting("robotstxt_obey", false)
                .settings(settings)
                .pipeline(
                        item -> {
                            items.add(item);
                            return item;
                        })
                .build()
                .run();
    }

    private static List<Item> expectedOrders() {
        return AccountRoute.orders().stream()
                .map(o -> Item.of("id", (long) o.id(), "total", o.total(), "status", o.status()))
                .toList();
    }

    private static List<String> targets() {
        return sandbox.log(HOST).starts().stream().map(RequestStart::target).toList();
    }

    @Test
    void crawl_loggedIn_givesEveryOrderBehindTheSessionCookie() {
        List<Item> items = new CopyOnWriteArrayList<>();

        CrawlResult result = crawl(spider(LoginRoute.PASSWORD), items, Map.of());

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.stats())
                .containsEntry("login/succeeded", 1L)
                .containsEntry("login/request_count", 3L) // form, POST, its redirect
                .doesNotContainKey("error_count");
        assertThat(items).containsExactlyInAnyOrderElementsOf(expectedOrders());
        assertThat(targets())
                .as("the login first, then the account; never the login page again")
                .startsWith("/login", "/login", "/account/")
                .filteredOn(t -> t.startsWith("/login"))
                .hasSize(2);
    }

    @Test
    void crawl_wrongPassword_abortsWithTheReasonAndCrawlsNothing() {
        List<Item> items = new CopyOnWriteArrayList<>();

        CrawlResult result = crawl(spider(WRONG_PASSWORD), items, Map.of());

        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason())
                .isEqualTo(
                        "login failed: the page after logging in, "
                                + sandbox.baseUrl(HOST)
                                + "login, matches fail_if (xpath //p[@class='error']): are the"
                                + " credentials right?");
        assertThat(result.stats()).containsEntry("login/failed", 1L);
        assertThat(items).isEmpty();
        assertThat(targets()).containsExactly("/login", "/login");
    }

    @Test
    void logs_atDebugLevel_neverShowThePassword() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        root.setLevel(Level.DEBUG);
        CrawlResult good;
        CrawlResult bad;
        try {
            good = crawl(spider(LoginRoute.PASSWORD), new CopyOnWriteArrayList<>(), Map.of());
            bad = crawl(spider(WRONG_PASSWORD), new CopyOnWriteArrayList<>(), Map.of());
        } finally {
            root.setLevel(before);
            root.detachAppender(logged);
        }

        assertThat(good.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(bad.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(logged.list)
                .as("debug lines were logged")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("login: 302 POST"));
        for (ILoggingEvent event : logged.list) {
            String text =
                    event.getFormattedMessage()
                            + (event.getThrowableProxy() == null
                                    ? ""
                                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain(LoginRoute.PASSWORD).doesNotContain(WRONG_PASSWORD);
        }
        assertThat(good.stats().keySet() + " " + bad.reason() + " " + spider(LoginRoute.PASSWORD))
                .doesNotContain(LoginRoute.PASSWORD);
    }

    @Test
    void resume_withJobDir_logsInAgainAndKeepsNoPassword(@TempDir Path dir) throws IOException {
        Map<String, Object> settings =
                Map.of(
                        "job_dir",
                        dir.resolve("job").toString(),
                        "concurrent_requests",
                        1,
                        "closespider_pagecount",
                        3);
        List<Item> items = new CopyOnWriteArrayList<>();

        CrawlResult first = crawl(spider(LoginRoute.PASSWORD), items, settings);
        CrawlResult second =
                crawl(
                        spider(LoginRoute.PASSWORD),
                        items,
                        Map.of("job_dir", dir.resolve("job").toString()));

        assertThat(first.status()).isEqualTo(CrawlResult.Status.CLOSED);
        assertThat(second.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(second.stats())
                .as("one login per run: a job's counters carry over")
                .containsEntry("login/succeeded", 2L);
        assertThat(items).containsExactlyInAnyOrderElementsOf(expectedOrders());
        assertThat(targets())
                .as("each run logged in, and no account page was sent to the login")
                .filteredOn(t -> t.startsWith("/login"))
                .containsExactly("/login", "/login", "/login", "/login");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(LoginRoute.PASSWORD);
            }
        }
    }

    @Test
    void crawl_loginExample_givesEveryOrder() throws IOException {
        Path file = Path.of("..", "examples", "login.yaml");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> arguments = Map.of("host", HOST + ":" + sandbox.port());
        Map<String, String> environment = Map.of("ARACHNE_SANDBOX_PASSWORD", LoginRoute.PASSWORD);
        List<Item> items = new CopyOnWriteArrayList<>();

        assertThat(YamlSpiders.check(text, file.toString(), arguments, environment)).isEmpty();
        assertThat(YamlSpiders.check(text, file.toString(), arguments, Map.of()))
                .extracting(Problem::message)
                .containsExactly(
                        "the environment variable ARACHNE_SANDBOX_PASSWORD is not set; set it to"
                                + " the value");
        CrawlResult result =
                crawl(
                        new DeclarativeSpider(
                                YamlSpiders.parse(text, file.toString(), arguments, environment)),
                        items,
                        Map.of());

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(items).containsExactlyInAnyOrderElementsOf(expectedOrders());
    }
}
