package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.ApiBooksRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code arachne parse --spider/--class} against the sandbox, its output compared. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParseIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "127.0.0.11";
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(30).port(0).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** The lines of stdout under {@code # items} or {@code # requests} of each level. */
    private static List<List<String>> section(Run run, String name) {
        List<List<String>> levels = new ArrayList<>();
        List<String> current = null;
        for (String line : run.out().lines().toList()) {
            if (line.startsWith(">>> level ")) {
                current = null;
            } else if (line.startsWith("# ")) {
                current = line.equals("# " + name) ? new ArrayList<>() : null;
                if (current != null) {
                    levels.add(current);
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        return levels;
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Test
    void parse_booksExample_printsThePagesItemsAndItsRequestsToParse() {
        String url = sandbox.baseUrl(HOST);
        Run run = Run.of("parse", url, "--spider", "../examples/books.yaml");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> titles =
                Run.of("parse", url, "--xpath", "//article[@class='product_pod']/h3/a/@title")
                        .out()
                        .lines()
                        .toList();
        List<List<String>> items = section(run, "items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).extracting(l -> json(l).get("title").asText()).isEqualTo(titles);
        List<String> links =
                Run.of("parse", url, "--xpath", "//a/@href").out().lines().distinct().toList();
        List<List<String>> requests = section(run, "requests");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0))
                .isNotEmpty()
                .allMatch(l -> l.startsWith("GET " + url) && l.endsWith(" parse"))
                .hasSizeLessThanOrEqualTo(links.size());
        assertThat(run.err())
                .contains("level 1: 200 " + url + " -> parse: " + titles.size() + " items")
                .contains("parse: 1 level of 1, 1 response");
    }

    @Test
    void parse_booksApiExampleToDepth2_givesTheBooksOfTheFirstListPageWithTheirCarriedTags() {
        String base = sandbox.baseUrl(HOST);
        Run run =
                Run.of(
                        "parse",
                        base + "api/books",
                        "--spider",
                        "../examples/books-api.yaml",
                        "-a",
                        "host=" + HOST + ":" + sandbox.port(),
                        "--depth",
                        "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<ApiBooksRoute.Book> firstPage = ApiBooksRoute.books().subList(0, 10);
        List<String> expectedRequests = new ArrayList<>();
        expectedRequests.add("GET " + base + "api/books?page=2 parse");
        List<JsonNode> expectedItems = new ArrayList<>();
        for (ApiBooksRoute.Book b : firstPage) {
            String bookUrl = base + "api/books/" + b.id();
            expectedRequests.add(
                    "GET " + bookUrl + " book " + JSON.valueToTree(Map.of("tags", b.tags())));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", b.id());
            item.put("title", b.title());
            item.put("price", b.price());
            item.put("stock", b.stock());
            item.put("tags", b.tags());
            item.put("url", bookUrl);
            expectedItems.add(json(JSON.valueToTree(item).toString()));
        }
        List<List<String>> items = section(run, "items");
        List<List<String>> requests = section(run, "requests");
        assertThat(items).hasSize(2);
        assertThat(items.get(0)).isEmpty();
        assertThat(requests.get(0)).containsExactlyInAnyOrderElementsOf(expectedRequests);
        assertThat(items.get(1)).extracting(ParseIT::json).isEqualTo(expectedItems);
        assertThat(requests.get(1))
                .as("page 2's next page and books, printed, not followed")
                .contains("GET " + base + "api/books?page=3 parse")
                .hasSize(11);
        assertThat(run.err()).contains("parse: 2 levels of 2, 12 responses, 10 items, 22 requests");
    }

    @Test
    void parse_javaSpiderToDepth2_followsItsRequestsToTheirCallbacks() {
        String url = sandbox.baseUrl(HOST);
        Run run = Run.of("parse", url, "--class", TitlesSpider.class.getName(), "--depth", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<List<String>> requests = section(run, "requests");
        assertThat(requests.get(0)).hasSize(2).allMatch(l -> l.endsWith(" parseBook"));
        List<List<String>> items = section(run, "items");
        assertThat(items.get(0)).hasSize(1);
        List<String> bookTitles = new ArrayList<>();
        for (String request : requests.get(0)) {
            String bookUrl = request.split(" ")[1];
            bookTitles.add(java.util.Objects.requireNonNull(sandbox.bookPage(bookUrl)).title());
        }
        assertThat(items.get(1))
                .extracting(l -> json(l).get("title").asText())
                .isEqualTo(bookTitles);
    }

    @Test
    void parse_callbackAndMeta_runThatCallbackWithTheMetaInItsRequest() {
        String page = firstBookUrl();
        Run run =
                Run.of(
                        "parse",
                        page,
                        "--class",
                        TitlesSpider.class.getName(),
                        "--callback",
                        "parseBook",
                        "--meta",
                        "{\"from\": \"the listing\"}");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(section(run, "items").get(0))
                .extracting(ParseIT::json)
                .containsExactly(
                        json(
                                JSON.valueToTree(
                                                Map.of(
                                                        "title",
                                                        sandbox.bookPage(page).title(),
                                                        "price",
                                                        sandbox.bookPage(page).price(),
                                                        "from",
                                                        "the listing"))
                                        .toString()));
    }

    @Test
    void parse_failingCallback_exits5WithItsExceptionAndWhatItEmittedBefore() {
        String page = firstBookUrl();
        Run run =
                Run.of(
                        "parse",
                        page,
                        "--class",
                        TitlesSpider.class.getName(),
                        "--callback",
                        "parseBroken");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(section(run, "items").get(0)).containsExactly("{\"before\":\"the failure\"}");
        assertThat(run.err())
                .contains(
                        "callback 'parseBroken' failed: java.lang.IllegalStateException: no price"
                                + " on "
                                + page)
                .contains("1 failed callback");
    }

    @Test
    void parse_missingCallback_isAConfigErrorNamingIt() {
        Run run =
                Run.of(
                        "parse",
                        sandbox.baseUrl(HOST),
                        "--spider",
                        "../examples/books.yaml",
                        "--callback",
                        "nowhere");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("has no callback 'nowhere'");
        assertThat(sandbox.log(HOST).starts()).noneMatch(s -> s.target().equals("/?nowhere"));
    }

    @Test
    void parse_metaThatIsNoJsonObject_isAConfigError() {
        Run notJson =
                Run.of(
                        "parse",
                        sandbox.baseUrl(HOST),
                        "--spider",
                        "../examples/books.yaml",
                        "--meta",
                        "{tags: [a]");
        Run array =
                Run.of(
                        "parse",
                        sandbox.baseUrl(HOST),
                        "--spider",
                        "../examples/books.yaml",
                        "--meta",
                        "[1]");

        assertThat(notJson.exitCode()).as(notJson.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(notJson.err()).contains("--meta: not JSON");
        assertThat(array.exitCode()).as(array.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(array.err()).contains("--meta: a JSON object is needed").contains("got array");
    }

    @Test
    void parse_spiderOptionWithASelector_isAUsageError() {
        Run run = Run.of("parse", sandbox.baseUrl(HOST), "--xpath", "//a", "--depth", "2");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--depth needs --spider or --class");
    }

    private static String firstBookUrl() {
        String url = sandbox.baseUrl(HOST);
        String href =
                Run.of("parse", url, "--xpath", "//article[@class='product_pod']/h3/a/@href")
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow();
        return java.net.URI.create(url).resolve(href).toString();
    }

    @Test
    void parse_yamlSpider_fetchesWithTheSpidersSettings() throws IOException {
        Path spider = dir.resolve("agent.yaml");
        Files.writeString(
                spider,
                """
                name: agent
                start_urls: ["http://127.0.0.1:1/"]
                settings:
                  user_agent: TryBot/1.0
                items:
                  - selector: jmespath
                    fields:
                      agent: '"user-agent"[0]'
                """,
                StandardCharsets.UTF_8);
        Run run =
                Run.of(
                        "parse",
                        sandbox.uri("/fault/echo-headers").toString(),
                        "--spider",
                        spider.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(section(run, "items").get(0)).containsExactly("{\"agent\":\"TryBot/1.0\"}");
    }

    @Test
    void parse_yamlBlockAsCallback_takesTheCarriedFieldsFromMeta() {
        String base = sandbox.baseUrl(HOST);
        ApiBooksRoute.Book book = ApiBooksRoute.books().get(2);
        Run run =
                Run.of(
                        "parse",
                        base + "api/books/" + book.id(),
                        "--spider",
                        "../examples/books-api.yaml",
                        "-a",
                        "host=" + HOST + ":" + sandbox.port(),
                        "--callback",
                        "book",
                        "--meta",
                        "{\"tags\": [\"from the listing\"]}");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> items = section(run, "items").get(0);
        assertThat(items).hasSize(1);
        assertThat(json(items.get(0)).get("title").asText()).isEqualTo(book.title());
        assertThat(json(items.get(0)).get("tags")).isEqualTo(json("[\"from the listing\"]"));
        assertThat(run.err()).contains(" -> book: 1 item, 0 requests");
    }
}
