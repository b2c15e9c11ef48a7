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
import java.util.Map;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.arachne.spider.yaml.YamlSpiders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The columns of a CSV feed when items differ in shape (#9): never a blank row, never silent. */
@Timeout(20)
class CsvFeedTest {
    @TempDir Path dir;

    private static final String PAGE =
            """
            <html><body>
            <div class="book"><h3>Dune</h3><p>9.50</p></div>
            <div class="author"><h3>Herbert</h3><span>1920</span></div>
            </body></html>
            """;

    private static final String TWO_SHAPES =
            """
            name: shapes
            start_urls: [http://a.test/]
            items:
              - each: "//div[@class='book']"
                fields:
                  title: {xpath: "h3/text()"}
                  price: {xpath: "p/text()"}
              - each: "//div[@class='author']"
                fields:
                  name: {xpath: "h3/text()"}
                  born: {xpath: "span/text()", type: int}
                  title: {constant: author}
            """;

    /** A Java spider: the first page's item has a title, the later pages' also an extra field. */
    private static final class GrowingSpider implements Spider {
        @Override
        public String name() {
            return "growing";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/");
        }

        @Override
        public void parse(Response response, Output out) {
            if (response.url().endsWith("/")) {
                out.item(Item.of("title", "home"));
                out.follow("/1", this::later);
            }
        }

        void later(Response response, Output out) {
            out.item(Item.of("title", "one", "extra", 1, "more", true));
            out.item(Item.of("title", "two", "extra", 2));
        }
    }

    private static CrawlResult crawl(
            Spider spider, FakeWeb web, Map<String, ?> settings, Feed feed) {
        return Crawler.builder(spider)
                .downloader(web)
                .setting("robotstxt_obey", false)
                .settings(settings)
                .feed(feed)
                .build()
                .run();
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void yamlSpider_twoItemShapes_oneHeaderWithTheUnionInDeclarationOrder_everyRowFilled()
            throws Exception {
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(TWO_SHAPES, "s.yaml"));
        Path csv = dir.resolve("items.csv");

        CrawlResult result =
                crawl(
                        spider,
                        new FakeWeb().page("http://a.test/", PAGE),
                        Map.of(),
                        Feed.of(csv, true));

        assertThat(result.items()).isEqualTo(2);
        assertThat(read(csv))
                .isEqualTo("title,price,name,born\n" + "Dune,9.50,,\n" + "author,,Herbert,1920\n");
        assertThat(result.stats().keySet()).noneMatch(k -> k.startsWith("feedexport/"));
    }

    @Test
    void yamlSpider_itemFields_areTheUnionOfEveryItemBlock() {
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(TWO_SHAPES, "s.yaml"));
        assertThat(spider.itemFields()).containsExactly("title", "price", "name", "born");
    }

    @Test
    void javaSpider_fieldNotAColumn_isCountedPerFieldAndWarnedOnceWithTheFirstUrl()
            throws Exception {
        Path csv = dir.resolve("items.csv");
        FakeWeb web = new FakeWeb().page("http://a.test/", "<html></html>");
        web.page("http://a.test/1", "<html></html>");
        Logger log = (Logger) LoggerFactory.getLogger(FeedWriter.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        CrawlResult result;
        try {
            result = crawl(new GrowingSpider(), web, Map.of(), Feed.of(csv, true));
        } finally {
            log.detachAppender(logged);
        }

        assertThat(read(csv)).isEqualTo("title\nhome\none\ntwo\n");
        assertThat(result.stats())
                .containsEntry("feedexport/field_dropped/extra", 2L)
                .containsEntry("feedexport/field_dropped/more", 1L);
        List<String> warnings =
                logged.list.stream()
                        .filter(e -> e.getLevel() == Level.WARN)
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings)
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("'extra'")
                                        .contains("http://a.test/1")
                                        .contains(csv.toString())
                                        .contains("feed_export_fields"));
    }

    @Test
    void feedExportFields_fixesTheColumnsAndTheirOrder_andTheFieldsOfJsonFeeds() throws Exception {
        Path csv = dir.resolve("items.csv");
        Path jsonl = dir.resolve("items.jsonl");
        FakeWeb web = new FakeWeb().page("http://a.test/", "<html></html>");
        web.page("http://a.test/1", "<html></html>");

        CrawlResult result =
                Crawler.builder(new GrowingSpider())
                        .downloader(web)
                        .setting("robotstxt_obey", false)
                        .setting("feed_export_fields", List.of("extra", "title"))
                        .feed(Feed.of(csv, true))
                        .feed(Feed.of(jsonl, true))
                        .build()
                        .run();

        assertThat(read(csv)).isEqualTo("extra,title\n,home\n1,one\n2,two\n");
        assertThat(read(jsonl))
                .isEqualTo(
                        "{\"title\":\"home\"}\n"
                                + "{\"extra\":1,\"title\":\"one\"}\n"
                                + "{\"extra\":2,\"title\":\"two\"}\n");
        assertThat(result.stats()).containsEntry("feedexport/field_dropped/more", 2L);
    }

    @Test
    void feedExportFields_overTheYamlSpidersOwnFields() throws Exception {
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(TWO_SHAPES, "s.yaml"));
        Path csv = dir.resolve("items.csv");

        crawl(
                spider,
                new FakeWeb().page("http://a.test/", PAGE),
                Map.of("feed_export_fields", "name,title"),
                Feed.of(csv, true));

        assertThat(read(csv)).isEqualTo("name,title\n,Dune\nHerbert,author\n");
    }
}
