package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.CrawlRun;
import org.arachne.engine.Crawler;
import org.arachne.item.Item;
import org.arachne.sandbox.RequestStart;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.SearchApiRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code start_requests} sent by a crawl, as the sandbox received them. */
@Timeout(60)
class StartRequestsIT {
    private static final String HOST = "127.0.0.151";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(2).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static List<Item> crawl(String yaml) {
        DeclarativeSpider spider =
                new DeclarativeSpider(
                        YamlSpiders.parse(
                                yaml, "s.yaml", Map.of("host", HOST + ":" + sandbox.port())));
        CrawlRun run = CrawlRun.of(spider, Map.of("robotstxt_obey", false));
        assertThat(run.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(run.result().stats()).doesNotContainKey("error_count");
        return run.items();
    }

    @Test
    void jsonPosts_toOneUrlWithDifferentBodies_eachAnsweredOnce() {
        List<Item> items =
                crawl(
                        """
                        name: search
                        arguments: {host: ~}
                        start_requests:
                          - {url: 'http://${host}/api/search', json: {q: salt}}
                          - {url: 'http://${host}/api/search', json: {q: winter}}
                          - {url: 'http://${host}/api/search', json: {q: salt}}
                        items:
                          - selector: jmespath
                            each: results
                            fields:
                              id: {jmespath: id, type: int}
                              title: title
                        """);

        List<String> expected =
                Stream.concat(
                                SearchApiRoute.search("salt").stream(),
                                SearchApiRoute.search("winter").stream())
                        .map(b -> b.id() + " " + b.title())
                        .toList();
        assertThat(items)
                .extracting(i -> i.get("id") + " " + i.get("title"))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sandbox.log(HOST).starts())
                .extracting(RequestStart::target)
                .filteredOn("/api/search"::equals)
                .as("the repeated body is deduplicated, the other is not")
                .hasSize(2);
    }

    @Test
    void putWithFormAndHeaders_isReceivedAsWritten() {
        List<Item> items =
                crawl(
                        """
                        name: echo
                        arguments: {host: ~}
                        start_requests:
                          - url: 'http://${host}/echo/request?from=yaml'
                            method: PUT
                            headers: {X-Api-Key: 'k-${host}'}
                            form: {user: 'a b', tag: [x, y]}
                        items:
                          - selector: jmespath
                            fields:
                              method: method
                              query: query
                              type: "headers.\\"content-type\\""
                              key: "headers.\\"x-api-key\\""
                              body: body
                        """);

        assertThat(items)
                .containsExactly(
                        Item.of(
                                "method",
                                "PUT",
                                "query",
                                "from=yaml",
                                "type",
                                "application/x-www-form-urlencoded",
                                "key",
                                "k-" + HOST + ":" + sandbox.port(),
                                "body",
                                "user=a+b&tag=x&tag=y"));
    }

    @Test
    void crawl_booksSearchExample_givesEveryBookFound() throws IOException {
        DeclarativeSpider spider =
                YamlSpiders.load(
                        Path.of("..", "examples", "books-search.yaml"),
                        Map.of("host", HOST + ":" + sandbox.port(), "q", "winter"));
        List<Item> items = new CopyOnWriteArrayList<>();

        CrawlResult result =
                Crawler.builder(spider)
                        .pipeline(
                                item -> {
                                    items.add(item);
                                    return item;
                                })
                        .build()
                        .run();

        assertThat(result.status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(items)
                .containsExactlyInAnyOrderElementsOf(
                        SearchApiRoute.search("winter").stream()
                                .map(
                                        b ->
                                                Item.of(
                                                        "search",
                                                        "winter",
                                                        "id",
                                                        (long) b.id(),
                                                        "title",
                                                        b.title(),
                                                        "price",
                                                        b.price()))
                                .toList())
                .isNotEmpty();
    }
}
