package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.arachne.spider.Sitemaps;
import org.junit.jupiter.api.Test;

class ExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void books_definition() throws IOException {
        Path file = EXAMPLES.resolve("books.yaml");

        SpiderDefinition books = YamlSpiders.load(file).definition();

        assertThat(YamlSpiders.check(file)).isEmpty();
        assertThat(books.name()).isEqualTo("books");
        assertThat(books.startUrls()).containsExactly("http://127.0.0.11:8321/");
        assertThat(books.allowedDomains()).containsExactly("127.0.0.11");
        assertThat(books.settings())
                .isEqualTo(Map.of("concurrent_requests", "32", "download_delay", "0s"));
        assertThat(books.rules()).containsExactly(RuleDefinition.followAll());
        assertThat(books.output()).isEqualTo(new OutputDefinition("books.jsonl", true));
        assertThat(books.items())
                .containsExactly(
                        new ItemDefinition(
                                null,
                                "//article[@class='product_pod']",
                                SelectorType.XPATH,
                                null,
                                List.of(
                                        xpath("title", "h3/a/@title", FieldType.STRING, true),
                                        xpath(
                                                "price",
                                                ".//p[@class='price_color']/text()",
                                                FieldType.STRING,
                                                false),
                                        xpath("link", "h3/a/@href", FieldType.URL, false))));
    }

    @Test
    void douban_definition() throws IOException {
        Path file = EXAMPLES.resolve("douban.yaml");

        DeclarativeSpider spider = YamlSpiders.load(file);
        SpiderDefinition douban = spider.definition();

        assertThat(YamlSpiders.check(file)).isEmpty();
        assertThat(douban.name()).isEqualTo("douban");
        assertThat(douban.startUrls())
                .containsExactlyElementsOf(
                        IntStream.range(0, 10)
                                .mapToObj(i -> "https://book.douban.com/top250?start=" + i * 25)
                                .toList());
        assertThat(spider.allowedDomains()).containsExactly("book.douban.com");
        assertThat(String.valueOf(spider.settings().get("user_agent")))
                .startsWith("Mozilla/5.0 (Windows NT 10.0");
        assertThat(douban.rules()).isEmpty();
        assertThat(douban.output()).isEqualTo(new OutputDefinition("douban.jsonl", true));
        assertThat(douban.items())
                .containsExactly(
                        new ItemDefinition(
                                null,
                                "//div[@class=\"pl2\"]",
                                SelectorType.XPATH,
                                null,
                                List.of(
                                        xpath("title", "./a/text()", FieldType.STRING, false),
                                        xpath("link", "./a/@href", FieldType.URL, false))));
    }

    private static FieldDefinition xpath(
            String name, String expr, FieldType type, boolean required) {
        return new FieldDefinition(
                name, SelectorType.XPATH, expr, null, null, null, List.of(), type, required, null);
    }

    @Test
    void booksSitemap_definition() throws IOException {
        Path file = EXAMPLES.resolve("books-sitemap.yaml");

        SpiderDefinition spider = YamlSpiders.load(file).definition();

        assertThat(YamlSpiders.check(file)).isEmpty();
        assertThat(spider.startUrls()).isEmpty();
        assertThat(spider.sitemaps().urls()).containsExactly("http://127.0.0.11:8321/robots.txt");
        assertThat(spider.sitemaps().rules())
                .containsExactly(
                        new Sitemaps.Rule("/catalogue/", "book"),
                        new Sitemaps.Rule("/$", "listing"));
        assertThat(spider.rules()).isEmpty();
        assertThat(spider.items())
                .extracting(ItemDefinition::name)
                .containsExactly("book", "listing");
    }

    @Test
    void booksApi_definition() throws IOException {
        Path file = EXAMPLES.resolve("books-api.yaml");

        SpiderDefinition spider = YamlSpiders.load(file).definition();

        assertThat(YamlSpiders.check(file)).isEmpty();
        assertThat(spider.startUrls()).containsExactly("http://127.0.0.11:8321/api/books");
        assertThat(spider.rules())
                .extracting(RuleDefinition::links, RuleDefinition::callback, RuleDefinition::follow)
                .containsExactly(tuple("next", null, true), tuple("url", "book", false));
        assertThat(spider.items())
                .singleElement()
                .extracting(ItemDefinition::selectorType)
                .isEqualTo(SelectorType.JMESPATH);
        assertThat(
                        YamlSpiders.load(file, Map.of("host", "127.0.0.12:8321"))
                                .definition()
                                .startUrls())
                .containsExactly("http://127.0.0.12:8321/api/books");
    }
}
