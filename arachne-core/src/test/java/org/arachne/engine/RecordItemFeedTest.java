package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.export.Feed;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A spider's records reach every feed format exactly as the equivalent items do (#12). */
@Timeout(20)
class RecordItemFeedTest {
    @TempDir Path dir;

    record Author(String name, int born) {}

    record Book(
            String title, double price, Author author, List<String> tags, Optional<String> isbn) {}

    private static final List<Book> BOOKS =
            List.of(
                    new Book(
                            "Dune",
                            9.5,
                            new Author("Herbert", 1920),
                            List.of("sf"),
                            Optional.empty()),
                    new Book(
                            "Emma, \"a novel\"",
                            4.0,
                            new Author("Austen", 1775),
                            List.of(),
                            Optional.of("978-0")));

    /** Emits the books as records, or as the items made of the same fields by hand. */
    private record BookSpider(boolean records) implements Spider {
        @Override
        public String name() {
            return "books";
        }

        @Override
        public List<String> startUrls() {
            return List.of("http://a.test/");
        }

        @Override
        public void parse(Response response, Output out) {
            for (Book book : BOOKS) {
                if (records) {
                    out.item(book);
                } else {
                    out.item(
                            Item.of(
                                    "title", book.title(),
                                    "price", book.price(),
                                    "author",
                                            Item.of(
                                                            "name", book.author().name(),
                                                            "born", book.author().born())
                                                    .fields(),
                                    "tags", book.tags(),
                                    "isbn", book.isbn().orElse(null)));
                }
            }
        }
    }

    private String written(boolean records, String file) throws Exception {
        Path path = dir.resolve((records ? "records-" : "items-") + file);
        Crawler.builder(new BookSpider(records))
                .downloader(new FakeWeb().page("http://a.test/", "<html></html>"))
                .setting("robotstxt_obey", false)
                .feed(Feed.of(path, true))
                .build()
                .run();
        return Files.readString(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"books.jsonl", "books.json", "books.csv"})
    void records_areWrittenAsTheEquivalentItems(String file) throws Exception {
        String fromRecords = written(true, file);

        assertThat(fromRecords).isEqualTo(written(false, file)).contains("Herbert");
        if (file.endsWith(".csv")) {
            assertThat(fromRecords.lines().findFirst()).hasValue("title,price,author,tags,isbn");
        }
    }
}
