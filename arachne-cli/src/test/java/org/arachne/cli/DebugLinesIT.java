package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-level debug}: one line per response, per item scraped, per item and field dropped;
 * none of them at info. Counted against the crawl's stats and the items written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DebugLinesIT {
    private static final String HOST = "127.0.0.21";
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(25).port(0).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** The books spider, with a block that book pages fill and other pages drop. */
    private Path spider() throws IOException {
        Path p = dir.resolve("books.yaml");
        Files.writeString(
                p,
                """
                name: books
                start_urls: ["START"]
                allowed_domains: [HOST]
                rules:
                  - follow: true
                items:
                  - each: "//article[@class='product_pod']"
                    fields:
                      title: {xpath: "./h3/a/@title"}
                      price: {xpath: ".//p[@class='price_color']/text()"}
                  - fields:
                      book: {xpath: "//div[contains(@class, 'product_main')]/h1/text()", required: true}
                      number: {xpath: "//p[@class='price_color']/text()", type: int}
                """
                        .replace("START", sandbox.baseUrl(HOST))
                        .replace("HOST", HOST),
                StandardCharsets.UTF_8);
        return p;
    }

    private record Crawl(Run run, List<String> messages, JsonNode stats, int items) {
        long count(String prefix) {
            return messages.stream().filter(m -> m.startsWith(prefix)).count();
        }

        long stat(String key) {
            return stats.path("stats").path(key).asLong();
        }
    }

    private Crawl crawl(String level) throws IOException {
        Path out = dir.resolve(level + ".jsonl");
        Path stats = dir.resolve(level + "-stats.json");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        Run run;
        try {
            run =
                    Run.of(
                            "crawl",
                            spider().toString(),
                            "-o",
                            out.toString(),
                            "--stats-json",
                            stats.toString(),
                            "--log-level",
                            level);
        } finally {
            root.detachAppender(events);
        }
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> messages =
                events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        return new Crawl(
                run,
                messages,
                new ObjectMapper().readTree(stats.toFile()),
                OutputFiles.readItems(Feed.of(out, true)).size());
    }

    @Test
    void crawl_atDebug_logsALinePerResponseAndItemAndDrop() throws IOException {
        Crawl crawl = crawl("debug");

        assertThat(crawl.items()).isPositive();
        assertThat(crawl.count("crawled "))
                .isEqualTo(crawl.stat("response_received_count"))
                .isPositive();
        assertThat(crawl.count("scraped from ")).isEqualTo(crawl.items());
        assertThat(crawl.count("dropped an item of "))
                .isEqualTo(crawl.stat("spider/item_dropped/required_field_missing"))
                .isPositive();
        assertThat(crawl.count("dropped field number of "))
                .isEqualTo(crawl.stat("spider/field_conversion_failed/number"))
                .isPositive();
        assertThat(crawl.messages())
                .anyMatch(
                        m ->
                                m.matches(
                                        "crawled 200 GET "
                                                + sandbox.baseUrl(HOST)
                                                + " \\(referer: none, \\d+ ms, \\d+ (B|KiB)\\)"))
                .anyMatch(
                        m ->
                                m.matches(
                                        "dropped an item of http://\\S+: its required field book"
                                                + " is empty"));
    }

    @Test
    void crawl_atInfo_logsNoneOfThem() throws IOException {
        Crawl crawl = crawl("info");

        assertThat(crawl.items()).isPositive();
        assertThat(crawl.messages())
                .noneMatch(
                        m ->
                                m.startsWith("crawled ")
                                        || m.startsWith("scraped from ")
                                        || m.startsWith("dropped "));
    }
}
