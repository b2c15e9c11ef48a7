package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.CrawlRun;
import org.arachne.item.Item;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.ApiBooksRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code examples/books-api.yaml} over the sandbox's JSON API, compared with what it serves. */
@Timeout(60)
class JsonApiIT {
    private static final String HOST = "127.0.0.132";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(2).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void crawl_booksApiExample_followsEveryListPageAndGivesEachBookOnce() throws IOException {
        DeclarativeSpider spider =
                YamlSpiders.load(
                        Path.of("..", "examples", "books-api.yaml"),
                        Map.of("host", HOST + ":" + sandbox.port()));

        CrawlRun run = CrawlRun.of(spider, Map.of());
        CrawlResult result = run.result();
        List<Item> items = run.items();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(result.stats()).doesNotContainKey("error_count");
        String base = sandbox.baseUrl(HOST);
        assertThat(items)
                .containsExactlyInAnyOrderElementsOf(
                        ApiBooksRoute.books().stream()
                                .map(
                                        b ->
                                                Item.of(
                                                        "id",
                                                        (long) b.id(),
                                                        "title",
                                                        b.title(),
                                                        "price",
                                                        b.price(),
                                                        "stock",
                                                        (long) b.stock(),
                                                        "tags",
                                                        b.tags(),
                                                        "url",
                                                        base + "api/books/" + b.id()))
                                .toList());
        assertThat(sandbox.log(HOST).starts())
                .extracting(RequestStart::target)
                .filteredOn(t -> t.startsWith("/api/books?") || t.equals("/api/books"))
                .containsExactlyInAnyOrder(
                        "/api/books",
                        "/api/books?page=2",
                        "/api/books?page=3",
                        "/api/books?page=4",
                        "/api/books?page=5")
                .as("every list page once, through the next links");
    }
}
