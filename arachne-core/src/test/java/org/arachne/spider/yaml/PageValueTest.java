package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.middleware.RedirectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PageValueTest {
    private static final String SPIDER =
            """
            name: pages
            start_urls: [http://shop.test/]
            items:
              - fields:
                  title: //h1/text()
                  url: {value: url}
                  requested: {value: requested_url}
                  status: {value: status, type: int}
                  modified: {value: header, name: Last-Modified}
                  listed_price: {value: meta, name: price, type: decimal}
                  tags: {value: meta, name: tags, type: list}
                  category: {value: meta, name: category}
                  sku: {value: url, regex: 'book-(\\d+)', type: int}
            """;

    @Test
    void parse_pageValues_comeFromTheResponseAndItsRequest() {
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(SPIDER, "pages.yaml"));
        Request request =
                Request.get("http://shop.test/book-42.html")
                        .withMeta(
                                Map.of(
                                        RedirectPolicy.REDIRECT_URLS,
                                        List.of("http://shop.test/b/42", "http://shop.test/b/42/"),
                                        "price",
                                        new BigDecimal("12.50"),
                                        "tags",
                                        List.of("poetry", "classic")));
        Response response =
                new Response(
                        request,
                        request.url(),
                        203,
                        Headers.of(
                                "Content-Type", "text/html",
                                "last-modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
                        Body.utf8("<h1>A Book</h1>"),
                        Duration.ZERO);
        RecordingOutput out = new RecordingOutput();

        spider.parse(response, out);

        assertThat(out.items)
                .containsExactly(
                        Item.of(
                                "title",
                                "A Book",
                                "url",
                                "http://shop.test/book-42.html",
                                "requested",
                                "http://shop.test/b/42",
                                "status",
                                203L,
                                "modified",
                                "Wed, 21 Oct 2015 07:28:00 GMT",
                                "listed_price",
                                new BigDecimal("12.50"),
                                "tags",
                                List.of("poetry", "classic"),
                                "category",
                                null,
                                "sku",
                                42L));
    }

    @Test
    void parse_noRedirect_requestedUrlIsThePageUrl() {
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(SPIDER, "pages.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.html("http://shop.test/", "<h1>Home</h1>"), out);

        assertThat(out.items.get(0).fields())
                .containsEntry("url", "http://shop.test/")
                .containsEntry("requested", "http://shop.test/")
                .containsEntry("status", 200L)
                .containsEntry("modified", null);
    }

    @Test
    void parse_nodeWithOnlyPageValues_givesNoItem() {
        String yaml =
                """
                name: pages
                start_urls: [http://shop.test/]
                items:
                  - each: //li
                    fields:
                      name: ./text()
                      page: {value: url}
                """;
        DeclarativeSpider spider = new DeclarativeSpider(YamlSpiders.parse(yaml, "pages.yaml"));
        RecordingOutput out = new RecordingOutput();

        spider.parse(TestResponses.html("http://shop.test/", "<ul><li>a</li><li></li></ul>"), out);

        assertThat(out.items)
                .containsExactly(Item.of("name", "a", "page", "http://shop.test/"))
                .as("a page value, as a constant, finds nothing of the node's own");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(
                        "{value: uri}",
                        "5:21: items[0].fields.page.value: unknown value 'uri'; did you mean"
                                + " 'url'?"),
                Arguments.of(
                        "{value: header}",
                        "5:13: items[0].fields.page.name: missing; value: header needs the"
                                + " header's name"),
                Arguments.of(
                        "{value: meta, name: ''}",
                        "5:33: items[0].fields.page.name: must not be empty; give the meta key"),
                Arguments.of(
                        "{value: status, name: x}",
                        "5:35: items[0].fields.page.name: value: status takes no name"),
                Arguments.of(
                        "{css: h1, name: x}",
                        "5:29: items[0].fields.page.name: name goes with value: header or value:"
                                + " meta"),
                Arguments.of(
                        "{value: url, constant: x}",
                        "5:36: items[0].fields.page.constant: a field takes one of xpath, css,"
                                + " jmespath, regex, constant or value; this one also has 'value'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void check_badValue_namesLineColumnAndTheProblem(String field, String problem) {
        String yaml =
                """
                name: pages
                start_urls: [http://shop.test/]
                items:
                  - fields:
                      page: FIELD
                """
                        .replace("FIELD", field);

        assertThat(YamlSpiders.check(yaml, "pages.yaml"))
                .singleElement()
                .extracting(Problem::toString)
                .asString()
                .startsWith("pages.yaml:" + problem);
    }
}
