package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arachne.http.Forms;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Login;
import org.arachne.spider.LoginFailedException;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link Spider#login()} as the engine runs it: first, through the downloader, or not at all. */
class EngineLoginTest {
    private static final String FORM =
            "<form action='/session' method='post'><input type='hidden' name='t' value='1'>"
                    + "<input name='user'></form>";

    /** A Java spider that logs in with {@link Forms} and emits the title of every page. */
    private record AccountSpider(Login login) implements Spider {
        @Override
        public String name() {
            return "account";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/account");
        }

        @Override
        public void parse(Response response, Output out) {
            out.item(Map.of("title", response.css("title::text").get("")));
        }
    }

    /** GET the form, submit it as alice; logged in when the page after it greets her. */
    private static final Login FORM_LOGIN =
            new Login() {
                @Override
                public Request start() {
                    return Request.get("http://a.test/login");
                }

                @Override
                public @Nullable Request next(Response response, int step) {
                    if (step == 1) {
                        return Forms.fromResponse(response, Map.of("user", "alice"));
                    }
                    if (!response.text().contains("hello alice")) {
                        throw new LoginFailedException("no greeting at " + response.url());
                    }
                    return null;
                }
            };

    private static FakeWeb site() {
        return new FakeWeb()
                .page("http://a.test/robots.txt", "")
                .page("http://a.test/login", FORM)
                .route(
                        "http://a.test/session",
                        r ->
                                r.method().equals("POST")
                                                && r.body()
                                                        .decode(StandardCharsets.UTF_8)
                                                        .equals("t=1&user=alice")
                                        ? FakeWeb.redirect(r, "/home")
                                        : FakeWeb.html(r, 403, "no"))
                .page("http://a.test/home", "<p>hello alice</p>")
                .page("http://a.test/account", "<title>account</title>");
    }

    private static CrawlResult crawl(Spider spider, FakeWeb web, List<Item> items) {
        return Crawler.builder(spider)
                .downloader(web)
                .pipeline(
                        item -> {
                            items.add(item);
                            return item;
                        })
                .build()
                .run();
    }

    @Test
    void login_runsBeforeTheStartRequests_followingItsRedirects() {
        FakeWeb web = site();
        List<Item> items = new CopyOnWriteArrayList<>();

        CrawlResult result = crawl(new AccountSpider(FORM_LOGIN), web, items);

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(web.fetched)
                .startsWith("http://a.test/login", "http://a.test/session", "http://a.test/home")
                .contains("http://a.test/account");
        assertThat(items).containsExactly(Item.of("title", "account"));
        assertThat(result.stats())
                .containsEntry(LoginRunner.REQUESTS, 3L)
                .containsEntry(LoginRunner.SUCCEEDED, 1L);
        assertThat(result.stats().get(StatKeys.RESPONSE_RECEIVED_COUNT))
                .as("login responses are no pages of the crawl")
                .isEqualTo(1L);
    }

    @Test
    void login_failing_abortsBeforeAnyOtherRequest() {
        FakeWeb web = site().page("http://a.test/home", "<p>who are you?</p>");

        CrawlResult result =
                crawl(new AccountSpider(FORM_LOGIN), web, new CopyOnWriteArrayList<>());

        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason()).isEqualTo("login failed: no greeting at http://a.test/home");
        assertThat(result.stats())
                .containsEntry(LoginRunner.FAILED, 1L)
                .containsEntry("error_count/login", 1L);
        assertThat(web.fetched).doesNotContain("http://a.test/account", "http://a.test/robots.txt");
    }

    @Test
    void login_thatNeverEnds_isStoppedAfterTenRequests() {
        FakeWeb web = site();
        Login endless =
                new Login() {
                    @Override
                    public Request start() {
                        return Request.get("http://a.test/login");
                    }

                    @Override
                    public Request next(Response response, int step) {
                        return Request.get("http://a.test/login");
                    }
                };

        CrawlResult result = crawl(new AccountSpider(endless), web, new CopyOnWriteArrayList<>());

        assertThat(result.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(result.reason()).contains("more than 10 login requests");
        assertThat(web.count("http://a.test/login")).isEqualTo(10);
    }

    @Test
    void login_downloadFailureOrBug_abortsWithTheReason() {
        FakeWeb web = site().route("http://a.test/login", r -> null); // a reset
        Login buggy =
                new Login() {
                    @Override
                    public Request start() {
                        throw new IllegalStateException("no URL configured");
                    }

                    @Override
                    public @Nullable Request next(Response response, int step) {
                        return null;
                    }
                };

        CrawlResult reset = crawl(new AccountSpider(FORM_LOGIN), web, new CopyOnWriteArrayList<>());
        CrawlResult bug = crawl(new AccountSpider(buggy), site(), new CopyOnWriteArrayList<>());

        assertThat(reset.reason())
                .startsWith("login failed: cannot fetch a login page: connection_reset");
        assertThat(bug.status()).isEqualTo(CrawlResult.Status.ABORTED);
        assertThat(bug.reason())
                .isEqualTo("login failed: java.lang.IllegalStateException: no URL configured");
    }
}
