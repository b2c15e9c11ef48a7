package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.Top250Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Douban Top 250 spider, unchanged but for its start URLs, against the sandbox route
 * that serves pages of Douban's structure (and, like Douban, answers 418 to non-browser agents).
 */
@Timeout(60)
class DoubanExampleIT {
    @TempDir Path dir;

    @Test
    void doubanExample_scrapesAll250BooksAsUtf8() throws Exception {
        try (Sandbox sandbox =
                Sandbox.builder().hosts(List.of("127.0.0.61")).pagesPerHost(2).build().start()) {
            String host = "127.0.0.61:" + sandbox.port();
            DeclarativeSpider douban =
                    YamlSpiders.load(Path.of("..", "examples", "douban.yaml"))
                            .withStartUrls(
                                    IntStream.range(0, 10)
                                            .mapToObj(
                                                    i ->
                                                            "http://"
                                                                    + host
                                                                    + "/top250?start="
                                                                    + i * 25)
                                            .toList());
            Path out = dir.resolve("douban.jsonl");

            CrawlResult result =
                    Crawler.builder(douban)
                            .setting("download_delay", "0s") // the file's 1 s is for the real site
                            .feed(Feed.of(out, true))
                            .build()
                            .run();

            assertThat(result.errors()).isZero();
            assertThat(result.stats()).doesNotContainKey("downloader/response_status_count/418");
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            List<String> expected =
                    Top250Route.expected(host).stream()
                            .map(
                                    e ->
                                            "{\"title\":\""
                                                    + e.title()
                                                    + "\",\"link\":\""
                                                    + e.link()
                                                    + "\"}")
                            .toList();
            assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).doesNotContain("\\u");
        }
    }
}
