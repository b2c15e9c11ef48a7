package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A URL's password never reaches a log line, the fetched-URL log or a stat (issue #9), while the
 * requests still carry it: retries, failures for good, redirects, callback errors, skipped links.
 */
@Timeout(20)
class CredentialsInLogsTest {
    private static final String HOME = "http://user:secret@a.test/";

    @TempDir Path dir;

    private static final class CredentialSpider implements Spider {
        @Override
        public String name() {
            return "credentials";
        }

        @Override
        public List<String> startUrls() {
            return List.of(HOME);
        }

        @Override
        public void parse(Response response, Output out) {
            if (response.url().equals(HOME)) {
                out.follow("broken");
                out.follow("moved");
                out.follow("throws");
                out.follow("http://user:secret@a.test:99999/");
                return;
            }
            throw new IllegalStateException("cannot parse " + response.url());
        }
    }

    @Test
    void crawlWithCredentials_logsThemMasked() throws Exception {
        FakeWeb web =
                new FakeWeb()
                        .page(HOME, "<html></html>")
                        .route(HOME + "broken", r -> null)
                        .route(HOME + "moved", r -> FakeWeb.redirect(r, HOME + "throws?from=moved"))
                        .page(HOME + "throws", "<html></html>")
                        .page(HOME + "throws?from=moved", "<html></html>");
        Logger arachne = (Logger) LoggerFactory.getLogger("org.arachne");
        Level level = arachne.getLevel();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        arachne.addAppender(logged);
        arachne.setLevel(Level.TRACE);
        Path fetched = dir.resolve("fetched.txt");
        CrawlResult result;
        try {
            result =
                    Crawler.builder(new CredentialSpider())
                            .downloader(web)
                            .setting("robotstxt_obey", false)
                            .setting("retry_times", 1)
                            .setting("retry_backoff_base", "1ms")
                            .fetchedUrls(fetched)
                            .build()
                            .run();
        } finally {
            arachne.detachAppender(logged);
            arachne.setLevel(level);
        }

        assertThat(web.fetched).contains(HOME + "broken", HOME + "throws?from=moved");
        assertThat(result.errorsByKind())
                .containsKeys("download/connection_reset", "callback/IllegalStateException");
        assertThat(logged.list).hasSizeGreaterThan(4);
        for (ILoggingEvent event : logged.list) {
            assertThat(event.getFormattedMessage()).doesNotContain("secret");
        }
        assertThat(logged.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("user:***@a.test"));
        assertThat(Files.readString(fetched, StandardCharsets.UTF_8))
                .doesNotContain("secret")
                .contains("http://user:***@a.test/throws");
        assertThat(result.stats().keySet()).noneMatch(key -> key.contains("secret"));
    }
}
