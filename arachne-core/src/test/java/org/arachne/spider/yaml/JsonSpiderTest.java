package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonSpiderTest {
    private static final String API =
            """
            name: api
            start_urls: ['http://a.test/api/books']
            rules:
              - selector: jmespath
                links: next                         # the next list page
              - selector: jmespath
                each: books
                links: url
                allow: ['/api/books/']
                callback: book
                carry:
                  listed_price: {jmespath: price, type: decimal}
            items:
              - selector: jmespath
                each: books
                fields:
                  id: {jmespath: id, type: int}
                  title: title
                  price: {jmespath: price, type: decimal}
                  tags: {jmespath: tags, type: list}
                  first_tag: {jmespath: 'tags[0]', processors: [upper]}
                  on_sale: sale
                  raw: {regex: '"id": *(\\d+)'}
              - name: book
                selector: jmespath
                fields:
                  title: title
                  stock: {jmespath: stock, type: int}
                  listed_price: {value: meta, name: listed_price, type: decimal}
                  page: {value: url}
            """;

    private static final String PAGE =
            """
            {"page": 1,
             "books": [
               {"id": 1, "title": "Atlas", "price": 12.50, "tags": ["travel", "maps"], "url": "/api/books/1", "sale": true},
               {"id": 2, "title": "红楼梦", "price": 3, "tags": [], "url": "http://a.test/api/books/2"},
               {"id": 3, "title": "Off site", "price": 1.00, "url": "http://elsewhere.test/x"},
               null],
             "next": "/api/books?page=2"}
            """;

    private final DeclarativeSpider spider =
            new DeclarativeSpider(YamlSpiders.parse(API, "api.yaml"));

    @Test
    void parse_jsonPage_givesAnItemPerElementOfEach() {
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.json("http://a.test/api/books", PAGE), out);

        assertThat(out.items)
                .containsExactly(
                        Item.of(
                                "id", 1L,
                                "title", "Atlas",
                                "price", new BigDecimal("12.50"),
                                "tags", List.of("travel", "maps"),
                                "first_tag", "TRAVEL",
                                "on_sale", "true",
                                "raw", "1"),
                        Item.of(
                                "id",
                                2L,
                                "title",
                                "红楼梦",
                                "price",
                                new BigDecimal("3"),
                                "tags",
                                List.of(),
                                "first_tag",
                                null,
                                "on_sale",
                                null,
                                "raw",
                                "2"),
                        Item.of(
                                "id",
                                3L,
                                "title",
                                "Off site",
                                "price",
                                new BigDecimal("1.00"),
                                "tags",
                                List.of(),
                                "first_tag",
                                null,
                                "on_sale",
                                null,
                                "raw",
                                "3"));
    }

    @Test
    void parse_jsonPage_followsTheNextPageAndEachLinkWithWhatItCarries() {
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.json("http://a.test/api/books", PAGE), out);

        assertThat(out.follows)
                .containsExactly(
                        "parse http://a.test/api/books?page=2",
                        "book http://a.test/api/books/1",
                        "book http://a.test/api/books/2")
                .as("relative links resolved against the page, allow and domains applied");
        assertThat(out.requests)
                .extracting(Request::meta)
                .containsExactly(
                        Map.of(),
                        Map.of("listed_price", new BigDecimal("12.50")),
                        Map.of("listed_price", new BigDecimal("3")));
    }

    @Test
    void callback_jsonDetailPage_readsItsFieldsAndTheCarriedOnes() throws Exception {
        RecordingOutput list = new RecordingOutput();
        spider.parse(TestResponses.json("http://a.test/api/books", PAGE), list);
        RecordingOutput out = new RecordingOutput();

        Objects.requireNonNull(spider.callback("book"))
                .parse(
                        TestResponses.json(
                                list.requests.get(1), "{\"title\": \"Atlas\", \"stock\": 4}"),
                        out);

        assertThat(out.items)
                .containsExactly(
                        Item.of(
                                "title",
                                "Atlas",
                                "stock",
                                4L,
                                "listed_price",
                                new BigDecimal("12.50"),
                                "page",
                                "http://a.test/api/books/1"));
    }

    @Test
    void parse_jsonLinkThatIsNoUrl_goesToFollowWhichSkipsIt() {
        RecordingOutput out = new RecordingOutput();

        spider.parse(
                TestResponses.json(
                        "http://a.test/api/books",
                        "{\"books\": [{\"url\": \"mailto:shop@a.test\"}, {\"url\": \"http://[x/\"}],"
                                + " \"next\": \"/api/books?page=2\"}"),
                out);

        assertThat(out.follows).containsExactly("parse http://a.test/api/books?page=2");
        assertThat(out.skipped).containsExactly("mailto:shop@a.test", "http://[x/");
    }

    @Test
    void parse_htmlPage_givesTheJsonBlocksAndRulesNothingAndIsCountedOnce() {
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.html("http://a.test/", "<p>{\"books\": []}</p>"), out);

        assertThat(out.items).isEmpty();
        assertThat(out.follows).isEmpty();
        assertThat(out.counts).containsExactly(Map.entry(DeclarativeSpider.NOT_JSON, 1L));
    }

    @Test
    void parse_jmespathThatFailsOnThisDocument_isCountedAndFindsNothing() {
        String yaml =
                """
                name: api
                start_urls: ['http://a.test/']
                items:
                  - selector: jmespath
                    fields:
                      n: {jmespath: 'length(count)', type: int}
                      title: title
                """;
        RecordingOutput out = new RecordingOutput();

        new DeclarativeSpider(YamlSpiders.parse(yaml, "api.yaml"))
                .parse(
                        TestResponses.json("http://a.test/", "{\"count\": 3, \"title\": \"x\"}"),
                        out);

        assertThat(out.items).containsExactly(Item.of("n", null, "title", "x"));
        assertThat(out.counts).containsEntry(DeclarativeSpider.JMESPATH_FAILED + "n", 1L);
    }

    static Stream<Arguments> badJsonSpiders() {
        return Stream.of(
                Arguments.of(
                        """
                        items:
                          - selector: jmespath
                            each: 'books['
                            fields: {title: title}
                        """,
                        "5:11: items[0].each: invalid JMESPath 'books[': syntax error"),
                Arguments.of(
                        """
                        items:
                          - selector: jmespath
                            fields: {title: {xpath: //h1/text()}}
                        """,
                        "5:29: items[0].fields.title.xpath: xpath reads HTML, and this block or rule"
                                + " reads JSON (selector: jmespath): select with jmespath"),
                Arguments.of(
                        """
                        items:
                          - fields: {title: {jmespath: title}}
                        """,
                        "4:32: items[0].fields.title.jmespath: jmespath reads JSON: it goes in a"
                                + " block or rule with selector: jmespath"),
                Arguments.of(
                        """
                        rules:
                          - selector: jmespath
                        """,
                        "4:5: rules[0].links: missing; a rule with selector: jmespath finds its"
                                + " links with links:"),
                Arguments.of(
                        """
                        rules:
                          - {selector: jmespath, links: next, restrict_css: [a]}
                        """,
                        "4:53: rules[0].restrict_css: restrict_css is for HTML links; this rule"
                                + " reads JSON (selector: jmespath) and takes its links from"
                                + " links:"),
                Arguments.of(
                        """
                        rules:
                          - {links: next}
                        """,
                        "4:13: rules[0].links: links goes with selector: jmespath, for JSON pages"),
                Arguments.of(
                        """
                        items:
                          - selector: json
                            fields: {title: title}
                        """,
                        "4:15: items[0].selector: unknown selector type 'json'; expected xpath, css"
                                + " or jmespath"));
    }

    @ParameterizedTest
    @MethodSource("badJsonSpiders")
    void check_badJsonSpider_namesLineColumnAndTheProblem(String part, String problem) {
        String yaml = "name: api\nstart_urls: ['http://a.test/']\n" + part;

        assertThat(YamlSpiders.check(yaml, "api.yaml"))
                .singleElement()
                .extracting(Problem::toString)
                .asString()
                .startsWith("api.yaml:" + problem);
    }
}
